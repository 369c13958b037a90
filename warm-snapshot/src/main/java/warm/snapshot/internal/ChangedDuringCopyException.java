package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A source object changed between the moment it was described (its manifest entry) and the end of its copy: the
 * copy cannot be proven equal to the manifest, so the snapshot must not be published (D1: a reflink of a file
 * truncated mid-snapshot became an unrestorable known-good).
 */
public final class ChangedDuringCopyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  ChangedDuringCopyException(Path path, String how) {
    super(path + " changed while it was being copied (" + how + ")");
    this.path = path;
  }

  /**
   * Checks {@code source} (stat'ed as {@code before}) again after its copy, and the copy's size; returns the source
   * as it was after the copy (the tar snapshot records it).
   */
  static Stat check(NativeFs fs, Path source, Stat before, long copiedSize) throws IOException {
    Stat after;
    try {
      after = fs.stat(source);
    } catch (NoSuchFileException e) {
      throw new ChangedDuringCopyException(source, "removed");
    }
    check(source, before, after, copiedSize);
    return after;
  }

  /**
   * As {@link #check(NativeFs, Path, Stat, long)} with the source's state after the copy already known (the fstat of
   * the descriptor the data was cloned from: the very inode copied, whatever its name points at by now).
   */
  static void check(Path source, Stat before, Stat after, long copiedSize) throws IOException {
    if (!before.unchangedIn(after)) {
      throw new ChangedDuringCopyException(source, "size " + before.size() + " -> " + after.size()
          + (before.ino() != after.ino() ? ", replaced" : "")
          + (before.mtimeNanos() != after.mtimeNanos() ? ", mtime moved" : "")
          + (before.ctimeNanos() != after.ctimeNanos() ? ", ctime moved" : ""));
    }
    if (copiedSize != before.size()) {
      throw new ChangedDuringCopyException(source, "copied " + copiedSize + " of " + before.size() + " bytes");
    }
  }

  public Path path() {
    return path;
  }
}
