package warm.snapshot.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The physical extents of a regular file, {@code ioctl(FS_IOC_FIEMAP)} (Documentation/filesystems/fiemap.rst): the
 * addresses reflinked copies share, so space can be counted once per extent rather than once per file. Read-only:
 * no {@code FIEMAP_FLAG_SYNC}, so a delayed-allocation extent reports no address and is counted as its own.
 */
public final class Fiemap {
  /** _IOWR('f', 11, struct fiemap) with sizeof(struct fiemap) == 32, from linux/fs.h. */
  private static final NativeLong FS_IOC_FIEMAP = new NativeLong(0xC020660BL);
  private static final int HEADER = 32;
  private static final int EXTENT = 56;
  private static final int BATCH = 256;
  private static final int O_RDONLY = 0;
  private static final int O_NOFOLLOW = 0400000;
  private static final int O_CLOEXEC = 02000000;
  static final int EXTENT_LAST = 0x1;
  /** Flags under which fe_physical is no block address of this file alone (linux/fiemap.h). */
  static final int NO_ADDRESS = 0x2 /* UNKNOWN */ | 0x4 /* DELALLOC */ | 0x8 /* ENCODED */ | 0x100 /* NOT_ALIGNED */
      | 0x200 /* DATA_INLINE */ | 0x400 /* DATA_TAIL */;
  private static final boolean AVAILABLE = load();

  private Fiemap() {}

  /** Separate from {@link JnaNativeFs}'s libc mapping: FIEMAP needs a pointer argument to ioctl. */
  static final class LibC {
    static native int open(byte[] path, int flags, int mode);

    static native int ioctl(int fd, NativeLong request, Pointer arg);

    static native int close(int fd);

    private LibC() {}
  }

  private static boolean load() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      Libc.register(LibC.class);
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }

  /**
   * One extent.
   *
   * @param physical its address on the device (meaningless when {@link #addressed()} is false)
   * @param length its length in bytes
   * @param flags the FIEMAP_EXTENT_* flags
   */
  public record Extent(long physical, long length, int flags) {
    /** Whether {@link #physical} names blocks that another file's extent may share. */
    public boolean addressed() {
      return (flags & NO_ADDRESS) == 0;
    }
  }

  /**
   * The extents of the regular file {@code file} (never following a symlink), or empty when this platform or
   * filesystem cannot map extents (tmpfs, overlay, no JNA).
   *
   * @throws NoSuchFileException when the file is gone
   * @throws IOException for another failure to open or map it
   */
  public static Optional<List<Extent>> of(Path file) throws IOException {
    if (!AVAILABLE) {
      return Optional.empty();
    }
    int fd = LibC.open(RawNames.c(file), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
    if (fd < 0) {
      int errno = Native.getLastError();
      if (errno == 2) {
        throw new NoSuchFileException(file.toString());
      }
      throw new IOException("open " + file + ": errno " + errno);
    }
    try (Memory m = new Memory(HEADER + (long) EXTENT * BATCH)) {
      List<Extent> out = new ArrayList<>();
      long start = 0;
      while (true) {
        m.clear();
        m.setLong(0, start);
        m.setLong(8, -1L); // FIEMAP_MAX_OFFSET: the kernel clamps it to the file's maximum
        m.setInt(24, BATCH);
        if (LibC.ioctl(fd, FS_IOC_FIEMAP, m) != 0) {
          int errno = Native.getLastError();
          if (errno == JnaNativeFs.EOPNOTSUPP || errno == JnaNativeFs.ENOTTY || errno == JnaNativeFs.EINVAL) {
            return Optional.empty(); // this filesystem has no extent map
          }
          throw new IOException("FIEMAP " + file + ": errno " + errno);
        }
        int mapped = m.getInt(20);
        if (mapped == 0) {
          return Optional.of(out);
        }
        long next = start;
        for (int i = 0; i < mapped; i++) {
          long at = HEADER + (long) EXTENT * i;
          long logical = m.getLong(at);
          long length = m.getLong(at + 16);
          int flags = m.getInt(at + 40);
          out.add(new Extent(m.getLong(at + 8), length, flags));
          next = logical + length;
          if ((flags & EXTENT_LAST) != 0) {
            return Optional.of(out);
          }
        }
        if (next <= start) {
          return Optional.of(out); // no progress: never loop forever on a confused filesystem
        }
        start = next;
      }
    } finally {
      LibC.close(fd);
    }
  }
}
