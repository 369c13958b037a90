package warm.core.process;

import java.time.Duration;

/**
 * What an external command did. A non-zero exit is data until the caller asks for success
 * ({@link #requireSuccess}), the zt-exec split.
 */
public record ProcessResult(Command command, int exitCode, String stdout, String stderr, Duration elapsed,
    boolean timedOut) {

  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /** Returns this result when the command exited 0, else throws {@link ProcessFailedException}. */
  public ProcessResult requireSuccess() {
    if (!ok()) {
      throw new ProcessFailedException(this);
    }
    return this;
  }

  /**
   * A short report of the output for error messages: stdout first (abra prints its {@code FATA} lines there),
   * then stderr, each cut to its tail, secrets redacted.
   */
  public String outputTail() {
    StringBuilder b = new StringBuilder();
    String out = tail(stdout);
    String err = tail(stderr);
    if (!out.isEmpty()) {
      b.append("stdout: ").append(out);
    }
    if (!err.isEmpty()) {
      if (b.length() > 0) {
        b.append(" | ");
      }
      b.append("stderr: ").append(err);
    }
    return command.redact(b.toString());
  }

  /** Redacted summary: the generated record text would print the command's environment and raw output. */
  @Override
  public String toString() {
    return "ProcessResult[" + command.display() + ", exit " + exitCode + (timedOut ? ", timed out" : "") + ", "
        + elapsed.toMillis() + " ms]";
  }

  private static String tail(String s) {
    String t = s == null ? "" : s.strip();
    int max = 1500;
    if (t.length() > max) {
      t = "…" + t.substring(t.length() - max);
    }
    return t.replace('\n', ' ').replaceAll("\\s+", " ");
  }
}
