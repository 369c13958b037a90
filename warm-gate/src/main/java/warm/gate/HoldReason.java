package warm.gate;

import java.util.List;
import java.util.Objects;

/**
 * Why an upgrade is held.
 *
 * @param code the kind of reason
 * @param version the version the reason is about (the note's version for {@link Code#MANUAL_MIGRATION}), or null
 * @param detail one human sentence
 * @param quotes the note sentences that hold ({@link Code#MANUAL_MIGRATION}), otherwise empty
 * @param headings for each quote, the section heading path it stands under ({@code A › B}; empty when none)
 */
public record HoldReason(Code code, String version, String detail, List<String> quotes, List<String> headings) {
  /** The reasons the gate knows. */
  public enum Code {
    /** The recipe semver major grew: the maintainer signals a breaking recipe change. */
    MAJOR_BUMP,
    /**
     * The recipe step is larger than {@link GatePolicy#autoApply()} lets the notes decide (a minor step under
     * {@link AutoApply#PATCH}); a major step is {@link #MAJOR_BUMP} under any setting.
     */
    STEP_ABOVE_AUTO_APPLY,
    /** A release note in range announces a manual step. */
    MANUAL_MIGRATION,
    /** The target is older than the installed version. */
    DOWNGRADE,
    /** A version is not a release the gate can place (unparsable, or a commit hash): fail safe. */
    UNPARSABLE,
    /** A note in range could not be read in full (too large, a symlink, not a file, I/O error): fail safe. */
    UNREADABLE_NOTE,
    /**
     * An upstream note in range could not be reached (timeout, DNS, a non-2xx answer, too large, a missing
     * directory) and the app's upstream notes say hold on that ({@link UpstreamNotes.OnUnreachable#HOLD}).
     */
    UPSTREAM_UNREACHABLE
  }

  /**
   * Validates and copies.
   *
   * @param code see the record component
   * @param version see the record component
   * @param detail see the record component
   * @param quotes see the record component
   * @param headings see the record component; as many as quotes
   */
  public HoldReason {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
    quotes = List.copyOf(quotes);
    headings = List.copyOf(headings);
    if (headings.size() != quotes.size()) {
      throw new IllegalArgumentException("one heading per quote: " + quotes.size() + " quotes, " + headings.size()
          + " headings");
    }
  }

  /**
   * A reason whose quotes stand under no heading.
   *
   * @param code see the record component
   * @param version see the record component
   * @param detail see the record component
   * @param quotes see the record component
   */
  public HoldReason(Code code, String version, String detail, List<String> quotes) {
    this(code, version, detail, quotes, java.util.Collections.nCopies(quotes.size(), ""));
  }
}
