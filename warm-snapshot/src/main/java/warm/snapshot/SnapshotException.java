package warm.snapshot;

/**
 * Every failure of the snapshot store. The {@link Kind} tells the entrypoint how to report it (usage errors change
 * nothing; the others are infrastructure failures whose cleanup already ran).
 */
public class SnapshotException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, coarse enough to pick an exit code. */
  public enum Kind {
    /** Bad input (name, missing directory, no such snapshot); nothing was changed. */
    USAGE,
    /**
     * A volume is in use (the quiescence check said so, or it changed during the copy), or another operation held
     * the store's lock for longer than the wait; nothing was changed.
     */
    BUSY,
    /** The store's filesystem ran out of space or quota; the temporary snapshot was removed. */
    NO_SPACE,
    /** A restored tree differs from its snapshot. */
    MISMATCH,
    /** Any other I/O failure. */
    IO
  }

  private final Kind kind;

  public SnapshotException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SnapshotException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static SnapshotException usage(String message) {
    return new SnapshotException(Kind.USAGE, message);
  }

  public static SnapshotException busy(String message) {
    return new SnapshotException(Kind.BUSY, message);
  }
}
