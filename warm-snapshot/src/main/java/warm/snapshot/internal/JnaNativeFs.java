package warm.snapshot.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux implementation of {@link NativeFs} through JNA (reference/native-fs.md §2.2–2.4): fds from {@code open(2)},
 * {@code ioctl(FICLONE)}, errno read from the return value path ({@link Native#getLastError()}).
 */
final class JnaNativeFs implements NativeFs {
  /** Null when JNA or libc cannot be linked; callers degrade to the tar path. */
  static final JnaNativeFs INSTANCE = load();

  /** _IOW(0x94, 9, int) from linux/fs.h. */
  private static final long FICLONE = 0x40049409L;
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_EXCL = 0200;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_PATH = 010000000;

  static final int EPERM = 1, EIO = 5, EBADF = 9, ENOMEM = 12, EACCES = 13, EXDEV = 18, EINVAL = 22, ENOTTY = 25,
      ETXTBSY = 26, ENOSPC = 28, ERANGE = 34, ENOSYS = 38, ENODATA = 61, EOPNOTSUPP = 95, EDQUOT = 122;

  /**
   * Direct-mapped libc (JNA {@code Native.register}): an order of magnitude cheaper per call than an interface
   * proxy, which matters at tens of thousands of files. Fixed arity for the variadic open/ioctl is correct on
   * x86-64 and AArch64 Linux (native-fs.md §2.2). errno is read with {@link Native#getLastError()}.
   * Only primitives, primitive arrays, {@code String} and {@code Pointer}: JNA passes those in its native code,
   * while a {@code NativeLong} (C {@code long}, {@code size_t}, {@code ssize_t}) costs calls back into Java and a
   * reflective allocation per call; both platforms are LP64, so a Java {@code long} is that C type. A struct stat
   * is read into a {@code long[]} (one array copy) rather than field by field from native memory (a JNI call each).
   */
  static final class LibC {
    static native int open(byte[] path, int flags, int mode);

    static native int openat(int dirfd, byte[] path, int flags, int mode);

    static native int fstatat(int dirfd, byte[] path, long[] buf, int flags);

    static native int unlinkat(int dirfd, byte[] path, int flags);

    static native int ioctl(int fd, long request, int arg);

    static native int close(int fd);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native long lseek(int fd, long offset, int whence);

    static native int syncfs(int fd);

    static native int unlink(byte[] path);

    static native int mknod(byte[] path, int mode, long dev);

    static native long llistxattr(byte[] path, byte[] list, long size);

    static native long flistxattr(int fd, byte[] list, long size);

    static native long lgetxattr(byte[] path, String name, byte[] value, long size);

    static native int lsetxattr(byte[] path, String name, byte[] value, long size, int flags);

    static native int lremovexattr(byte[] path, String name);

    static native int lstat(byte[] path, long[] buf);

    static native int lchown(byte[] path, int uid, int gid);

    static native int chmod(byte[] path, int mode);

    static native int utimensat(int dirfd, byte[] path, long[] times, int flags);

    static native int fstat(int fd, long[] buf);

    static native int fchown(int fd, int uid, int gid);

    static native int fchmod(int fd, int mode);

    static native int fsetxattr(int fd, String name, byte[] value, long size, int flags);

    static native int futimens(int fd, long[] times);

    static native String strerror(int errnum);

    private LibC() {}
  }

  /** struct stat offsets: [mode, nlink, nlinkIs32, uid, gid, rdev] differ between x86-64 and the generic layout. */
  private final boolean x86;
  /**
   * {@code O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC}: the two middle flags differ between x86-64 (asm-generic:
   * 0200000, 0400000) and AArch64 (arm64's own fcntl.h: 040000, 0100000).
   */
  private final int dirFlags;

  private JnaNativeFs(boolean x86) {
    this.x86 = x86;
    this.dirFlags = O_PATH | O_CLOEXEC | (x86 ? 0200000 | 0400000 : 040000 | 0100000);
  }

  private static JnaNativeFs load() {
    String arch = System.getProperty("os.arch");
    boolean x86 = "amd64".equals(arch) || "x86_64".equals(arch);
    if (!Platform.isLinux() || !(x86 || "aarch64".equals(arch))) {
      return null;
    }
    try {
      Libc.register(LibC.class);
      return new JnaNativeFs(x86);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      // Looked up here, not in a static field: the binding may run early (NativeWarmUp), also for a command line
      // that turns out wrong and must not start logging.
      Logger log = LoggerFactory.getLogger(JnaNativeFs.class);
      log.warn("libc not linkable through JNA ({}); snapshots use the tar path", e.getMessage());
      return null;
    }
  }

  /** A struct stat as 8-byte words: 144 bytes on x86-64, 128 in the generic layout. */
  private static final int STAT_WORDS = 18;
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /**
   * The struct stat each thread's calls are read into: {@link #parse} copies what it needs before the next call, and
   * a fresh array per call was ~10 MB of a 20k-file snapshot's garbage (three stats per file; issue 15, rows 1–2,
   * fourteenth round).
   */
  private static final ThreadLocal<long[]> STAT_BUF = new StatBuffer();

  /** A named class, not {@code withInitial}'s lambda: no lambda spun at run time (twelfth round). */
  private static final class StatBuffer extends ThreadLocal<long[]> {
    @Override
    protected long[] initialValue() {
      return new long[STAT_WORDS];
    }
  }

  @Override
  public Stat stat(Path path) throws IOException {
    long[] b = STAT_BUF.get();
    return statted(LibC.lstat(RawNames.c(path), b), b, path);
  }

  @Override
  public Stat statAt(int dir, byte[] name, Path path) throws IOException {
    long[] b = STAT_BUF.get();
    return statted(LibC.fstatat(dir, name, b, AT_SYMLINK_NOFOLLOW), b, path);
  }

  /** An lstat's answer: the parsed buffer, or the error naming the path (a missing one as NoSuchFileException). */
  private Stat statted(int rc, long[] b, Path path) throws IOException {
    if (rc != 0) {
      int errno = Native.getLastError();
      if (errno == 2) {
        throw new NoSuchFileException(path.toString());
      }
      throw error("lstat " + path, errno);
    }
    return parse(b);
  }

  @Override
  public int openDirectory(Path dir, Stat expected) {
    // O_PATH: only search permission is needed (a 0100 directory, a non-root caller), and no read of the directory.
    int fd = LibC.open(RawNames.c(dir), dirFlags, 0);
    if (fd < 0 || expected == null) {
      return fd;
    }
    long[] b = STAT_BUF.get();
    if (LibC.fstat(fd, b) != 0) {
      LibC.close(fd);
      return -1;
    }
    Stat found = parse(b);
    if (found.ino() != expected.ino() || found.dev() != expected.dev()) {
      LibC.close(fd); // replaced since the caller's lstat: by path, as before (the listing goes by path)
      return -1;
    }
    return fd;
  }

  @Override
  public void closeDirectory(int fd) {
    LibC.close(fd);
  }

  /** fstat(2) of an open descriptor ({@code path} only names it in an error). */
  private Stat fstat(int fd, Path path) throws IOException {
    long[] b = STAT_BUF.get();
    if (LibC.fstat(fd, b) != 0) {
      throw error("fstat " + path, Native.getLastError());
    }
    return parse(b);
  }

  /** A struct stat as the kernel filled it in, word {@code i} holding bytes {@code 8i..8i+7}. */
  private Stat parse(long[] w) {
    long dev = w[0];
    long ino = w[1];
    int mode;
    int nlink;
    int uid;
    int gid;
    long rdev;
    if (x86) { // st_nlink(8) at 16, st_mode at 24, uid 28, gid 32, rdev 40
      nlink = (int) w[2];
      mode = first(w[3]);
      uid = second(w[3]);
      gid = first(w[4]);
      rdev = w[5];
    } else { // asm-generic: st_mode at 16, st_nlink(4) at 20, uid 24, gid 28, rdev 32
      mode = first(w[2]);
      nlink = second(w[2]);
      uid = first(w[3]);
      gid = second(w[3]);
      rdev = w[4];
    }
    long size = w[6]; // 48
    long blocks = w[8]; // 64
    long mtime = w[11] * 1_000_000_000L + w[12]; // 88, 96
    long ctime = w[13] * 1_000_000_000L + w[14]; // 104, 112: same offsets in both layouts
    return new Stat(mode, uid, gid, ino, dev, nlink, rdev, size, mtime, ctime, blocks);
  }

  /** The 4-byte field at the lower address of an 8-byte word. */
  private static int first(long word) {
    return (int) (LITTLE_ENDIAN ? word : word >>> 32);
  }

  /** The 4-byte field at the higher address of an 8-byte word. */
  private static int second(long word) {
    return (int) (LITTLE_ENDIAN ? word >>> 32 : word);
  }

  @Override
  public boolean cloneAvailable() {
    return true;
  }

  @Override
  public void cloneFile(Path src, Path dst, int mode) throws IOException {
    int in = LibC.open(RawNames.c(src), O_RDONLY | O_CLOEXEC, 0);
    if (in < 0) {
      throw error("open " + src, Native.getLastError());
    }
    try {
      int out = LibC.open(RawNames.c(dst), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
      if (out < 0) {
        throw error("create " + dst, Native.getLastError());
      }
      int rc = LibC.ioctl(out, FICLONE, in);
      int errno = rc < 0 ? Native.getLastError() : 0;
      LibC.close(out); // durability: the caller flushes before publishing (SnapshotFlush, syncfs)
      if (rc != 0) {
        LibC.unlink(RawNames.c(dst));
        if (isCloneNotSupported(errno)) {
          throw new CloneUnsupportedException("cannot clone " + src + ": " + LibC.strerror(errno), errno);
        }
        throw error("clone " + src + " to " + dst, errno);
      }
    } finally {
      LibC.close(in);
    }
  }

  @Override
  public Cloned cloneWithMeta(Path src, Path dst, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos, boolean statAfter) throws IOException {
    if (!statAfter) {
      return clone(src, dst, null, uid, gid, perms, xattrs, mtimeNanos, (in, out, made, x) -> Cloned.UNSTATED);
    }
    // The copy's size is the one its stat after the clone gave (clone(): owner, mode, xattrs and mtime do not move
    // it, and nothing else can write a file this call just created exclusively): one fstat fewer per file.
    return clone(src, dst, null, uid, gid, perms, xattrs, mtimeNanos, new SourceStat(src));
  }

  @Override
  public ClonedOwn cloneWithOwnXattrs(Path src, Path dst, int uid, int gid, int perms, long mtimeNanos,
      boolean statAfter) throws IOException {
    return clone(src, dst, null, uid, gid, perms, null, mtimeNanos, new OwnXattrs(src, statAfter));
  }

  @Override
  public ClonedOwn cloneWithOwnXattrs(Path src, Path dst, At at, int uid, int gid, int perms, long mtimeNanos,
      boolean statAfter) throws IOException {
    return clone(src, dst, at, uid, gid, perms, null, mtimeNanos, new OwnXattrs(src, statAfter));
  }

  /** {@link #cloneWithOwnXattrs}'s outcome: as {@link SourceStat} (or unstated), with the xattrs read on the source. */
  private final class OwnXattrs implements Outcome<ClonedOwn> {
    private final Path src;
    private final boolean statAfter;

    OwnXattrs(Path src, boolean statAfter) {
      this.src = src;
      this.statAfter = statAfter;
    }

    @Override
    public ClonedOwn read(int in, int out, Stat made, Map<String, byte[]> xattrs) throws IOException {
      return new ClonedOwn(statAfter ? new Cloned(fstat(in, src), made.size()) : Cloned.UNSTATED, xattrs);
    }
  }

  /**
   * A snapshot's clone outcome: the source's stat and the copy's size. A named class, not a lambda: the AppCDS
   * archive's training snapshot takes the tar path, so a lambda here was spun at run time by every reflink snapshot
   * (~1 ms on the main thread, issue 15, twelfth round).
   */
  private final class SourceStat implements Outcome<Cloned> {
    private final Path src;

    SourceStat(Path src) {
      this.src = src;
    }

    @Override
    public Cloned read(int in, int out, Stat made, Map<String, byte[]> xattrs) throws IOException {
      return new Cloned(fstat(in, src), made.size());
    }
  }

  @Override
  public Created cloneWithMetaDescribed(Path src, Path dst, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos) throws IOException {
    return cloneWithMetaDescribed(src, dst, null, uid, gid, perms, xattrs, mtimeNanos);
  }

  @Override
  public Created cloneWithMetaDescribed(Path src, Path dst, At at, int uid, int gid, int perms,
      Map<String, byte[]> xattrs, long mtimeNanos) throws IOException {
    return clone(src, dst, at, uid, gid, perms, xattrs, mtimeNanos, new Described(dst));
  }

  /**
   * A restore's clone outcome: the copy as the kernel has it after the mtime set (its ctime moved since the clone).
   * A named class, not a lambda (twelfth round).
   */
  private final class Described implements Outcome<Created> {
    private final Path dst;

    Described(Path dst) {
      this.dst = dst;
    }

    @Override
    public Created read(int in, int out, Stat made, Map<String, byte[]> xattrs) throws IOException {
      return new Created(fstat(out, dst), xattrsOf(out, dst));
    }
  }

  /**
   * What a clone call reports, read on the source's and the copy's descriptors once the copy's metadata is set;
   * {@code made} is the copy's stat taken right after the clone, before any of its metadata was set; {@code xattrs}
   * those set on the copy.
   */
  @FunctionalInterface
  private interface Outcome<T> {
    T read(int in, int out, Stat made, Map<String, byte[]> xattrs) throws IOException;
  }

  /**
   * The clone calls' common body, ending with their {@code outcome} while both descriptors are open; {@code xattrs}
   * null: the source's own, read on its descriptor before the copy is created. {@code at} non-null: both opens are
   * relative to its directories (the same flags: the last component is treated exactly as by path).
   */
  private <T> T clone(Path src, Path dst, At at, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos, Outcome<T> outcome) throws IOException {
    // As cp does: everything after the two opens on their descriptors, so the kernel resolves each path once; with
    // `at`, only the name (issue 15, fifteenth round).
    int in = at != null ? LibC.openat(at.srcDir(), at.name(), O_RDONLY | O_CLOEXEC, 0)
        : LibC.open(RawNames.c(src), O_RDONLY | O_CLOEXEC, 0);
    if (in < 0) {
      int errno = Native.getLastError();
      if (errno == 2) {
        throw new NoSuchFileException(src.toString());
      }
      throw error("open " + src, errno);
    }
    try {
      if (xattrs == null) {
        xattrs = xattrsOf(in, src);
      }
      byte[] target = at != null ? at.name() : RawNames.c(dst);
      int targetDir = at != null ? at.dstDir() : AT_FDCWD;
      int out = LibC.openat(targetDir, target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, perms & 07777);
      if (out < 0) {
        throw error("create " + dst, Native.getLastError());
      }
      try {
        if (LibC.ioctl(out, FICLONE, in) != 0) {
          int errno = Native.getLastError();
          LibC.close(out);
          out = -1;
          LibC.unlinkat(targetDir, target, 0);
          if (isCloneNotSupported(errno)) {
            throw new CloneUnsupportedException("cannot clone " + src + ": " + LibC.strerror(errno), errno);
          }
          throw error("clone " + src + " to " + dst, errno);
        }
        // Meta.apply's order: owner, mode (chown clears setuid), xattrs, mtime (the clone moved it). As cp does, an
        // owner or mode the new inode already has is not set again: each call is a filesystem transaction (XFS: as
        // much kernel work as the clone's own), and the copy's stat taken here says what the create gave it.
        Stat made = fstat(out, dst);
        boolean chowned = made.uid() != uid || made.gid() != gid;
        if (chowned && LibC.fchown(out, uid, gid) != 0) {
          throw error("fchown " + dst, Native.getLastError());
        }
        if ((made.perms() != (perms & 07777) || chowned && (made.perms() & 06000) != 0)
            && LibC.fchmod(out, perms & 07777) != 0) {
          throw error("fchmod " + dst, Native.getLastError());
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
          byte[] v = x.getValue();
          if (LibC.fsetxattr(out, x.getKey(), v, v.length, 0) != 0) {
            Meta.xattrRefused(dst, x.getKey(), error("fsetxattr " + dst + " " + x.getKey(), Native.getLastError()));
          }
        }
        long[] times = {0, UTIME_OMIT, Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos,
            1_000_000_000L)};
        if (LibC.futimens(out, times) != 0) {
          throw error("futimens " + dst, Native.getLastError());
        }
        return outcome.read(in, out, made, xattrs);
      } finally {
        if (out >= 0) {
          LibC.close(out); // durability: the caller flushes before publishing (SnapshotFlush, syncfs)
        }
      }
    } finally {
      LibC.close(in);
    }
  }

  /** Native side of {@link #writeNewFile}: one per thread, grown to the largest file asked for. */
  private static final ThreadLocal<Memory[]> WRITE_BUF = ThreadLocal.withInitial(() -> new Memory[1]);

  @Override
  public void writeNewFile(Path file, byte[] data, int len, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos) throws IOException {
    // As GNU tar does: create exclusively (open(2): with O_CREAT|O_EXCL a symlink at the name is not followed, the
    // call fails), then write and set everything on the descriptor. The caller syncs the filesystem once (syncfs).
    int fd = LibC.open(RawNames.c(file), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw error("create " + file, Native.getLastError());
    }
    try {
      if (len > 0) {
        Memory[] holder = WRITE_BUF.get();
        if (holder[0] == null || holder[0].size() < len) {
          holder[0] = new Memory(Math.max(len, 64 << 10));
        }
        Memory m = holder[0];
        m.write(0, data, 0, len);
        long done = 0;
        while (done < len) {
          long n = LibC.write(fd, m.share(done), len - done);
          if (n < 0) {
            int errno = Native.getLastError();
            if (errno == EINTR) {
              continue;
            }
            throw error("write " + file, errno);
          }
          done += n;
        }
      }
      // Meta.apply's order: owner, mode (chown clears setuid), xattrs, mtime (the writes moved it).
      if (LibC.fchown(fd, uid, gid) != 0) {
        throw error("fchown " + file, Native.getLastError());
      }
      if (LibC.fchmod(fd, perms & 07777) != 0) {
        throw error("fchmod " + file, Native.getLastError());
      }
      for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
        byte[] v = x.getValue();
        if (LibC.fsetxattr(fd, x.getKey(), v, v.length, 0) != 0) {
          Meta.xattrRefused(file, x.getKey(), error("fsetxattr " + file + " " + x.getKey(), Native.getLastError()));
        }
      }
      long[] times = {0, UTIME_OMIT, Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos,
          1_000_000_000L)};
      if (LibC.futimens(fd, times) != 0) {
        throw error("futimens " + file, Native.getLastError());
      }
    } finally {
      LibC.close(fd);
    }
  }

  /** Native side of {@link #readHead}: one per thread, grown to the largest read asked for. */
  private static final ThreadLocal<Memory[]> READ_BUF = ThreadLocal.withInitial(() -> new Memory[1]);
  private static final int EINTR = 4;

  @Override
  public Head readHead(Path file, byte[] buf, int offset, int len) throws IOException {
    if (len == 0) {
      return new Head(0, stat(file)); // nothing to read: no descriptor to ask
    }
    Memory[] holder = READ_BUF.get();
    if (holder[0] == null || holder[0].size() < len) {
      holder[0] = new Memory(Math.max(len, 64 << 10));
    }
    Memory m = holder[0];
    Head h = readAt(file, m, len);
    m.read(0, buf, offset, h.length());
    return h;
  }

  @Override
  public Head readHead(Path file, ByteBuffer into) throws IOException {
    int len = into.remaining();
    if (!into.isDirect()) {
      return NativeFs.super.readHead(file, into);
    }
    if (len == 0) {
      return new Head(0, stat(file)); // nothing to read: no descriptor to ask
    }
    try (OpenFile f = openFile(file)) {
      return f.read(into);
    }
  }

  /** Reads {@code fd} (open on {@code file}, at its start) into direct buffer {@code into}, moving its position. */
  private Head readInto(int fd, Path file, ByteBuffer into) throws IOException {
    int len = into.remaining();
    if (len == 0) {
      return new Head(0, fstat(fd, file));
    }
    Head h = readFd(fd, file, Native.getDirectBufferPointer(into).share(into.position()), len);
    into.position(into.position() + h.length());
    return h;
  }

  @Override
  public OpenFile openFile(Path file) throws IOException {
    int fd = LibC.open(RawNames.c(file), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      throw error("open " + file, Native.getLastError());
    }
    return new OpenFile() {
      @Override
      public Map<String, byte[]> xattrs() throws IOException {
        return xattrsOf(fd, file);
      }

      @Override
      public Head read(ByteBuffer into) throws IOException {
        return into.isDirect() ? readInto(fd, file, into) : readHead(file, into);
      }

      @Override
      public void close() {
        LibC.close(fd);
      }
    };
  }

  /** Reads up to {@code len} bytes of {@code file} from its start to native memory {@code at}; the open file's stat. */
  private Head readAt(Path file, Pointer at, int len) throws IOException {
    int fd = LibC.open(RawNames.c(file), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      throw error("open " + file, Native.getLastError());
    }
    try {
      return readFd(fd, file, at, len);
    } finally {
      LibC.close(fd);
    }
  }

  /** Reads up to {@code len} bytes from {@code fd} (open on {@code file}, at its start) to {@code at}; its stat. */
  private Head readFd(int fd, Path file, Pointer at, int len) throws IOException {
    int got = 0;
    while (got < len) {
      long n = LibC.read(fd, at.share(got), len - got);
      if (n < 0) {
        int errno = Native.getLastError();
        if (errno == EINTR) {
          continue;
        }
        throw error("read " + file, errno);
      }
      if (n == 0) {
        break;
      }
      got += (int) n;
    }
    return new Head(got, fstat(fd, file));
  }

  private static final int SEEK_DATA = 3;
  private static final int SEEK_HOLE = 4;
  private static final int ENXIO = 6;

  @Override
  public SparseMap dataRegions(Path file, long size) throws IOException {
    int fd = LibC.open(RawNames.c(file), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      throw error("open " + file, Native.getLastError());
    }
    try {
      List<SparseMap.Region> regions = new ArrayList<>();
      long pos = 0;
      while (pos < size) {
        long data = LibC.lseek(fd, pos, SEEK_DATA);
        if (data < 0) {
          int errno = Native.getLastError();
          if (errno == ENXIO) {
            break; // no data after pos: the rest is a hole
          }
          if (errno == EINVAL && pos == 0) {
            return NativeFs.super.dataRegions(file, size); // the filesystem cannot say: dense
          }
          throw error("lseek SEEK_DATA " + file, errno);
        }
        if (data >= size) {
          break;
        }
        long hole = LibC.lseek(fd, data, SEEK_HOLE);
        if (hole < 0) {
          throw error("lseek SEEK_HOLE " + file, Native.getLastError());
        }
        long end = Math.min(hole, size);
        regions.add(new SparseMap.Region(data, end - data));
        pos = end;
      }
      return new SparseMap(size, regions);
    } finally {
      LibC.close(fd);
    }
  }

  /** coreutils {@code is_CLONENOTSUP}: "not supported here", fall back (native-fs.md §2.4). */
  static boolean isCloneNotSupported(int errno) {
    return errno == ENOSYS || errno == ENOTTY || errno == EOPNOTSUPP || errno == EINVAL || errno == EBADF
        || errno == EXDEV || errno == ETXTBSY || errno == EPERM || errno == EACCES;
  }

  @Override
  public void syncFilesystem(Path anyPath) throws IOException {
    int fd = LibC.open(RawNames.c(anyPath), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      throw error("open " + anyPath, Native.getLastError());
    }
    try {
      if (LibC.syncfs(fd) != 0) {
        throw error("syncfs " + anyPath, Native.getLastError());
      }
    } finally {
      LibC.close(fd);
    }
  }

  @Override
  public void mknod(Path path, int mode, long rdev) throws IOException {
    if (LibC.mknod(RawNames.c(path), mode, rdev) != 0) {
      throw error("mknod " + path, Native.getLastError());
    }
  }

  /**
   * The xattrs of an open copy: none is the usual answer, given by one {@code flistxattr} on the descriptor; a copy
   * that has some is read by path ({@link #readXattrs}), as every other object is.
   */
  private Map<String, byte[]> xattrsOf(int fd, Path path) throws IOException {
    long size = LibC.flistxattr(fd, null, 0);
    if (size == 0) {
      return Map.of();
    }
    if (size < 0) {
      int errno = Native.getLastError();
      if (errno == EOPNOTSUPP) {
        return Map.of();
      }
      throw error("flistxattr " + path, errno);
    }
    return readXattrs(path);
  }

  @Override
  public Map<String, byte[]> readXattrs(Path path) throws IOException {
    byte[] p = RawNames.c(path);
    String at = path.toString();
    Map<String, byte[]> out = new LinkedHashMap<>();
    byte[] names = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      long size = LibC.llistxattr(p, null, 0);
      if (size < 0) {
        int errno = Native.getLastError();
        if (errno == EOPNOTSUPP) {
          return out;
        }
        throw error("llistxattr " + at, errno);
      }
      if (size == 0) {
        return out;
      }
      byte[] buf = new byte[(int) size];
      long got = LibC.llistxattr(p, buf, size);
      if (got >= 0) {
        names = Arrays.copyOf(buf, (int) got);
        break;
      }
      if (Native.getLastError() != ERANGE) {
        throw error("llistxattr " + at, Native.getLastError());
      }
    }
    if (names == null) {
      throw new IOException("llistxattr " + at + ": list kept changing");
    }
    int start = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i] == 0) {
        if (i > start) {
          String name = new String(names, start, i - start, StandardCharsets.UTF_8);
          byte[] v = getXattr(p, at, name);
          if (v != null) {
            out.put(name, v);
          }
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** One value, or null when it vanished or cannot be read (e.g. a trusted.* attribute without privilege). */
  private byte[] getXattr(byte[] p, String at, String name) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      long size = LibC.lgetxattr(p, name, null, 0);
      if (size < 0) {
        int errno = Native.getLastError();
        if (errno == ENODATA || errno == EACCES || errno == EPERM || errno == EOPNOTSUPP) {
          return null;
        }
        throw error("lgetxattr " + at + " " + name, errno);
      }
      byte[] buf = new byte[(int) size];
      long got = LibC.lgetxattr(p, name, buf, size);
      if (got >= 0) {
        return Arrays.copyOf(buf, (int) got);
      }
      if (Native.getLastError() != ERANGE) {
        throw error("lgetxattr " + at + " " + name, Native.getLastError());
      }
    }
    throw new IOException("lgetxattr " + at + " " + name + ": value kept changing");
  }

  @Override
  public void writeXattr(Path path, String name, byte[] value) throws IOException {
    if (LibC.lsetxattr(RawNames.c(path), name, value, value.length, 0) != 0) {
      throw error("lsetxattr " + path + " " + name, Native.getLastError());
    }
  }

  @Override
  public void removeXattr(Path path, String name) throws IOException {
    if (LibC.lremovexattr(RawNames.c(path), name) != 0) {
      throw error("lremovexattr " + path + " " + name, Native.getLastError());
    }
  }

  @Override
  public long allocatedBytes(Path path) {
    try {
      return stat(path).blocks() * 512L;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void setOwner(Path path, int uid, int gid) throws IOException {
    if (LibC.lchown(RawNames.c(path), uid, gid) != 0) {
      throw error("lchown " + path, Native.getLastError());
    }
  }

  @Override
  public void setMode(Path path, int perms) throws IOException {
    if (LibC.chmod(RawNames.c(path), perms & 07777) != 0) {
      throw error("chmod " + path, Native.getLastError());
    }
  }

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final long UTIME_OMIT = (1L << 30) - 2L;

  @Override
  public void setMtime(Path path, long epochNanos) throws IOException {
    // struct timespec[2] = {atime, mtime}; two longs each on 64-bit Linux.
    long[] times = {0, UTIME_OMIT, Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)};
    if (LibC.utimensat(AT_FDCWD, RawNames.c(path), times, AT_SYMLINK_NOFOLLOW) != 0) {
      throw error("utimensat " + path, Native.getLastError());
    }
  }

  private IOException error(String what, int errno) {
    String msg = what + ": " + LibC.strerror(errno) + " (errno " + errno + ")";
    return errno == ENOSPC || errno == EDQUOT ? new NoSpaceException(msg) : new IOException(msg);
  }

  /** ENOSPC / EDQUOT: the store's filesystem is full. */
  static final class NoSpaceException extends IOException {
    private static final long serialVersionUID = 1L;

    NoSpaceException(String message) {
      super(message);
    }
  }
}
