package warm.snapshot;

import java.nio.file.Path;

/**
 * The caller's proof that nothing uses a volume (DESIGN I2). Snapshot and restore call it for every volume before
 * touching anything, and snapshot calls it again after copying; it throws {@link SnapshotException} of kind
 * {@link SnapshotException.Kind#BUSY} when the volume is in use. The Docker-backed implementation lives with the
 * callers; this module is pure filesystem.
 */
@FunctionalInterface
public interface QuiescenceCheck {

  /** Throws {@link SnapshotException#busy} when {@code volume} (mounted from {@code dir}) is in use. */
  void requireQuiet(String volume, Path dir);

  /** For plain directories whose quiescence the operator vouches for. */
  static QuiescenceCheck assumeQuiet() {
    return (volume, dir) -> { };
  }
}
