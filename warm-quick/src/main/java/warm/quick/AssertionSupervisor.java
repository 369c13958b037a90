package warm.quick;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;

/**
 * Runs the CI runner's assertion command (step 8) and supervises it: its output passes through, its stdin is
 * {@code /dev/null}, it is bounded by {@code timeouts.testSeconds} and killed with its descendants past that, and a
 * cancel ({@link Cancellation}) that races its start still stops it.
 */
final class AssertionSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(AssertionSupervisor.class);

  private final Cancellation cancellation;

  AssertionSupervisor(Cancellation cancellation) {
    this.cancellation = cancellation;
  }

  /**
   * Runs {@code command} with {@code env} added to this process's environment, at most {@code bound}.
   *
   * @throws WarmException (usage) when the command is empty or cannot be started
   */
  AssertionExit run(List<String> command, Map<String, String> env, Duration bound) {
    if (command.isEmpty()) {
      throw WarmException.usage("no assertion command given after '--'");
    }
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO()
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw WarmException.usage("cannot start the assertion command " + command.get(0) + ": " + e.getMessage());
    }
    if (cancellation.requested()) {
      p.destroy(); // the cancel's kill of this JVM's children came before the start
    }
    try {
      if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the assertions exceeded {} s: killing them", bound.toSeconds());
        kill(p);
        p.waitFor();
        return new AssertionExit.TimedOut(bound);
      }
      return new AssertionExit.Exited(p.exitValue());
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt(); // for the caller; the FAIL path runs with it cleared
      return new AssertionExit.Interrupted();
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
