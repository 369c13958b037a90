package warm.quick;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/**
 * The lease of a prepared split-mode run: between {@code prepare} and {@code finish} no process holds the app lock,
 * so the journal's {@code leaseUntil} keeps other runs (and recovery) off the app until {@code finish} or expiry.
 */
final class Lease {
  private static final Logger LOG = LoggerFactory.getLogger(Lease.class);

  /** The journal data key; on disk, keep it. */
  static final String KEY = "leaseUntil";

  private final StateStore store;
  private final AppLocks locks;
  private final Duration lockWait;

  Lease(StateStore store, AppLocks locks, Duration lockWait) {
    this.store = store;
    this.locks = locks;
    this.lockWait = lockWait;
  }

  /** {@code j} holding the lease for {@code length} from now. */
  static Journal grant(Journal j, Duration length) {
    return j.with(KEY, Instant.now().plus(length).toString());
  }

  /** Until when {@code j}, a prepared quick run, holds its lease; empty when it holds none or it expired. */
  static Optional<Instant> liveUntil(Journal j) {
    if (!QuickLane.OPERATION.equals(j.operation()) || !Phase.PREPARED.journalName().equals(j.phase())
        || !j.data().containsKey(KEY)) {
      return Optional.empty();
    }
    Instant until = Instant.parse(j.data().get(KEY));
    return until.isAfter(Instant.now()) ? Optional.of(until) : Optional.empty();
  }

  /**
   * The app lock, once no prepared run holds a live lease on the app (a prepared run must not be interleaved with
   * another). Bounded by {@code timeouts.lockWaitSeconds}, the lock wait included.
   */
  LockFile acquireFree(String app, String operation) {
    long deadline = System.nanoTime() + lockWait.toNanos();
    boolean announced = false;
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      LockFile lock = locks.acquire(app, operation, left);
      Optional<Journal> leased = store.read(app, StateFile.JOURNAL).filter(j -> liveUntil(j).isPresent());
      if (leased.isEmpty()) {
        return lock;
      }
      lock.close();
      if (!announced) {
        announced = true; // once: the operator sees why the run does not start
        LOG.info("app {} is leased by prepared quick run {} until {}; waiting up to {} s for its finish", app,
            leased.get().runId(), leased.get().data().get(KEY), lockWait.toSeconds());
      }
      if (System.nanoTime() > deadline) {
        Journal j = leased.get();
        throw WarmException.infra("app " + app + " is busy: prepared quick run " + j.runId()
            + " waits for 'finish' until " + j.data().get(KEY) + "; gave up waiting after " + lockWait.toSeconds()
            + " s");
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw WarmException.infra("interrupted while waiting for " + app, e);
      }
    }
  }
}
