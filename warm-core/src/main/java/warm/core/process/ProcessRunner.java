package warm.core.process;

/** Runs external commands. Injected into the adapters so tests can record or fake what would be run. */
public interface ProcessRunner {
  /**
   * Runs the command to completion or timeout and always returns its result (a non-zero exit is not an
   * exception). Fails with {@link warm.core.WarmException} only when the command cannot be started at all.
   */
  ProcessResult run(Command command);

  /** The production runner. */
  static ProcessRunner system() {
    return new SystemProcessRunner();
  }
}
