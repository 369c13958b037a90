package warm.quick;

import warm.core.WarmException;
import warm.core.process.ProcessRunner;

/**
 * A CI cancel (SIGTERM) of the quick lane, delivered without {@link Thread#interrupt()}: interrupting a thread that is
 * writing the journal through an NIO channel closes that channel ({@code ClosedByInterruptException}), and the FAIL
 * path could then write neither the journal nor the result.
 *
 * <p>Instead, while the run goes forward, a cancel terminates the external commands running at that instant (this
 * JVM's child processes: docker, abra, the runner's assertions) and makes the lane's {@link #guard guarded} runner
 * refuse to start new ones, so a deploy or health wait in progress fails at its next command and the state machine,
 * seeing {@link #requested()}, takes its FAIL path. Rollbacks and restores run {@link #shield shielded}: a cancel
 * neither stops their commands nor refuses new ones, so they run to completion. A command that was being started at
 * the very instant of the cancel may still run to its end (bounded by its own timeout).
 *
 * <p>Public (to warm.nightly, the only module this package is exported to) for promotion, whose SIGTERM works the same
 * way.
 */
public final class Cancellation {
  private boolean requested;
  private int shields;

  /** No cancel requested yet. */
  public Cancellation() {}

  /** Called once by the signal handler; never blocks on the run. */
  public synchronized void request() {
    requested = true;
    if (shields == 0) {
      // This JVM's children are the lane's own commands; the journal and state writes are in this JVM, untouched.
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
    }
  }

  /** Whether a cancel arrived (the run's outcome then says so). */
  public synchronized boolean requested() {
    return requested;
  }

  /** Whether a forward step must stop now: cancelled and not inside a shielded rollback or restore. */
  public synchronized boolean stopsForward() {
    return requested && shields == 0;
  }

  /** Until the returned shield is closed, commands run to completion even after a cancel. Nests. */
  public synchronized Shield shield() {
    shields++;
    return new Shield();
  }

  private synchronized void unshield() {
    shields--;
  }

  /** {@code delegate}, refusing to start a command once {@link #stopsForward()} holds. */
  public ProcessRunner guard(ProcessRunner delegate) {
    return command -> {
      if (stopsForward()) {
        throw WarmException.infra("cancelled (SIGTERM): not starting '" + command.display() + "'");
      }
      return delegate.run(command);
    };
  }

  /** An open shield; {@link #close} once (try-with-resources). */
  public final class Shield implements AutoCloseable {
    private boolean closed;

    private Shield() {}

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        unshield();
      }
    }
  }
}
