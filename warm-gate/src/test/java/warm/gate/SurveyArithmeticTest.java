package warm.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic the on-demand surveys of rounds 15–17 decide by ({@link MissSurveyTest}, {@link StepShapeSurveyTest};
 * their reports run only when asked): which items a candidate moves and whether a fixed candidate is kept in a fold.
 * Their "nothing kept" and "kept" rest on these counts, so they are checked here on every build, on synthetic rows.
 */
class SurveyArithmeticTest {
  private static RealNotesEvaluationTest.Item item(String split, String version, boolean hold) {
    return new RealNotesEvaluationTest.Item(split, "p", version, hold, "why", "note", Path.of("x"));
  }

  private static MissSurveyTest.Row miss(String version, boolean hold, boolean held, String quiet) {
    return new MissSurveyTest.Row(item("val", version, hold), StepLevel.PATCH, held, Set.of(quiet), List.of());
  }

  @Test
  void missEffect_countsOnlyItemsTheGateLetsThrough() {
    List<MissSurveyTest.Row> rows = List.of(
        miss("1", true, false, "k"), // a missed HOLD the candidate holds: gained
        miss("2", false, false, "k"), // an AUTO let through the candidate holds: a false hold added
        miss("3", true, true, "k"), // already held: the candidate changes nothing
        miss("4", false, true, "k"),
        miss("5", true, false, "other")); // not read by the candidate
    Predicate<MissSurveyTest.Row> holdK = r -> r.quiet().contains("k");
    assertArrayEquals(new int[] {1, 1}, MissSurveyTest.effect(rows, holdK));
    assertArrayEquals(new int[] {0, 0}, MissSurveyTest.effect(rows, r -> false));
  }

  @Test
  void fixedCandidate_keptOnlyWhenTrainingGainIsAtLeastTwiceItsCostPlusOne() {
    Predicate<MissSurveyTest.Row> holdK = r -> r.quiet().contains("k");
    // 3 gained, 1 added: 3 >= 2 * 1 + 1, kept.
    List<MissSurveyTest.Row> kept = List.of(miss("1", true, false, "k"), miss("2", true, false, "k"),
        miss("3", true, false, "k"), miss("4", false, false, "k"));
    MissSurveyTest.Row probe = miss("9", true, false, "k");
    assertTrue(MissSurveyTest.fixed(holdK).fit(kept).test(probe));
    // 2 gained, 1 added: 2 < 3, rejected — the fold's rule then moves nothing.
    List<MissSurveyTest.Row> rejected = List.of(miss("1", true, false, "k"), miss("2", true, false, "k"),
        miss("4", false, false, "k"));
    assertFalse(MissSurveyTest.fixed(holdK).fit(rejected).test(probe));
  }

  private static StepShapeSurveyTest.Row shape(String version, boolean hold, boolean held, String kind) {
    return new StepShapeSurveyTest.Row(item("val", version, hold), StepShapeSurveyTest.Level.PATCH,
        StepShapeSurveyTest.Level.PATCH, held, Set.of(kind), 1, held ? 1 : 0, 0, false, false);
  }

  @Test
  void releaseEffect_countsFalseHoldsCutAndHoldsLostAmongHeldItemsOnly() {
    List<StepShapeSurveyTest.Row> rows = List.of(
        shape("1", false, true, "w"), // a false hold released: cut
        shape("2", true, true, "w"), // a HOLD released: lost
        shape("3", true, false, "w"), // not held: nothing to release
        shape("4", false, true, "strong"));
    assertArrayEquals(new int[] {1, 1}, StepShapeSurveyTest.effect(rows, r -> r.kinds().contains("w")));
    // The fixed weak-kind rule releases an item only when every holding kind of it is weak.
    Predicate<StepShapeSurveyTest.Row> weakOnly = StepShapeSurveyTest.fixed(Set.of("w"), r -> true);
    assertArrayEquals(new int[] {1, 1}, StepShapeSurveyTest.effect(rows, weakOnly));
    assertFalse(weakOnly.test(shape("5", false, true, "strong")));
  }
}
