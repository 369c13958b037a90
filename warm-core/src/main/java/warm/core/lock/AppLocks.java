package warm.core.lock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import warm.core.naming.Naming;

/**
 * One lock per app, {@code <root>/locks/<app>.lock}, held for a whole operation on the app (DESIGN I7). The
 * reconciler tries and skips a busy app ({@link #tryAcquire}); the nightly waits, bounded ({@link #acquire}).
 */
public final class AppLocks {
  private final Path dir;

  /** Locks under {@code <stateRoot>/locks}. */
  public AppLocks(Path stateRoot) {
    this.dir = stateRoot.toAbsolutePath().normalize().resolve("locks");
  }

  /** The app's lock file; the app name is checked (no {@code /}, {@code ..}). */
  public Path path(String app) {
    return dir.resolve(Naming.requireRecipeName(app) + ".lock");
  }

  /** Takes the app's lock if it is free; empty when another process or thread holds it. */
  public Optional<LockFile> tryAcquire(String app, String operation) {
    return LockFile.tryLock(path(app), operation);
  }

  /**
   * Takes the app's lock, waiting at most {@code max}.
   *
   * @throws warm.core.WarmException (infra) naming the app, the holder and the time waited
   */
  public LockFile acquire(String app, String operation, Duration max) {
    return LockFile.lock(path(app), operation, max, "app '" + app + "'");
  }

  /** Who holds the app's lock now, or empty when it is free. */
  public Optional<LockHolder> holder(String app) {
    return LockFile.holder(path(app));
  }
}
