package warm.snapshot.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import warm.snapshot.ManifestEntry.Type;

/**
 * How a reflink/copy snapshot's {@code data/} is made durable before its publishing rename, chosen once per snapshot
 * from what its copies created and how much dirty data the system holds (issue 15). {@code syncfs} of the store's
 * filesystem also waits for every other writer's dirty data (on a production host the containers' volumes share
 * {@code /var/lib/docker}'s filesystem: 0.34–0.54 s for row 3 under a writer with 400 MiB dirty), while an fsync of
 * each object costs a few milliseconds each and grows with the tree; with little dirty data {@code syncfs} is the
 * cheaper one. So: at most {@link #MAX_OBJECTS} objects, every one a regular file with one name or a directory, are
 * fsynced one by one (files, then directories children first, then {@code data/}) when the system's dirty data
 * ({@link NativeFs#dirtyBytes}, read once, when the flush runs) is at least {@link #DIRTY_THRESHOLD}, or cannot be
 * read (the count rule alone: either flush is equally durable, only its wait differs); anything else takes
 * {@code syncfs}. Symlinks, FIFOs and device nodes cannot be opened for an fsync of their own, and a hard link's count
 * is its inode's after the last link: they are left to {@code syncfs} rather than to an argument about one
 * filesystem's journal (machine-docs/DECISIONS.md, "Snapshot durability on a shared filesystem").
 *
 * <p>The copy's walk tells it each object it creates, on the walking thread; {@link #run} is called once every copy
 * has returned (each object's last change made), on one thread started after them.
 */
public final class SnapshotFlush {
  /**
   * The most objects fsynced one by one. Measured on XFS (machine-docs/measurements/snapshot-history.md): at 16
   * objects the fsyncs cost 2.5–73 ms idle against {@code syncfs}'s 1–12 ms, and 9.5–79 ms under a writer against
   * 445–679 ms; at 64 the idle cost is already up to 0.3 s.
   */
  public static final int MAX_OBJECTS = 16;

  /**
   * The least system-wide dirty data ({@code Dirty:} + {@code Writeback:}) at which a snapshot the count allows is
   * fsynced object by object; below it {@code syncfs} has little to wait for and is the cheaper flush. Measured on a
   * loop XFS (machine-docs/measurements/snapshot-history.md, "Dirty data decides"): {@code syncfs} costs ~0.7 ms per
   * MiB dirty on the filesystem (12 ms median at 16 MiB, 48 ms at 64 MiB), an fsync of each of 17 objects ~9 ms
   * median (2–58 ms) whatever the dirty data; their means cross between 8 and 16 MiB. The reading is the whole
   * system's, not the store filesystem's alone (the kernel offers no cheap per-filesystem count): it can only
   * overstate what {@code syncfs} would wait for, and the fsyncs it then picks cost their few milliseconds either
   * way.
   */
  public static final long DIRTY_THRESHOLD = 16L << 20;

  /** {@link #dirty} before {@link #run} read it. */
  private static final long NOT_READ = -2;

  private final int max;
  private final long threshold;
  private final List<Path> files = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>(); // parents before children: the walk creates them top-down
  private long objects;
  private String refused; // why the count rule chose syncfs; null while fsyncs may still do
  private long dirty = NOT_READ; // bytes, as run read them; -1: unreadable
  private boolean perObject; // what run did

  /** The production rule: {@link #MAX_OBJECTS}, {@link #DIRTY_THRESHOLD}. */
  public SnapshotFlush() {
    this(MAX_OBJECTS, DIRTY_THRESHOLD);
  }

