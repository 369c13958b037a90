package warm.core.process;

import warm.core.ExitCode;
import warm.core.WarmException;

/** An external command exited non-zero or timed out. The message names the command and quotes its output. */
public class ProcessFailedException extends WarmException {
  private static final long serialVersionUID = 1L;
  private final transient ProcessResult result;

  public ProcessFailedException(ProcessResult result) {
    super(ExitCode.INFRA, describe(result));
    this.result = result;
  }

  public ProcessResult result() {
    return result;
  }

  private static String describe(ProcessResult r) {
    String what = r.timedOut()
        ? "timed out after " + r.command().timeout().toSeconds() + " s (process tree killed)"
        : "exited with code " + r.exitCode();
    String out = r.outputTail();
    return "'" + r.command().display() + "' " + what + (out.isEmpty() ? " and printed nothing" : ": " + out);
  }
}
