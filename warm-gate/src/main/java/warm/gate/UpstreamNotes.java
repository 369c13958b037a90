package warm.gate;

import java.util.Objects;

/**
 * The upstream notes the gate reads for one app besides the recipe's own notes, and what an unreachable note does.
 *
 * @param source where the notes are read
 * @param onUnreachable hold (fail safe) or proceed with a warning in the decision
 */
public record UpstreamNotes(UpstreamNoteSource source, OnUnreachable onUnreachable) {
  /** What the gate does when an upstream note cannot be reached. */
  public enum OnUnreachable {
    /** Hold the upgrade ({@link HoldReason.Code#UPSTREAM_UNREACHABLE}): the default. */
    HOLD,
    /** Go on with the other reasons; the decision carries a warning. */
    PROCEED
  }

  /**
   * Validates.
   *
   * @param source see the record component
   * @param onUnreachable see the record component
   */
  public UpstreamNotes {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(onUnreachable, "onUnreachable");
  }
}
