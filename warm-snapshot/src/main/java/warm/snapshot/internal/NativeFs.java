package warm.snapshot.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The few POSIX calls the JDK does not offer: reflink clone, FIFO/device nodes and raw extended attributes.
 * JNA-free, so the engine and its tests do not see JNA; {@link JnaNativeFs} is the Linux implementation.
 */
public interface NativeFs {

  /** Whether FICLONE can be attempted at all (Linux, libc linked). */
  boolean cloneAvailable();

  /**
   * Creates {@code dst} (must not exist) with {@code mode} and clones {@code src}'s extents into it (FICLONE).
   *
   * @throws CloneUnsupportedException for a NOTSUP-class error (nothing left behind at {@code dst})
   * @throws IOException for a terminal error (ENOSPC, EIO, EDQUOT, ...)
   */
  void cloneFile(Path src, Path dst, int mode) throws IOException;

  /**
   * A regular file's reflink copy: the source as it was once its data was taken, and the copy's size; null and -1
   * when they were not asked for ({@link #UNSTATED}).
   */
  record Cloned(Stat sourceAfter, long copiedSize) {
    /** A copy whose source and size were not looked at after the clone (a restore checks its copy differently). */
    public static final Cloned UNSTATED = new Cloned(null, -1);
  }

  /**
   * The reflink copy of one regular file, whole: {@link #cloneFile} of {@code src} to a new {@code dst}, then
   * {@code dst}'s owner, mode, xattrs and mtime in {@link Meta}'s order, then the source and the copy as they are
   * after the clone when {@code statAfter} (for the snapshot's check that the source did not change under its copy;
   * a restore does not ask, and no stat is made). Composed here from the single
   * calls; {@link JnaNativeFs} does it on the two descriptors it opened (no path lookup after the opens).
   *
   * @throws CloneUnsupportedException as {@link #cloneFile}, before anything is set (nothing left at {@code dst})
   */
  default Cloned cloneWithMeta(Path src, Path dst, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos, boolean statAfter) throws IOException {
    cloneFile(src, dst, perms);
    Meta.apply(this, dst, false, uid, gid, perms, xattrs, mtimeNanos);
    return statAfter ? new Cloned(stat(src), stat(dst).size()) : Cloned.UNSTATED;
  }

  /** A reflink copy ({@link #cloneWithMeta}'s outcome) and the source's xattrs that were read for it and set on it. */
  record ClonedOwn(Cloned cloned, Map<String, byte[]> xattrs) {}

  /**
   * As {@link #cloneWithMeta} with the source's own xattrs, read by this call and returned (a snapshot records them
   * in its manifest). Composed here from {@link #readXattrs} and {@link #cloneWithMeta}; {@link JnaNativeFs} reads
   * them on the descriptor the clone reads from (one {@code flistxattr} when there are none, the usual case), which
   * saves the path lookup of an {@code llistxattr} per file (issue 15, row 1, fourteenth round).
   *
   * @throws CloneUnsupportedException as {@link #cloneFile}, before anything is set (nothing left at {@code dst})
   */
  default ClonedOwn cloneWithOwnXattrs(Path src, Path dst, int uid, int gid, int perms, long mtimeNanos,
      boolean statAfter) throws IOException {
    Map<String, byte[]> xattrs = readXattrs(src);
    return new ClonedOwn(cloneWithMeta(src, dst, uid, gid, perms, xattrs, mtimeNanos, statAfter), xattrs);
  }

  /**
   * What the kernel says of a restored copy once the copy's last change to it is made: its stat and its xattrs (a
   * restore verifies against this and records it, instead of walking the volume again).
   */
  record Created(Stat stat, Map<String, byte[]> xattrs) {}

  /**
   * As {@link #cloneWithMeta} without the source's re-stat, then the copy described as the kernel has it: its stat
   * and xattrs after the last metadata call. {@link JnaNativeFs} takes both from the copy's descriptor (an empty
   * xattr list, the usual case, costs one {@code flistxattr}). {@code xattrs} null: the source's own, which
   * {@link JnaNativeFs} reads on the descriptor the clone reads from (no path lookup; fourteenth round).
   */
  default Created cloneWithMetaDescribed(Path src, Path dst, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos) throws IOException {
    cloneWithMeta(src, dst, uid, gid, perms, xattrs != null ? xattrs : readXattrs(src), mtimeNanos, false);
    return new Created(stat(dst), readXattrs(dst));
  }

  /** lstat(2) of {@code path} (never follows a symlink). */
  Stat stat(Path path) throws IOException;

  /**
   * A regular file's name in its source and its target directory, both open as descriptors ({@link #openDirectory}):
   * the copy's two opens resolve that one name, not the whole path again, component by component, for each file
   * (issue 15, rows 1–2, fifteenth round). {@code name} is one component, NUL-terminated ({@link RawNames#c}).
   */
  record At(int srcDir, int dstDir, byte[] name) {}

