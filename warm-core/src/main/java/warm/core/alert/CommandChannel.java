package warm.core.alert;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;
import warm.core.state.StateJson;

/** Delivers an alert by running a command with the alert's JSON document on stdin; exit 0 means delivered. */
final class CommandChannel implements AlertChannel {
  private final List<String> argv;
  private final Duration timeout;
  private final ProcessRunner runner;

  CommandChannel(List<String> argv, Duration timeout, ProcessRunner runner) {
    if (argv == null || argv.isEmpty()) {
      throw WarmException.usage("a command alert channel needs a non-empty argv");
    }
    this.argv = List.copyOf(argv);
    this.timeout = timeout;
    this.runner = runner;
  }

  @Override
  public String id() {
    return AlertChannel.idOf("command", String.join("\0", argv));
  }

  @Override
  public String describe() {
    // argv[0] only: later arguments may carry tokens.
    return "command " + Path.of(argv.get(0)).getFileName();
  }

  @Override
  public void deliver(Alert alert) {
    ProcessResult r;
    try {
      r = runner.run(Command.of(argv).withStdin(StateJson.bytes(alert)).withTimeout(timeout));
    } catch (WarmException e) {
      throw new AlertDeliveryException(describe() + " could not be started: " + e.getMessage(), e);
    }
    if (!r.ok()) {
      String what = r.timedOut() ? "timed out after " + timeout.toSeconds() + " s" : "exited " + r.exitCode();
      String out = r.outputTail();
      throw new AlertDeliveryException(describe() + " " + what + (out.isEmpty() ? "" : ": " + cut(out)));
    }
  }

  private static String cut(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }

  @Override
  public String toString() {
    return describe();
  }
}
