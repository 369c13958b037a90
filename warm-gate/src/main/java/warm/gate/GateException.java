package warm.gate;

/**
 * Base of every failure the gate reports. A plain {@code GateException} means the environment failed us (git
 * missing, timed out); the subclasses {@link VersionFormatException} and {@link RecipeCheckoutException} mean the
 * input was bad. A hold is never an exception: it is a {@link GateDecision}.
 */
public class GateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message one line naming the problem */
  public GateException(String message) {
    super(message);
  }

  /**
   * @param message one line naming the problem
   * @param cause what failed underneath
   */
  public GateException(String message, Throwable cause) {
    super(message, cause);
  }
}
