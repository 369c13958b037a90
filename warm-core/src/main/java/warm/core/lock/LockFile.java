package warm.core.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.Durations;
import warm.core.IoReasons;
import warm.core.WarmException;
import warm.core.state.AtomicFiles;
import warm.core.state.StateJson;

/**
 * An exclusive lock on a file, held through a kernel lock ({@code fcntl(2)} via {@link FileChannel#tryLock}), so
 * the kernel frees it when the holding process dies in any way, SIGKILL included: a lock is never stale.
 *
 * <p>Kernel locks belong to the process, not the thread, and closing <em>any</em> descriptor of the file drops
 * them; so within this JVM a registry of claimed paths decides first, and no second channel is ever opened on a
 * path this JVM holds. The holder writes its pid, operation and start time into the file for diagnostics.
 *
 * <p>A lock file may be deleted, but only by its holder ({@link #deleteAndClose}): the classic protocol. Whoever
 * locks a file checks afterwards that its path still names the file it locked, and starts again on the new file when
 * not; so a process that opened the file just before its holder unlinked it, and locks the orphan afterwards, never
 * counts as a holder. The check compares the path's inode with the inodes of this process's open descriptors
 * ({@code /proc/self/fd}): Java has no {@code fstat}, and opening the path to read it back would drop the lock
 * (closing any descriptor of a file drops the process's {@code fcntl} locks on it).
 */