  SnapshotFlush(int max, long threshold) {
    if (max < 0) {
      throw new IllegalArgumentException("max objects must be zero or more, got " + max);
    }
    if (threshold < 0) {
      throw new IllegalArgumentException("dirty threshold must be zero or more bytes, got " + threshold);
    }
    this.max = max;
    this.threshold = threshold;
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

  /** Whether the count rule allows an fsync of each object (the dirty data decides when {@link #run} runs). */
  public boolean countAllows() {
    return refused == null;
  }

  /** Whether {@link #run} fsynced each object instead of calling {@code syncfs} (false before it ran). */
  public boolean perObject() {
    return perObject;
  }

  /** Objects the copies created (each volume's root directory included, {@code data/} not). */
  public long objects() {
    return objects;
  }

  /** The choice and its reason, for the snapshot's log line: the dirty reading when it decided. */
  public String describe() {
    if (refused != null) {
      return "syncfs (" + objects + " objects; " + refused + ")";
    }
    if (dirty == NOT_READ) {
      return "not run yet (" + objects + " objects, at most " + max + ")";
    }
    if (!perObject) {
      return "syncfs (" + objects + " objects; " + mib(dirty) + " dirty, below " + mib(threshold) + ")";
    }
    return "fsync of each of " + objects + " objects and data/ (at most " + max
        + ", regular files with one name and directories; " + (dirty < 0 ? "dirty data unreadable, the count alone"
        : mib(dirty) + " dirty, at least " + mib(threshold)) + ")";
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  /**
   * Makes every object the copies created under {@code data} durable, and {@code data}'s own entries: their fsyncs
   * (files, then directories children first, then {@code data}) or one {@code syncfs} of its filesystem. The dirty
   * data is read here, once, only when the count allows the fsyncs: on the flush's own thread, as close to the
   * flush as it can be.
   */
  public void run(NativeFs fs, Path data) throws IOException {
    if (refused != null) {
      fs.syncFilesystem(data);
      return;
    }
    dirty = fs.dirtyBytes();
    if (dirty >= 0 && dirty < threshold) {
      fs.syncFilesystem(data);
      return;
    }
    perObject = true;
    for (Path f : files) {
      fs.fsync(f);
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      fs.fsync(dirs.get(i));
    }
    fs.fsync(data);
  }

  /**
   * {@code Dirty:} + {@code Writeback:} of {@code /proc/meminfo}-format text, in bytes; -1 if either is missing or
   * malformed. Parsed from the bytes (no regex, no String per line: this runs on every small snapshot).
   */
  static long dirtyBytes(byte[] text, int len) {
    long dirtyKb = field(text, len, DIRTY_KEY);
    long writebackKb = field(text, len, WRITEBACK_KEY);
    return dirtyKb < 0 || writebackKb < 0 ? -1 : (dirtyKb + writebackKb) << 10;
  }

  private static final byte[] DIRTY_KEY = {'D', 'i', 'r', 't', 'y', ':'};
  private static final byte[] WRITEBACK_KEY = {'W', 'r', 'i', 't', 'e', 'b', 'a', 'c', 'k', ':'};

  /** The kB value of the line starting with {@code key}, or -1. */
  private static long field(byte[] text, int len, byte[] key) {
    for (int line = 0; line < len; ) {
      if (startsWith(text, len, line, key)) {
        int i = line + key.length;
        while (i < len && text[i] == ' ') {
          i++;
        }
        long v = 0;
        int digits = 0;
        for (; i < len && text[i] >= '0' && text[i] <= '9' && digits < 18; i++, digits++) {
          v = v * 10 + (text[i] - '0');
        }
        boolean kb = i + 3 <= len && text[i] == ' ' && text[i + 1] == 'k' && text[i + 2] == 'B'
            && (i + 3 == len || text[i + 3] == '\n');
        return digits > 0 && kb ? v : -1;
      }
      while (line < len && text[line] != '\n') {
        line++;
      }
      line++;
    }
    return -1;
  }

  private static boolean startsWith(byte[] text, int len, int at, byte[] key) {
    if (at + key.length > len) {
      return false;
    }
    for (int k = 0; k < key.length; k++) {
      if (text[at + k] != key[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The system's dirty data from {@code meminfo} (a {@code /proc/meminfo} path), or -1 when it cannot be read or
   * parsed. A plain {@link FileInputStream} (loaded by every JVM at start): no channel, no new class on the
   * snapshot's path.
   */
  static long readDirtyBytes(String meminfo) {
    byte[] buf = new byte[8192]; // /proc/meminfo is ~1.5 KiB
    int len = 0;
    try (FileInputStream in = new FileInputStream(meminfo)) {
      for (int n; len < buf.length && (n = in.read(buf, len, buf.length - len)) > 0; ) {
        len += n;
      }
    } catch (IOException e) {
      return -1;
    }
    return dirtyBytes(buf, len);
  }
}
