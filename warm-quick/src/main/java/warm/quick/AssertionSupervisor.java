package warm.quick;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * Runs the CI runner's assertion command (step 8) and supervises it: its output passes through, its stdin is
 * {@code /dev/null}, it is bounded by {@code timeouts.testSeconds} and killed with its descendants past that (the
 * project's one process runner does all of this), and a cancel ({@link Cancellation}) refuses to start it or stops it.
 */
final class AssertionSupervisor {
  private final ProcessRunner runner;

  /** {@code runner}: the lane's guarded runner, so a cancel refuses a start and stops a running command. */
  AssertionSupervisor(ProcessRunner runner) {
    this.runner = runner;
  }

  /**
   * Runs {@code command} with {@code env} added to this process's environment, at most {@code bound}, its output
   * passed through to the CI log; past the bound the runner kills its whole process tree.
   *
   * @throws WarmException (usage) when the command is empty or cannot be started
   */
  AssertionExit run(List<String> command, Map<String, String> env, Duration bound) {
    if (command.isEmpty()) {
      throw WarmException.usage("no assertion command given after '--'");
    }
    ProcessResult r;
    try {
      r = runner.run(Command.of(command).withEnv(env).withTimeout(bound).withOutputPassedThrough());
    } catch (WarmException e) {
      if (e.getCause() instanceof IOException io) {
        throw WarmException.usage("cannot start the assertion command " + command.get(0) + ": " + io.getMessage());
      }
      if (e.getCause() instanceof InterruptedException) {
        return new AssertionExit.Interrupted(); // the runner killed the tree and kept the interrupt flag set
      }
      throw e;
    }
    return r.timedOut() ? new AssertionExit.TimedOut(bound) : new AssertionExit.Exited(r.exitCode());
  }
}
