package warm.core;

/**
 * Base of every failure cc-ci-warm reports. Carries the exit code the entrypoints map it to (DESIGN §6), so a
 * failure deep in a library surfaces with the right status without the entrypoint guessing.
 */
public class WarmException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public WarmException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public WarmException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The process exit status this failure maps to. */
  public ExitCode exitCode() {
    return exitCode;
  }

  /** A usage or configuration error: bad input, nothing was changed (exit 2). */
  public static WarmException usage(String message) {
    return new WarmException(ExitCode.USAGE, message);
  }

  /** An infrastructure failure: Docker, abra, Keycloak or the disk failed us (exit 4). */
  public static WarmException infra(String message, Throwable cause) {
    return new WarmException(ExitCode.INFRA, message, cause);
  }

  public static WarmException infra(String message) {
    return new WarmException(ExitCode.INFRA, message);
  }
}
