package warm.snapshot.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux implementation of {@link NativeFs} through JNA (reference/native-fs.md §2.2–2.4): fds from {@code open(2)},
 * {@code ioctl(FICLONE)}, errno read from the return value path ({@link Native#getLastError()}).
 */
final class JnaNativeFs implements NativeFs {
  private static final Logger LOG = LoggerFactory.getLogger(JnaNativeFs.class);

  /** Null when JNA or libc cannot be linked; callers degrade to the tar path. */
  static final JnaNativeFs INSTANCE = load();

  /** _IOW(0x94, 9, int) from linux/fs.h. */
  private static final NativeLong FICLONE = new NativeLong(0x40049409L);
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 01;
  private static final int O_CREAT = 0100;
  private static final int O_EXCL = 0200;
  private static final int O_CLOEXEC = 02000000;

  static final int EPERM = 1, EIO = 5, EBADF = 9, ENOMEM = 12, EACCES = 13, EXDEV = 18, EINVAL = 22, ENOTTY = 25,
      ETXTBSY = 26, ENOSPC = 28, ERANGE = 34, ENOSYS = 38, ENODATA = 61, EOPNOTSUPP = 95, EDQUOT = 122;

  // A private Library interface works inside a named module without opens (style.md §1.1).
  private interface LibC extends Library {
    int open(String path, int flags, int mode);

    int ioctl(int fd, NativeLong request, int arg);

    int close(int fd);

    int fsync(int fd);

    int syncfs(int fd);

    int unlink(String path);

    int mknod(String path, int mode, long dev);

    NativeLong llistxattr(String path, byte[] list, NativeLong size);

    NativeLong lgetxattr(String path, String name, byte[] value, NativeLong size);

    int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags);

    int lstat(String path, Pointer buf);

    int lchown(String path, int uid, int gid);

    int chmod(String path, int mode);

    int utimensat(int dirfd, String path, long[] times, int flags);

    String strerror(int errnum);
  }

  private final LibC libc;

  private JnaNativeFs(LibC libc) {
    this.libc = libc;
  }

  private static JnaNativeFs load() {
    if (!Platform.isLinux()) {
      return null;
    }
    try {
      return new JnaNativeFs(Native.load("c", LibC.class));
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn("libc not linkable through JNA ({}); snapshots use the tar path", e.getMessage());
      return null;
    }
  }

  @Override
  public boolean cloneAvailable() {
    return true;
  }

  @Override
  public void cloneFile(Path src, Path dst, int mode) throws IOException {
    int in = libc.open(src.toString(), O_RDONLY | O_CLOEXEC, 0);
    if (in < 0) {
      throw error("open " + src, Native.getLastError());
    }
    try {
      int out = libc.open(dst.toString(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
      if (out < 0) {
        throw error("create " + dst, Native.getLastError());
      }
      int rc = libc.ioctl(out, FICLONE, in);
      int errno = rc < 0 ? Native.getLastError() : 0;
      libc.close(out); // durability: the caller syncs the whole filesystem once (syncfs) before publishing
      if (rc != 0) {
        libc.unlink(dst.toString());
        if (isCloneNotSupported(errno)) {
          throw new CloneUnsupportedException("cannot clone " + src + ": " + libc.strerror(errno), errno);
        }
        throw error("clone " + src + " to " + dst, errno);
      }
    } finally {
      libc.close(in);
    }
  }

  /** coreutils {@code is_CLONENOTSUP}: "not supported here", fall back (native-fs.md §2.4). */
  static boolean isCloneNotSupported(int errno) {
    return errno == ENOSYS || errno == ENOTTY || errno == EOPNOTSUPP || errno == EINVAL || errno == EBADF
        || errno == EXDEV || errno == ETXTBSY || errno == EPERM || errno == EACCES;
  }

  @Override
  public void syncFilesystem(Path anyPath) throws IOException {
    int fd = libc.open(anyPath.toString(), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
      throw error("open " + anyPath, Native.getLastError());
    }
    try {
      if (libc.syncfs(fd) != 0) {
        throw error("syncfs " + anyPath, Native.getLastError());
      }
    } finally {
      libc.close(fd);
    }
  }

  @Override
  public void mknod(Path path, int mode, long rdev) throws IOException {
    if (libc.mknod(path.toString(), mode, rdev) != 0) {
      throw error("mknod " + path, Native.getLastError());
    }
  }

  @Override
  public Map<String, byte[]> readXattrs(Path path) throws IOException {
    String p = path.toString();
    Map<String, byte[]> out = new LinkedHashMap<>();
    byte[] names = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      long size = libc.llistxattr(p, null, new NativeLong(0)).longValue();
      if (size < 0) {
        int errno = Native.getLastError();
        if (errno == EOPNOTSUPP) {
          return out;
        }
        throw error("llistxattr " + p, errno);
      }
      if (size == 0) {
        return out;
      }
      byte[] buf = new byte[(int) size];
      long got = libc.llistxattr(p, buf, new NativeLong(size)).longValue();
      if (got >= 0) {
        names = java.util.Arrays.copyOf(buf, (int) got);
        break;
      }
      if (Native.getLastError() != ERANGE) {
        throw error("llistxattr " + p, Native.getLastError());
      }
    }
    if (names == null) {
      throw new IOException("llistxattr " + p + ": list kept changing");
    }
    int start = 0;
    for (int i = 0; i < names.length; i++) {
      if (names[i] == 0) {
        if (i > start) {
          String name = new String(names, start, i - start, StandardCharsets.UTF_8);
          byte[] v = getXattr(p, name);
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
  private byte[] getXattr(String p, String name) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      long size = libc.lgetxattr(p, name, null, new NativeLong(0)).longValue();
      if (size < 0) {
        int errno = Native.getLastError();
        if (errno == ENODATA || errno == EACCES || errno == EPERM || errno == EOPNOTSUPP) {
          return null;
        }
        throw error("lgetxattr " + p + " " + name, errno);
      }
      byte[] buf = new byte[(int) size];
      long got = libc.lgetxattr(p, name, buf, new NativeLong(size)).longValue();
      if (got >= 0) {
        return java.util.Arrays.copyOf(buf, (int) got);
      }
      if (Native.getLastError() != ERANGE) {
        throw error("lgetxattr " + p + " " + name, Native.getLastError());
      }
    }
    throw new IOException("lgetxattr " + p + " " + name + ": value kept changing");
  }

  @Override
  public void writeXattr(Path path, String name, byte[] value) throws IOException {
    if (libc.lsetxattr(path.toString(), name, value, new NativeLong(value.length), 0) != 0) {
      throw error("lsetxattr " + path + " " + name, Native.getLastError());
    }
  }

  @Override
  public long allocatedBytes(Path path) {
    // st_blocks sits at offset 64 in struct stat on both x86-64 and aarch64 Linux; lstat is exported by glibc >= 2.33.
    if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))
        && !"aarch64".equals(System.getProperty("os.arch"))) {
      return -1;
    }
    try (Memory buf = new Memory(256)) {
      if (libc.lstat(path.toString(), buf) != 0) {
        return -1;
      }
      return buf.getLong(64) * 512L;
    } catch (UnsatisfiedLinkError e) {
      return -1;
    }
  }

  @Override
  public void setOwner(Path path, int uid, int gid) throws IOException {
    if (libc.lchown(path.toString(), uid, gid) != 0) {
      throw error("lchown " + path, Native.getLastError());
    }
  }

  @Override
  public void setMode(Path path, int perms) throws IOException {
    if (libc.chmod(path.toString(), perms & 07777) != 0) {
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
    if (libc.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      throw error("utimensat " + path, Native.getLastError());
    }
  }

  private IOException error(String what, int errno) {
    String msg = what + ": " + libc.strerror(errno) + " (errno " + errno + ")";
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
