package warm.core.platform;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.process.ProcessResult;

/**
 * Which failures of a Swarm removal ({@code docker stack rm}, {@code docker network rm}, abra's undeploy, which runs
 * docker's stack removal code) only say that Swarm is already removing the thing (D11). Those are progress: the
 * caller goes on to wait, bounded, until nothing of the stack remains. Any other error fails with the tool's output.
 */
final class SwarmRemoval {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmRemoval.class);

  /**
   * The errors of a removal in progress. swarmkit refuses to delete a network while a task that the orchestrator has
   * not yet told to stop still references it ("in use by task", task ids are 25 base-36 characters: docker glues its
   * next message onto the id without a newline); a network already deleted by a concurrent removal is "not found"
   * (a second {@code stack rm} right after the first prints this on a real Swarm).
   */
  private static final Pattern PROGRESS = Pattern.compile(
      "network \\S+ is in use by task [a-z0-9]{25}|network \\S+ not found");

  /** docker's (and abra's) framing around the per-resource errors; what remains after removing it must be empty. */
  private static final List<Pattern> FRAMING = List.of(
      Pattern.compile("Failed to remove (?:network|service|secret|config) [^\\s:]+: "),
      Pattern.compile("Error response from daemon: "),
      Pattern.compile("rpc error: code = \\w+ desc = "),
      Pattern.compile("(?i)failed to remove some resources from stack: \\S+"),
      Pattern.compile("Removing (?:service|network|secret|config) \\S+"),
      Pattern.compile("exit status \\d+"),
      Pattern.compile("\\b(?:FATA|ERRO|WARN|INFO)\\b"));

  private SwarmRemoval() {}

  /** Whether the failed removal's output consists only of removal-in-progress errors (at least one). */
  static boolean inProgress(ProcessResult r) {
    if (r.ok() || r.timedOut()) {
      return false;
    }
    String text = r.stdout() + "\n" + r.stderr();
    String rest = PROGRESS.matcher(text).replaceAll("\u0000");
    if (rest.equals(text)) {
      return false;
    }
    for (Pattern p : FRAMING) {
      rest = p.matcher(rest).replaceAll("");
    }
    return rest.replace("\u0000", "").isBlank();
  }

  /**
   * Accepts a successful removal or one that only reports Swarm's own removal in progress; throws
   * {@link warm.core.process.ProcessFailedException} with the tool's output otherwise. The tolerated case is logged
   * at debug only ({@code -v}): it is routine in every teardown (the demo printed docker's "network … not found" at
   * each one) and it hides nothing, as the caller's bounded wait still fails, naming what Swarm said last, when the
   * stack does not go away.
   *
   * @return what the tolerated failure said (for a later timeout message), empty after a success
   */
  static Optional<String> requireDoneOrInProgress(ProcessResult r) {
    if (inProgress(r)) {
      String said = "'" + r.command().display() + "' said " + r.outputTail();
      LOG.debug("Swarm is already removing it, waiting: {}", said);
      return Optional.of(said);
    }
    r.requireSuccess();
    return Optional.empty();
  }
}
