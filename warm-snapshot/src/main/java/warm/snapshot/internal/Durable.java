package warm.snapshot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable filesystem steps: temp + fsync + rename + fsync(dir) writes, directory fsync, the symlink swap. warm-core's
 * {@code AtomicFiles} writes state files the same way; warm-snapshot is a leaf of the module DAG (DESIGN §2) and may
 * not depend on it, so the few lines live twice on purpose.
 */
public final class Durable {
  private Durable() {}

  /** Writes {@code bytes} to {@code file} atomically and durably, mode 0600. */
  public static void write(Path file, byte[] bytes) throws IOException {
    replace(file, bytes);
    fsyncDir(file.getParent());
  }

  /**
   * {@link #write} without its last step: temp + fsync + rename, mode 0600. The rename is durable only once the
   * caller fsyncs the directory, which it must do before it reports the file written (one fsync for several renames
   * in one directory).
   */
  public static void replace(Path file, byte[] bytes) throws IOException {
    stage(file, bytes).publish();
  }

  /**
   * {@link #replace}'s first steps alone: {@code bytes} written to a new temp file next to {@code file} (the
   * {@code .tmp-} name of {@link #tempName}) and fsynced, mode 0600; {@link Staged#publish} renames it. Lets the
   * write and its fsync run on another thread before the caller may publish. Until then a crash leaves only the temp
   * file, which every operation of the store removes first as a leftover of a killed run.
   */
  public static Staged stage(Path file, byte[] bytes) throws IOException {
    Path tmp = file.getParent().resolve(tempName(file));
    writeNew(tmp, bytes);
    return new Staged(tmp, file);
  }

  /** A durable temp file waiting to replace {@code file} ({@link #stage}). */
  public record Staged(Path temp, Path file) {
    /** Renames the temp file over {@code file}; durable once the caller fsyncs the directory. */
    public void publish() throws IOException {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the temp file (the operation failed before {@link #publish}). */
    public void discard() throws IOException {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Creates {@code file} (it must not exist) with {@code bytes}, mode 0600, and fsyncs it; no temp file, no rename.
   * Only for a file inside a directory that is itself published by a rename later (a {@code .tmp-snap-*}
   * directory): no reader sees the file before then, and a crash leaves the whole directory as garbage. Its
   * directory entry is durable once the caller fsyncs the directory, which it does before that rename.
   */
  public static void writeNew(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** fsync(2) of a directory (apache/lucene IOUtils.fsync). */
  public static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Points {@code link} at {@code target} atomically (native-fs.md §2.5 A): a temp symlink renamed over the old
   * one, then fsync of the directory. At every instant {@code link} is either the old or the new link.
   */
  public static void swapSymlink(Path link, String target) throws IOException {
    Path dir = link.getParent();
    Path tmp = dir.resolve(tempName(link));
    Files.createSymbolicLink(tmp, Path.of(target));
    Steps.reached("link-created");
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
    fsyncDir(dir);
  }

  /**
   * {@code .tmp-<name>-<16 hex digits>} next to {@code file}. The digits need not be unpredictable, only unlikely to
   * repeat: a name that exists already is refused (CREATE_NEW, symlink creation), never overwritten, and leftovers of
   * killed runs are removed by the next operation. ThreadLocalRandom, seeded from the clocks, instead of
   * {@code UUID.randomUUID()}: that one starts a SecureRandom (its providers, /dev/random, seeding), a few ms of a
   * snapshot's fixed cost (issue 15).
   */
  static String tempName(Path file) {
    long r = ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE; // always 16 digits
    return ".tmp-" + file.getFileName() + "-" + Long.toHexString(r);
  }
}
