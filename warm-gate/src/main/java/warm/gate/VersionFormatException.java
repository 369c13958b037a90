package warm.gate;

/** A string is not a recipe version the gate can place ({@link RecipeVersion#parse}); the only thing it throws. */
public final class VersionFormatException extends GateException {
  private static final long serialVersionUID = 1L;

  /** @param message one line naming the string and what is wrong with it */
  public VersionFormatException(String message) {
    super(message);
  }
}
