package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import warm.snapshot.ManifestEntry.Type;

/**
 * How a reflink/copy snapshot's {@code data/} is made durable before its publishing rename, chosen once per snapshot
 * from what its copies created (issue 15). {@code syncfs} of the store's filesystem also waits for every other
 * writer's dirty data (on a production host the containers' volumes share {@code /var/lib/docker}'s filesystem:
 * 0.34–0.54 s for row 3 under a writer with 400 MiB dirty), while an fsync of each object costs a few milliseconds
 * each and grows with the tree. So: at most {@link #MAX_OBJECTS} objects, every one a regular file with one name or
 * a directory, are fsynced one by one (files, then directories children first, then {@code data/}); anything else
 * takes {@code syncfs}. Symlinks, FIFOs and device nodes cannot be opened for an fsync of their own, and a hard
 * link's count is its inode's after the last link: they are left to {@code syncfs} rather than to an argument about
 * one filesystem's journal (machine-docs/DECISIONS.md, "Snapshot durability on a shared filesystem").
 *
 * <p>The copy's walk tells it each object it creates, on the walking thread; {@link #run} is called once every copy
 * has returned (each object's last change made), on one thread started after them.
 */
public final class SnapshotFlush {
  /**
   * The most objects fsynced one by one. Measured on XFS (docs/snapshot.md): at 16 objects the fsyncs cost
   * 2.5–73 ms idle against {@code syncfs}'s 1–12 ms, and 9.5–79 ms under a writer against 445–679 ms; at 64 the idle
   * cost is already up to 0.3 s.
   */
  public static final int MAX_OBJECTS = 16;

  private final int max;
  private final List<Path> files = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>(); // parents before children: the walk creates them top-down
  private long objects;
  private String refused; // why syncfs; null while fsyncs may still do

  /** The production rule: {@link #MAX_OBJECTS}. */
  public SnapshotFlush() {
    this(MAX_OBJECTS);
  }

  SnapshotFlush(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max objects must be zero or more, got " + max);
    }
    this.max = max;
  }

  /** The copy created directory {@code dir} (its metadata is set after its children's). */
  void directory(Path dir) {
    if (counted()) {
      dirs.add(dir);
    }
  }

  /**
   * The copy creates {@code target}, not a directory, from a source object whose lstat is {@code st}: a regular file
   * with one name is fsynced if the count allows, anything else means {@code syncfs}.
   */
  void object(Path target, Stat st) {
    if (!counted()) {
      return;
    }
    Type type = st.type();
    if (type == Type.FILE && st.nlink() == 1) {
      files.add(target);
    } else {
      refuse(type == Type.FILE ? "a hard link (" + target.getFileName() + ")" : "a " + kind(type) + " ("
          + target.getFileName() + ")");
    }
  }

  /** Counts one more object; false once the rule already chose {@code syncfs}. */
  private boolean counted() {
    objects++;
    if (refused == null && objects > max) {
      refuse("more than " + max + " objects");
    }
    return refused == null;
  }

  private void refuse(String why) {
    refused = why;
    files.clear(); // a tree of 20k objects keeps no list
    dirs.clear();
  }

  private static String kind(Type type) {
    return switch (type) {
      case SYMLINK -> "symlink";
      case FIFO -> "FIFO";
      case CHAR, BLOCK -> "device node";
      default -> type.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Whether {@link #run} fsyncs each object instead of calling {@code syncfs}. */
  public boolean perObject() {
    return refused == null;
  }

  /** Objects the copies created (each volume's root directory included, {@code data/} not). */
  public long objects() {
    return objects;
  }

  /** The choice and its reason, for the snapshot's log line. */
  public String describe() {
    if (refused == null) {
      return "fsync of each of " + objects + " objects and data/ (at most " + max
          + ", regular files with one name and directories)";
    }
    return "syncfs (" + objects + " objects; " + refused + ")";
  }

  /**
   * Makes every object the copies created under {@code data} durable, and {@code data}'s own entries: their fsyncs
   * (files, then directories children first, then {@code data}) or one {@code syncfs} of its filesystem.
   */
  public void run(NativeFs fs, Path data) throws IOException {
    if (refused != null) {
      fs.syncFilesystem(data);
      return;
    }
    for (Path f : files) {
      fs.fsync(f);
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      fs.fsync(dirs.get(i));
    }
    fs.fsync(data);
  }
}
