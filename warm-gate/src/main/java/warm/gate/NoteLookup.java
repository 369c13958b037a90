package warm.gate;

import java.util.Objects;

/** What a {@link ReleaseNoteSource} found for one version. */
public sealed interface NoteLookup {

  /** The version has no note. */
  record Absent() implements NoteLookup {}

  /**
   * The note's text, as published (Markdown, plain text or HTML; the gate turns it into lines).
   *
   * @param text the note, at most the source's bound
   * @param truncated whether the note was longer than the bound and only its start is here (the gate holds)
   */
  record Found(String text, boolean truncated) implements NoteLookup {
    /**
     * Validates.
     *
     * @param text see the record component
     * @param truncated see the record component
     */
    public Found {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A note exists but could not be read in full: a symbolic link, not a regular file, an I/O or git failure.
   *
   * @param detail one line saying what and why, for the hold reason
   */
  record Unreadable(String detail) implements NoteLookup {
    /**
     * Validates.
     *
     * @param detail see the record component
     */
    public Unreadable {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** @return the absent answer */
  static NoteLookup absent() {
    return new Absent();
  }
}
