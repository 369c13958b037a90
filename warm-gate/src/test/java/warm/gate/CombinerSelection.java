package warm.gate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gate round 19's rule for choosing one set-up and one decision form, fixed before any number was seen: the highest
 * recall on the clean validation pair (val12 + val13 pooled) among the candidates whose false holds there are at most
 * {@link CombinerCrossValidation#MAX_FALSE_HOLDS}; ties go to the lower false holds, then to the earlier candidate in
 * the declared order (the grid's order, "model" before "rules OR model"). None within the bound: no candidate.
 */
final class CombinerSelection {
  private CombinerSelection() {}

  /** How a note's score becomes a hold. */
  enum Form {
    /** The model alone: the note's score reaches the threshold. */
    MODEL,
    /** The rules hold it, or the model does (never releases a note the rules hold). */
    RULES_OR_MODEL;

    boolean holds(CombinerCrossValidation.Note note, double score, double threshold) {
      return this == RULES_OR_MODEL && note.ruleHeld() || score >= threshold;
    }

    /**
     * The threshold this form is chosen at, from out-of-fold scores: for the model alone the highest one whose pooled
     * recall is at least {@link CombinerCrossValidation#TARGET_RECALL}; for "rules OR model" the one giving the best
     * pooled recall at pooled false holds of at most {@link CombinerCrossValidation#MAX_FALSE_HOLDS} (2, the model
     * never holding, when not even the rules keep to the bound).
     */
    double threshold(Map<CombinerCrossValidation.Note, Double> outOfFold) {
      return this == MODEL ? CombinerCrossValidation.thresholdFor(outOfFold, CombinerCrossValidation.TARGET_RECALL)
          : CombinerCrossValidation.bestRecallAt(outOfFold, CombinerCrossValidation.MAX_FALSE_HOLDS, true)[1];
    }

    String label() {
      return this == MODEL ? "model" : "rules OR model";
    }
  }

  /** One set-up in one form at its threshold, with its pooled counts on the validation pair. */
  record Candidate(CombinerCrossValidation.Config config, Form form, double threshold,
      CombinerCrossValidation.Counts validation) {}

  /**
   * @param candidates in the declared order
   * @return the chosen one, or empty when none keeps false holds within the bound on the validation pair
   */
  static Optional<Candidate> choose(List<Candidate> candidates) {
    Candidate best = null;
    for (Candidate c : candidates) {
      if (c.validation().falseHolds() > CombinerCrossValidation.MAX_FALSE_HOLDS) {
        continue;
      }
      if (best == null || better(c.validation(), best.validation())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Strictly better: higher recall, or the same recall at lower false holds (an exact tie keeps the earlier). */
  private static boolean better(CombinerCrossValidation.Counts a, CombinerCrossValidation.Counts b) {
    int byRecall = Long.compare((long) a.tp() * b.holds(), (long) b.tp() * a.holds());
    if (byRecall != 0) {
      return byRecall > 0;
    }
    return (long) a.fp() * b.autos() < (long) b.fp() * a.autos();
  }
}