  /**
   * {@code dir} opened as a descriptor for {@link At} and {@link #statAt} ({@code O_PATH}, never through a symlink at
   * its last component), or -1: none (this implementation has none, the open failed, or the directory found is not
   * the inode {@code expected} describes — replaced since it was looked at); the caller then goes by path, as before.
   * {@code expected} null: no check (a directory the caller has just created).
   */
  default int openDirectory(Path dir, Stat expected) {
    return -1;
  }

  /** Closes a descriptor {@link #openDirectory} gave. */
  default void closeDirectory(int fd) {
    // none is ever given here
  }

  /**
   * As {@link #stat} of {@code path}, which is {@code name} (NUL-terminated) in the directory open as {@code dir}:
   * {@code fstatat(dir, name, AT_SYMLINK_NOFOLLOW)}, one component resolved instead of the path.
   */
  default Stat statAt(int dir, byte[] name, Path path) throws IOException {
    return stat(path);
  }

  /**
   * As {@link #cloneWithOwnXattrs(Path, Path, int, int, int, long, boolean)}, opening the source and creating the
   * copy relative to {@code at}'s directories (null: by path); {@code src} and {@code dst} name the same objects (for
   * errors, and for the composed default, which goes by path).
   */
  default ClonedOwn cloneWithOwnXattrs(Path src, Path dst, At at, int uid, int gid, int perms, long mtimeNanos,
      boolean statAfter) throws IOException {
    return cloneWithOwnXattrs(src, dst, uid, gid, perms, mtimeNanos, statAfter);
  }

  /** As {@link #cloneWithMetaDescribed(Path, Path, int, int, int, Map, long)} relative to {@code at} (null: by path). */
  default Created cloneWithMetaDescribed(Path src, Path dst, At at, int uid, int gid, int perms,
      Map<String, byte[]> xattrs, long mtimeNanos) throws IOException {
    return cloneWithMetaDescribed(src, dst, uid, gid, perms, xattrs, mtimeNanos);
  }

  /** syncfs(2) of the filesystem holding {@code anyPath}: one flush instead of an fsync per cloned file. */
  void syncFilesystem(Path anyPath) throws IOException;

