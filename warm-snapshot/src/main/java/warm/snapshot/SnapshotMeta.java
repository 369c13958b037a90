package warm.snapshot;

import java.util.Map;

/**
 * The content of a snapshot's {@code meta.json}: id, creation time (ISO-8601 UTC), the method that ran, the tag,
 * {@code storeBytes} (extra disk the snapshot took: the archive sizes for tar, the measured drop in free space for
 * reflink/copy, -1 if unknown) and one {@link VolumeMeta} per volume.
 */
public record SnapshotMeta(int format, String id, String createdAt, Method method, SnapshotTag tag, long storeBytes,
    Map<String, VolumeMeta> volumes) {

  /** Format version of meta.json written by this code. */
  public static final int FORMAT = 1;

  /** Total logical bytes over all volumes. */
  public long logicalBytes() {
    return volumes.values().stream().mapToLong(VolumeMeta::logicalBytes).sum();
  }
}
