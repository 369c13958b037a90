package warm.core.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * A fake {@code docker}: records every command and answers with canned output from a handler that sees the
 * arguments after the executable, joined by spaces (jib's {@code CliDockerClientTest} seam).
 */
final class RecordingRunner implements ProcessRunner {
  /** What the fake command prints and how it exits. */
  record Reply(int exitCode, String stdout, String stderr) {
    static Reply ok(String stdout) {
      return new Reply(0, stdout, "");
    }

    static Reply fail(String stderr) {
      return new Reply(1, "", stderr);
    }
  }

  private final Function<String, Reply> handler;
  private final List<String> calls = new ArrayList<>();

  RecordingRunner(Function<String, Reply> handler) {
    this.handler = handler;
  }

  @Override
  public synchronized ProcessResult run(Command command) {
    String args = String.join(" ", command.argv().subList(1, command.argv().size()));
    calls.add(args);
    Reply r = handler.apply(args);
    if (r == null) {
      throw new AssertionError("unexpected command: docker " + args);
    }
    return new ProcessResult(command, r.exitCode(), r.stdout(), r.stderr(), Duration.ZERO, false);
  }

  /** The commands run so far, arguments after the executable joined by spaces. */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** How many recorded commands start with the given arguments. */
  synchronized long count(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }
}