  /**
   * fsync(2) of one regular file or directory, opened read-only without following a symlink (Linux flushes the
   * inode's data and metadata whatever the descriptor's access mode): a small snapshot's flush
   * ({@link SnapshotFlush}).
   */
  default void fsync(Path fileOrDir) throws IOException {
    try (FileChannel ch = FileChannel.open(fileOrDir, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ch.force(true);
    }
  }

  /**
   * The system's dirty page cache, {@code Dirty:} + {@code Writeback:} of {@code /proc/meminfo}, in bytes; -1 when
   * it cannot be read. What {@code syncfs} may have to wait for: a small snapshot's flush chooses by it
   * ({@link SnapshotFlush}).
   */
  default long dirtyBytes() {
    return SnapshotFlush.readDirtyBytes("/proc/meminfo");
  }

  /** mknod(2): FIFOs ({@code S_IFIFO}) and device nodes; {@code mode} carries the file type bits. */
  void mknod(Path path, int mode, long rdev) throws IOException;

  /** All readable extended attributes of {@code path} (not following a symlink), by full name. */
  Map<String, byte[]> readXattrs(Path path) throws IOException;

  /** Sets one extended attribute on {@code path} (not following a symlink). */
  void writeXattr(Path path, String name, byte[] value) throws IOException;

  /**
   * Removes one extended attribute from {@code path} (not following a symlink): a delta restore keeps a directory
   * whose xattrs were edited and must take away the ones the known-good does not have.
   */
  default void removeXattr(Path path, String name) throws IOException {
    throw new IOException("cannot remove xattr " + name + " from " + path + ": unavailable on this platform");
  }

  /**
   * lchown + chmod + utimensat without opening the object (the JDK opens it, which blocks on a FIFO and may have
   * side effects on a device). Mode is skipped for symlinks (Linux has no symlink modes).
   */
  void setOwner(Path path, int uid, int gid) throws IOException;

  void setMode(Path path, int perms) throws IOException;

  void setMtime(Path path, long epochNanos) throws IOException;

  /** 512-byte blocks allocated to the file ({@code st_blocks}), or -1 when unknown. */
  long allocatedBytes(Path path);

  /**
   * The data regions of the first {@code size} bytes of a regular file ({@code lseek SEEK_DATA/SEEK_HOLE}); the rest
   * are holes. Where holes cannot be asked for, the whole file is one region.
   */
  default SparseMap dataRegions(Path file, long size) throws IOException {
    return new SparseMap(size, size == 0 ? List.of() : List.of(new SparseMap.Region(0, size)));
  }

  /**
   * What {@link #readHead} read: how many bytes, and the file as it was once they were read (the tar snapshot's
   * "changed during copy" check and its change record's "after").
   */
  record Head(int length, Stat after) {}

  /**
   * Reads the first {@code len} bytes of a regular file into {@code buf} from {@code offset} (fewer at end of file).
   * For small files: one open, read and close, without the JDK channel's per-open bookkeeping. Composed here of a
   * channel read and an lstat; {@link JnaNativeFs} takes the stat from the descriptor it read (the very inode read,
   * no second lookup).
   */
  default Head readHead(Path file, byte[] buf, int offset, int len) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer bb = ByteBuffer.wrap(buf, offset, len);
      while (bb.hasRemaining() && in.read(bb) > 0) {
        // keep reading until full or end of file
      }
      return new Head(bb.position() - offset, stat(file));
    }
  }

  /**
   * As {@link #readHead(Path, byte[], int, int)} into {@code into}: up to its remaining bytes from its position, which
   * moves past what was read. The tar snapshot reads into direct buffers that go to the archive's channel as they
   * are: {@link JnaNativeFs} reads into one without copying (a heap array costs a copy from the native read buffer,
   * and another into the JDK's temporary direct buffer on the way out: 2 × 200 MB for 20k files of 10 KiB).
   */
  default Head readHead(Path file, ByteBuffer into) throws IOException {
    int start = into.position();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (into.hasRemaining() && in.read(into) > 0) {
        // keep reading until full or end of file
      }
      return new Head(into.position() - start, stat(file));
    }
  }

  /**
   * A regular file opened to be read whole, its xattrs first: the tar snapshot formats a member's header from its
   * xattrs, then reads its data behind it. {@link JnaNativeFs} asks both of one descriptor (a {@code flistxattr}
   * instead of an {@code llistxattr} that looks the path up again); the default reads by path.
   */
  interface OpenFile extends AutoCloseable {
    /** The file's xattrs, as {@link #readXattrs} gives them. */
    Map<String, byte[]> xattrs() throws IOException;

    /** As {@link #readHead(Path, ByteBuffer)}: up to {@code into}'s remaining bytes from the file's start. */
    Head read(ByteBuffer into) throws IOException;

    @Override
    void close();
  }

  /** Opens {@code file} (a regular file) for {@link OpenFile}; the caller closes it. */
  default OpenFile openFile(Path file) throws IOException {
    return new OpenFile() {
      @Override
      public Map<String, byte[]> xattrs() throws IOException {
        return readXattrs(file);
      }

      @Override
      public Head read(ByteBuffer into) throws IOException {
        return readHead(file, into);
      }

      @Override
      public void close() {
        // nothing held: each call above opens and closes by path
      }
    };
  }

  /**
   * Creates {@code file} (never over an existing name, never through a symlink) holding the first {@code len} bytes of
   * {@code data}, with owner, mode, xattrs and mtime set in {@link Meta#apply}'s order: the tar restore's one call
   * per small file. {@link JnaNativeFs} sets everything on the descriptor it created (no path lookup after the open).
   */
  default void writeNewFile(Path file, byte[] data, int len, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      out.write(data, 0, len);
    }
    Meta.apply(this, file, false, uid, gid, perms, xattrs, mtimeNanos);
  }

  /** The platform implementation: JNA on Linux, else one that reports everything unsupported. */
  static NativeFs platform() {
    return JnaNativeFs.INSTANCE != null ? JnaNativeFs.INSTANCE : new Unsupported();
  }

  /** Signals that cloning is not possible here (NOTSUP-class errno); the caller falls back. */
  final class CloneUnsupportedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public CloneUnsupportedException(String message, int errno) {
      super(message);
      this.errno = errno;
    }

    public int errno() {
      return errno;
    }
  }

  /** Where JNA or Linux is missing: no clones, no xattrs, no device nodes. */
  final class Unsupported implements NativeFs {
    @Override
    public boolean cloneAvailable() {
      return false;
    }

    @Override
    public void cloneFile(Path src, Path dst, int mode) throws IOException {
      throw new CloneUnsupportedException("FICLONE unavailable on this platform", 95);
    }

    @Override
    public Stat stat(Path path) throws IOException {
      return Stat.of(path);
    }

    @Override
    public void syncFilesystem(Path anyPath) {
      // no JNA: the byte-copy and tar paths fsync what they write themselves
    }

    @Override
    public void mknod(Path path, int mode, long rdev) throws IOException {
      throw new IOException("cannot create special file " + path + ": mknod unavailable on this platform");
    }

    @Override
    public Map<String, byte[]> readXattrs(Path path) {
      return Map.of();
    }

    @Override
    public void writeXattr(Path path, String name, byte[] value) throws IOException {
      throw new IOException("cannot set xattr " + name + " on " + path + ": unavailable on this platform");
    }

    @Override
    public long allocatedBytes(Path path) {
      return -1;
    }

    @Override
    public void setOwner(Path path, int uid, int gid) throws IOException {
      Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void setMode(Path path, int perms) throws IOException {
      Files.setAttribute(path, "unix:mode", perms, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void setMtime(Path path, long epochNanos) throws IOException {
      Files.getFileAttributeView(path, BasicFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.from(epochNanos,
          TimeUnit.NANOSECONDS), null, null);
    }
  }
}
