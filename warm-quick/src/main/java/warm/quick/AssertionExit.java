package warm.quick;

import java.time.Duration;
import java.util.Optional;

/** How the runner's assertion command ended (see {@link AssertionSupervisor}). */
sealed interface AssertionExit {
  /** Why the run fails because of it; empty for a PASS (exit 0). */
  Optional<String> failure();

  /** It exited by itself with {@code code}. */
  record Exited(int code) implements AssertionExit {
    @Override
    public Optional<String> failure() {
      return code == 0 ? Optional.empty() : Optional.of("the runner's assertions failed (exit " + code + ")");
    }
  }

  /** It ran past {@code bound} ({@code timeouts.testSeconds}) and was killed with its descendants. */
  record TimedOut(Duration bound) implements AssertionExit {
    @Override
    public Optional<String> failure() {
      // Not "exit 124" (timeout(1)'s convention): the command did not exit, the lane killed it.
      return Optional.of("the runner's assertions timed out after " + bound.toSeconds() + " s (killed)");
    }
  }

  /** This thread was interrupted while waiting; the command was killed and the interrupt flag set again. */
  record Interrupted() implements AssertionExit {
    @Override
    public Optional<String> failure() {
      return Optional.of("the runner's assertions were interrupted (killed)");
    }
  }
}
