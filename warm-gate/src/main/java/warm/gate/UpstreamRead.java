package warm.gate;

import java.util.Objects;

/**
 * What an {@link UpstreamNoteSource} found for one upstream version, and where.
 *
 * @param result the note, its absence, or why it could not be reached
 * @param from where it was looked up, for the decision (a URL, {@code cache of <url>}, or file paths)
 */
public record UpstreamRead(NoteLookup result, String from) {
  /**
   * Validates.
   *
   * @param result see the record component
   * @param from see the record component
   */
  public UpstreamRead {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(from, "from");
  }
}
