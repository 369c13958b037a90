package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import warm.snapshot.ManifestEntry.Type;

/** lstat(2): through JNA where available ({@link NativeFs#stat}), else the JDK's {@code unix:} view (§2.7). */
public record Stat(int mode, int uid, int gid, long ino, long dev, int nlink, long rdev, long size, long mtimeNanos,
    long ctimeNanos, long blocks) {
  static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000, S_IFBLK = 060000,
      S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

  /** The JDK fallback. */
  static Stat of(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime,ctime",
        LinkOption.NOFOLLOW_LINKS);
    return new Stat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("ino"),
        (Long) a.get("dev"), (Integer) a.get("nlink"), (Long) a.get("rdev"), (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), -1);
  }

  /**
   * Whether the object {@code later} describes is still the one this stat saw, unchanged: same inode, type, size,
   * mtime and ctime. ctime cannot be set from userspace, so every write, truncate, chmod, chown or replace moves it
   * (within the kernel's timestamp granularity; the size check catches a truncate-and-rewrite inside one tick).
   */
  boolean unchangedIn(Stat later) {
    return ino == later.ino && dev == later.dev && (mode & S_IFMT) == (later.mode & S_IFMT) && size == later.size
        && mtimeNanos == later.mtimeNanos && ctimeNanos == later.ctimeNanos;
  }

  int perms() {
    return mode & 07777;
  }

  /** The manifest type, or null for a socket (skipped). */
  Type type() {
    return switch (mode & S_IFMT) {
      case S_IFDIR -> Type.DIR;
      case S_IFREG -> Type.FILE;
      case S_IFLNK -> Type.SYMLINK;
      case S_IFIFO -> Type.FIFO;
      case S_IFCHR -> Type.CHAR;
      case S_IFBLK -> Type.BLOCK;
      default -> null;
    };
  }

  static int typeBits(Type t) {
    return switch (t) {
      case DIR -> S_IFDIR;
      case FILE -> S_IFREG;
      case SYMLINK -> S_IFLNK;
      case FIFO -> S_IFIFO;
      case CHAR -> S_IFCHR;
      case BLOCK -> S_IFBLK;
    };
  }
}
