package warm.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import warm.core.IoReasons;
import warm.core.WarmException;

/**
 * Crash-safe file writes: at every instant a file written here is either its old or its new complete content.
 *
 * <p>A write goes to a temp file in the same directory (created {@code 0600} atomically, so a secret is never
 * readable by others even for an instant), is forced to disk, renamed over the target with {@code ATOMIC_MOVE},
 * and then the directory itself is forced so the rename survives a power cut (rename(2) alone is not durable).
 * Directories are created {@code 0700}. A temp file left by a killed writer is named after that writer's pid and
 * removed by the next write into the same directory once that pid is gone.
 */
public final class AtomicFiles {
  /** {@code rw-------}: state can name secrets' whereabouts and alerts quote release notes. */
  public static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

  /** {@code .<target>.<pid>.<random>.tmp}: hidden, and tells whose leftover it is. */
  private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d+)\\.([0-9a-f]{12})\\.tmp");
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code content} atomically and durably, creating missing parent directories
   * {@code 0700}.
   *
   * @throws WarmException (infra) naming the file when the disk fails us; the old content is then intact
   */
  public static void write(Path target, byte[] content) {
    Path dir = parentOf(target);
    createDirectories(dir);
    cleanLeftovers(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
        + randomHex() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          fileAttributes())) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(dir);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw WarmException.infra("cannot write " + target + ": " + describe(e), e);
    }
  }

  /** The file's bytes, or empty when it does not exist. */
  public static Optional<byte[]> readIfExists(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw WarmException.infra("cannot read " + file + ": " + describe(e), e);
    }
  }

  /** Deletes the file durably (the directory is forced); returns whether it existed. */
  public static boolean delete(Path file) {
    try {
      boolean existed = Files.deleteIfExists(file);
      if (existed) {
        fsyncDirectory(parentOf(file));
      }
      return existed;
    } catch (IOException e) {
      throw WarmException.infra("cannot delete " + file + ": " + describe(e), e);
    }
  }

  /**
   * Moves {@code file} into {@code toDir} under the same name, atomically (same filesystem) and durably: both
   * directories are forced, the target first, so a crash leaves the file in one place or both, never in none.
   */
  public static Path moveInto(Path file, Path toDir) {
    createDirectories(toDir);
    Path target = toDir.resolve(file.getFileName());
    try {
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(toDir);
      fsyncDirectory(parentOf(file));
      return target;
    } catch (AtomicMoveNotSupportedException e) {
      throw WarmException.infra("cannot move " + file + " to " + toDir + ": not on the same filesystem", e);
    } catch (IOException e) {
      throw WarmException.infra("cannot move " + file + " to " + toDir + ": " + describe(e), e);
    }
  }

  /**
   * Creates {@code dir} and its missing parents with mode {@code 0700} (the umask cannot widen it). Existing
   * directories are left as they are; a non-directory in the way is an error.
   */
  public static Path createDirectories(Path dir) {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    try {
      Files.createDirectories(dir, dirAttributes());
    } catch (FileAlreadyExistsException e) {
      throw WarmException.infra("cannot create directory " + dir + ": a file of that name is in the way", e);
    } catch (IOException e) {
      throw WarmException.infra("cannot create directory " + dir + ": " + describe(e), e);
    }
    return dir;
  }

  /** Forces a directory's entries (created, renamed, deleted names) to disk. */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Removes temp files in {@code dir} whose writer process no longer exists. A live writer's temp file is kept:
   * deleting it would make that writer's rename fail.
   *
   * @return how many leftovers were removed
   */
  public static int cleanLeftovers(Path dir) {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : entries) {
        Matcher m = TEMP.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
          continue;
        }
        // Our own pid: another thread of ours may be mid-write (a failed write removes its own temp file).
        if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        if (Files.deleteIfExists(p)) {
          removed++;
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      // Cleaning is a courtesy; a leftover never affects what the target resolves to.
      return removed;
    }
    return removed;
  }

  static Path parentOf(Path file) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      throw WarmException.usage("'" + file + "' has no parent directory");
    }
    return dir;
  }

  private static FileAttribute<?>[] fileAttributes() {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] dirAttributes() {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // left for cleanLeftovers of the next write
    }
  }

  private static String randomHex() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String describe(IOException e) {
    return IoReasons.of(e);
  }
}
