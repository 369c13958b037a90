package warm.gate;

/** The recipe checkout is unusable: missing, not a directory, not a git repository, or without any release tag. */
public final class RecipeCheckoutException extends GateException {
  private static final long serialVersionUID = 1L;

  /** @param message one line naming the directory and the problem */
  public RecipeCheckoutException(String message) {
    super(message);
  }

  /**
   * @param message one line naming the directory and the problem
   * @param cause what failed underneath
   */
  public RecipeCheckoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
