package warm.gate;

import java.util.ArrayList;
import java.util.List;

/**
 * The size of the step as evidence (issue 14, round 15): in a patch step, a note whose only holding sentences are
 * removals read under a routine heading ("Bug fixes", "Features", "Dependencies" …) and that has no breaking or
 * upgrade section does not hold. On the tuning splits such a note was AUTO in all three patch steps and HOLD in six of
 * seven minor or major steps; the evidence kinds were chosen leave-one-split-out (machine-docs/DECISIONS.md, "Gate
 * round 15"). Every other kind of evidence holds at any step, and an unknown step keeps every hold.
 *
 * <p>Keyed on the installed version and the note's own version, never on the other notes of the range: adding a note
 * to a range changes no other note's verdict, so a range that holds keeps holding.
 */
final class StepTier {
  private StepTier() {}

  /**
   * @param verdict the note's reading
   * @param level the step from the installed version to the note's version
   * @param step that step as text, for the explanation ({@code 1.0.0+0.13.2 → 1.0.1+0.13.3})
   * @return the verdict, with its holding sentences released when the tier applies; otherwise unchanged
   */
  static NoteClassifier.Verdict apply(NoteClassifier.Verdict verdict, StepLevel level, String step) {
    if (level != StepLevel.PATCH || verdict.unreadable() != null) {
      return verdict;
    }
    boolean anyHolds = false;
    for (NoteClassifier.Classified c : verdict.sentences()) {
      if (c.section() == SectionKind.BREAKING || c.section() == SectionKind.UPGRADE) {
        return verdict;
      }
      if (c.holds()) {
        if (!weakOnly(c)) {
          return verdict;
        }
        anyHolds = true;
      }
    }
    if (!anyHolds) {
      return verdict;
    }
    List<NoteClassifier.Classified> out = new ArrayList<>(verdict.sentences().size());
    for (NoteClassifier.Classified c : verdict.sentences()) {
      out.add(!c.holds() ? c : new NoteClassifier.Classified(c.heading(), c.section(), c.cls(), false,
          "a removal listed under " + c.section() + " in a patch step (" + step + "), with no breaking or upgrade"
              + " section: at a patch step that is not enough to hold (" + c.why() + ")", c.line(), c.text(),
          c.anywhere()));
    }
    return new NoteClassifier.Verdict(out, null);
  }

  /** The one kind of evidence the tier weighs by the step: a removal, read under a routine heading. */
  private static boolean weakOnly(NoteClassifier.Classified c) {
    return c.cls() == NoteClassifier.SentenceClass.REMOVAL && c.section().routine();
  }
}
