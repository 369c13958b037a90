package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the kernel says of every object a full restore's copy created, each taken right after the copy's last change
 * to it (the fstat of a clone's descriptor, the lstat of a directory once its metadata is set): the manifest the
 * restore verifies against and the change record's entries, so the restored volume is not walked again. Filled from
 * the copy's threads.
 */
public final class CopyDescription {
  private final ManifestBuilder manifest;
  private final List<ChangeRecord.Seen> seen = new ArrayList<>();

  public CopyDescription(NativeFs fs) {
    this.manifest = new ManifestBuilder(fs);
  }

  /** One created object at {@code rel} ({@code p} names it; read only for a size the stat could not give). */
  synchronized void add(String rel, Path p, Stat st, Map<String, byte[]> xattrs, String linkTarget)
      throws IOException {
    manifest.add(rel, p, st, xattrs, linkTarget, null);
    seen.add(ChangeRecord.Seen.of(rel, st, linkTarget));
  }

  /**
   * The restored tree's manifest, as a scan of it would give it. Once the copy is done it may be built while another
   * thread takes {@link #seen} (the builder has its own lock; neither holds this one while sorting).
   */
  public ManifestScanner.Scan manifest() {
    return manifest.build();
  }

  /** The change record's entries of the restored tree, sorted by path as a walk gives them. */
  public List<ChangeRecord.Seen> seen() {
    List<ChangeRecord.Seen> out;
    synchronized (this) {
      out = new ArrayList<>(seen);
    }
    out.sort(Comparator.comparing(ChangeRecord.Seen::path));
    return out;
  }
}