public final class LockFile implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LockFile.class);
  /** How often a bounded wait retries: short enough to be prompt, long enough to cost nothing. */
  static final Duration POLL = Duration.ofMillis(100);
  /**
   * How many times one acquire starts again on a file its holder has just deleted. Each retry needs another holder to
   * take and delete the new file in between, so this is never reached in practice; the bound only keeps a loop finite.
   */
  private static final int REPLACED_RETRIES = 100;
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  /** How often this JVM locked a file its holder had just deleted, and started again (the race test reads it). */
  static final AtomicLong STARTED_AGAIN = new AtomicLong();

  /** Paths this JVM holds or is probing, with the holder once known. */
  private static final ConcurrentMap<Path, Claim> CLAIMS = new ConcurrentHashMap<>();

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final LockHolder holder;
  private final Claim claim;
  private boolean released;

  private LockFile(Path path, FileChannel channel, FileLock lock, LockHolder holder, Claim claim) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.holder = holder;
    this.claim = claim;
  }

  /**
   * Takes the lock if it is free, without waiting.
   *
   * @param file the lock file (created {@code 0600}, with its directory {@code 0700}, when missing)
   * @param operation what the caller is about to do, recorded for whoever finds the lock held
   * @return the held lock, or empty when another process or another thread of this JVM holds it
   * @throws WarmException (infra) when the lock file cannot be created or locked at all
   */
  public static Optional<LockFile> tryLock(Path file, String operation) {
    Path p = file.toAbsolutePath().normalize();
    Claim claim = new Claim();
    if (CLAIMS.putIfAbsent(p, claim) != null) {
      return Optional.empty();
    }
    FileChannel ch = null;
    try {
      AtomicFiles.createDirectories(p.getParent());
      for (int attempt = 0; attempt <= REPLACED_RETRIES; attempt++) {
        ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(AtomicFiles.FILE_PERMISSIONS));
        FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          // locked through a channel outside this registry (not ours to touch): held all the same
          lock = null;
        }
        if (lock == null) {
          ch.close();
          CLAIMS.remove(p, claim);
          return Optional.empty();
        }
        if (!namesOpenFile(p)) {
          // Its holder deleted the file between our open and our lock: we hold an orphan. Start again on the path.
          STARTED_AGAIN.incrementAndGet();
          lock.release();
          ch.close();
          ch = null;
          continue;
        }
        LockHolder holder = new LockHolder(ProcessHandle.current().pid(), operation, Instant.now());
        record(ch, holder);
        claim.holder = holder;
        return Optional.of(new LockFile(p, ch, lock, holder, claim));
      }
      throw WarmException.infra("cannot lock " + p + ": the file was replaced " + REPLACED_RETRIES
          + " times while it was being locked");
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      CLAIMS.remove(p, claim);
      if (e instanceof WarmException w) {
        throw w;
      }
      throw WarmException.infra("cannot lock " + p + ": " + (e instanceof IOException io ? IoReasons.of(io)
          : e.getMessage()), e);
    }
  }

  /**
   * Takes the lock, waiting at most {@code max} for its holder to finish.
   *
   * @param what what the lock protects, for the timeout message (e.g. {@code app 'keycloak'})
   * @throws WarmException (infra) naming {@code what}, the holder and the time waited when it is still held
   */
  public static LockFile lock(Path file, String operation, Duration max, String what) {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    boolean announced = false;
    while (true) {
      Optional<LockFile> got = tryLock(file, operation);
      if (got.isPresent()) {
        if (announced) {
          LOG.info("{} is free after {}; going on with {}", what,
              Durations.human(Duration.ofNanos(System.nanoTime() - start)), operation);
        }
        return got.get();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        String by = holder(file).map(LockHolder::describe).orElse("a process that has just let go");
        throw WarmException.infra(what + " is busy: " + file + " is held by " + by + "; gave up waiting after "
            + Durations.human(Duration.ofNanos(System.nanoTime() - start)));
      }
      if (!announced) {
        announced = true;
        LOG.info("{} is busy (held by {}); waiting up to {} before {}", what,
            holder(file).map(LockHolder::describe).orElse("another process"), Durations.human(max), operation);
      }
      try {
        Thread.sleep(Math.max(1, Math.min(POLL.toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw WarmException.infra("interrupted while waiting for " + what + " (" + file + ")", e);
      }
    }
  }

  /**
   * Who holds the lock now, or empty when nobody does. Reads the holder's record; the kernel lock decides
   * whether it is held, so a record left by a dead holder is never reported.
   */
  public static Optional<LockHolder> holder(Path file) {
    Path p = file.toAbsolutePath().normalize();
    Claim probe = new Claim();
    Claim mine = CLAIMS.putIfAbsent(p, probe);
    if (mine != null) {
      // Held (or being probed) by this JVM: never open a second channel on it, that would drop our lock.
      LockHolder h = mine.holder;
      return h == null ? Optional.empty() : Optional.of(h);
    }
    try {
      for (int attempt = 0; attempt <= REPLACED_RETRIES; attempt++) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
          // A shared lock conflicts only with an exclusive one: free means nobody holds it.
          FileLock shared = ch.tryLock(0, Long.MAX_VALUE, true);
          Optional<LockHolder> found = shared == null ? Optional.of(readHolder(ch)) : Optional.empty();
          // Asked of the file the path names now, not of one its holder has just deleted.
          boolean current = namesOpenFile(p);
          if (shared != null) {
            shared.release();
          }
          if (current) {
            return found;
          }
        }
      }
      throw WarmException.infra("cannot read lock " + p + ": the file was replaced " + REPLACED_RETRIES
          + " times while it was being read");
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw WarmException.infra("cannot read lock " + p + ": " + IoReasons.of(e), e);
    } finally {
      CLAIMS.remove(p, probe);
    }
  }

  /** The lock file. */
  public Path path() {
    return path;
  }

  /** This process's record in the lock file. */
  public LockHolder holder() {
    return holder;
  }

  /** Whether this lock is still held (not yet closed). */
  public synchronized boolean isHeld() {
    return !released && lock.isValid();
  }

  /** Releases the lock (idempotent). The file stays, emptied, for the next holder. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    try {
      channel.truncate(0);
    } catch (IOException e) {
      // only the diagnostic record is left behind; holder() checks the kernel lock, not the text
    }
    release();
  }

  /**
   * Deletes the lock file, then releases the lock (idempotent with {@link #close}): for a lock nobody will ask for
   * again, such as a finished cold run's. Safe while others wait: whoever locks the deleted file afterwards finds
   * that its path no longer names it and starts again on a new file. The file is left when its path no longer names
   * the locked file (someone deleted it by hand); a deletion that fails is logged, and the lock released all the same.
   *
   * @return whether the file was deleted
   */
  public synchronized boolean deleteAndClose() {
    if (released) {
      return false;
    }
    boolean deleted = false;
    try {
      if (namesOpenFile(path)) {
        Files.delete(path);
        deleted = true;
      }
    } catch (IOException e) {
      LOG.warn("cannot delete lock file {}: {}", path, IoReasons.of(e));
    }
    release();
    return deleted;
  }

  private void release() {
    released = true;
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("releasing {}: {}", path, e.toString());
    } finally {
      closeQuietly(channel);
      CLAIMS.remove(path, claim);
    }
  }

  /**
   * Whether {@code p} names a file this process has open: the file it has just locked or probed, since within this
   * JVM only the claim's channel ever opens a lock file. Stats, never opens, the path and the descriptors: opening
   * and closing a descriptor of the locked file would drop the lock.
   */
  static boolean namesOpenFile(Path p) throws IOException {
    Object key;
    try {
      // Followed like the open followed it: a lock path that is a link names the file the link points to.
      key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return false;
    }
    if (key == null) {
      throw new IOException("the file system gives no inode for " + p);
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(OWN_FDS)) {
      for (Path fd : fds) {
        try {
          if (key.equals(Files.readAttributes(fd, BasicFileAttributes.class).fileKey())) {
            return true;
          }
        } catch (IOException e) {
          // closed since the listing (another thread's descriptor): not ours
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "LockFile[" + path + ", " + holder.describe() + (released ? ", released" : "") + "]";
  }

  private static void record(FileChannel ch, LockHolder holder) throws IOException {
    ch.truncate(0);
    ByteBuffer buf = ByteBuffer.wrap(StateJson.bytes(holder));
    long pos = 0;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  private static LockHolder readHolder(FileChannel ch) throws IOException {
    long size = Math.min(ch.size(), 4096);
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    long pos = 0;
    while (buf.hasRemaining() && ch.read(buf, pos) > 0) {
      pos = buf.position();
    }
    if (buf.position() == 0) {
      return LockHolder.unknown();
    }
    try {
      return StateJson.parse(Path.of("lock"), Arrays.copyOf(buf.array(), buf.position()), LockHolder.class);
    } catch (WarmException e) {
      return LockHolder.unknown();
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }


  /** This JVM's claim on a path; {@code holder} is set once the kernel lock is ours. */
  private static final class Claim {
    volatile LockHolder holder;
  }
}
