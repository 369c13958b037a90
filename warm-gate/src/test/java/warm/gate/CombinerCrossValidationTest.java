package warm.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned combiner of gate round 10: its trainer and labels, and (with {@code -Dwarm.gate.combiner=report}) the
 * cross-validation report of machine-docs/measurements/gate-history.md "Round 10" — leave one product out over the
 * tuning splits, leave one split out, and val6 judged by a model trained on dev … val5 only, whose rules never looked
 * at val6.
 */
class CombinerCrossValidationTest {
  @Test
  void train_separatesARuleAndIsDeterministic() {
    // feature 1 decides, feature 2 is noise present on both sides
    List<LogisticCombiner.Row> rows = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      rows.add(new LogisticCombiner.Row(k % 3 == 0 ? new int[] {0, 1, 2} : new int[] {0, 1}, k % 10 != 0, 1));
      rows.add(new LogisticCombiner.Row(k % 2 == 0 ? new int[] {0, 2} : new int[] {0}, false, 1));
    }
    double[] w = LogisticCombiner.train(rows, 4, 1.0);
    assertTrue(LogisticCombiner.score(w, new int[] {0, 1}) > 0.8, "the deciding feature scores high");
    assertTrue(LogisticCombiner.score(w, new int[] {0, 2}) < 0.1, "the noise alone scores low");
    assertEquals(0.0, w[3], "a feature no row has keeps its weight");
    assertArrayEquals(w, LogisticCombiner.train(rows, 4, 1.0), "the same rows give the same weights");
  }

  @Test
  void train_rejectsAFeatureOutsideItsDimensions() {
    List<LogisticCombiner.Row> rows = List.of(new LogisticCombiner.Row(new int[] {0, 5}, true, 1));
    assertThrows(IllegalArgumentException.class, () -> LogisticCombiner.train(rows, 3, 1.0));
    assertThrows(IllegalArgumentException.class, () -> LogisticCombiner.train(List.of(), 3, 1.0));
  }

  @Test
  void quotes_findTheSentenceThatHoldsTheDecidingWords() {
    List<String> q = SentenceFeatures.quotes("removed mode: \"Polylith/HTTP API mode has been **removed**\": a"
        + " deployment running it must be rebuilt; \"you now need ... `enable_relays`\"");
    assertEquals(List.of("polylith/http api mode has been removed", "you now need", "enable_relays"), q);
    assertTrue(SentenceFeatures.quoted("The `Polylith/HTTP API` mode has been removed.", q),
        "code spans and emphasis are dropped on both sides");
    assertTrue(SentenceFeatures.quoted("Polylith/HTTP API mode has been removed.", q));
    assertTrue(SentenceFeatures.quoted("Set `enable_relays` to true.", q));
    assertFalse(SentenceFeatures.quoted("Fixed a crash.", q));
  }

  @Test
  void load_refusesASplitOutsideTheTuningSplits() {
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.load(Path.of("."), List.of("test")));
    assertThrows(IllegalArgumentException.class,
        () -> CombinerCrossValidation.load(Path.of("."), List.of("dev", "val14")), "one unseen split refuses all");
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.load(Path.of("."), List.of("val14")));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.load(Path.of("."), List.of("val15")));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.load(Path.of("."), List.of("val16")));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.load(Path.of("."), List.of("val17")));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.load(Path.of("."), List.of("val18")));
  }

  @Test
  void load_acceptsEveryTuningSplit_val10AndVal11SinceRound16_val12AndVal13SinceRound17() {
    for (String split : List.of("dev", "val", "val6", "val7", "val9", "val10", "val11", "val12", "val13")) {
      assertDoesNotThrow(() -> CombinerCrossValidation.requireReadable(split), split);
    }
  }

  @Test
  void loadWithJudge_refusesEverySplitButTheFixedJudge() {
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "test"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val7"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val9"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val10"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val11"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val12"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val13"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val14"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val15"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val16"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val17"));
    assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.loadWithJudge(Path.of("."), "val18"));
  }

  @Test
  void trainOn_refusesEveryUnseenJudge(@TempDir Path empty) throws IOException {
    CombinerCrossValidation cv = CombinerCrossValidation.load(empty, List.of());
    CombinerCrossValidation.Config config = CombinerCrossValidation.ROUND19_GRID.get(0);
    for (String judge : CombinerCrossValidation.ROUND19_JUDGE_SPLITS) {
      assertThrows(IllegalArgumentException.class, () -> cv.trainOn(config, List.of(judge)), judge);
      assertThrows(IllegalArgumentException.class, () -> cv.trainOn(config, List.of("dev", judge)),
          "one judge among the tuning splits refuses all: " + judge);
    }
  }

  @Test
  void round19Splits_judgesAreNeitherReadableNorTuning() {
    assertEquals(14, CombinerCrossValidation.ROUND19_TUNING_SPLITS.size());
    assertTrue(CombinerCrossValidation.ROUND19_TUNING_SPLITS.containsAll(
        CombinerCrossValidation.ROUND19_SELECTION_SPLITS));
    assertTrue(CombinerCrossValidation.ROUND19_TUNING_SPLITS.containsAll(
        CombinerCrossValidation.ROUND19_VALIDATION_SPLITS));
    for (String v : CombinerCrossValidation.ROUND19_VALIDATION_SPLITS) {
      assertFalse(CombinerCrossValidation.ROUND19_SELECTION_SPLITS.contains(v), "selected apart from " + v);
    }
    for (String judge : CombinerCrossValidation.ROUND19_JUDGE_SPLITS) {
      assertFalse(CombinerCrossValidation.READABLE_SPLITS.contains(judge), judge);
      assertThrows(IllegalArgumentException.class, () -> CombinerCrossValidation.requireReadable(judge), judge);
    }
  }

  @Test
  void choose_highestRecallWithinTheFalseHoldBound_thenLowerFalseHolds_thenTheEarlier() {
    CombinerCrossValidation.Config a = CombinerCrossValidation.ROUND19_GRID.get(0);
    CombinerCrossValidation.Config b = CombinerCrossValidation.ROUND19_GRID.get(1);
    CombinerSelection.Form model = CombinerSelection.Form.MODEL;
    CombinerSelection.Form or = CombinerSelection.Form.RULES_OR_MODEL;
    CombinerSelection.Candidate overBound = candidate(a, model, 40, 40, 21, 100);
    CombinerSelection.Candidate lower = candidate(a, or, 35, 40, 10, 100);
    CombinerSelection.Candidate higher = candidate(b, model, 37, 40, 20, 100);
    CombinerSelection.Candidate tieMoreFalse = candidate(b, or, 37, 40, 19, 100);
    assertEquals(tieMoreFalse, CombinerSelection.choose(List.of(overBound, lower, higher, tieMoreFalse)).orElseThrow(),
        "0.21 false holds is out; 37 of 40 beats 35; at equal recall 19 false holds beat 20");
    CombinerSelection.Candidate twin = candidate(b, model, 37, 40, 19, 100);
    assertEquals(tieMoreFalse, CombinerSelection.choose(List.of(tieMoreFalse, twin)).orElseThrow(),
        "an exact tie keeps the earlier");
    assertEquals(higher, CombinerSelection.choose(List.of(overBound, higher)).orElseThrow(), "0.20 itself is in");
    assertTrue(CombinerSelection.choose(List.of(overBound)).isEmpty(), "none within the bound: no candidate");
  }

  @Test
  void form_rulesOrModelNeverReleasesWhatTheRulesHold_andItsThresholdKeepsTheBound() {
    Map<CombinerCrossValidation.Note, Double> scores = new LinkedHashMap<>();
    // 10 HOLD notes scored 0.1 … 1.0, the first two held by the rules; 10 AUTO notes scored 0.05 … 0.95, one held
    for (int k = 1; k <= 10; k++) {
      scores.put(note("h" + k, true, k <= 2), k / 10.0);
      scores.put(note("a" + k, false, k == 10), k / 10.0 - 0.05);
    }
    CombinerSelection.Form model = CombinerSelection.Form.MODEL;
    CombinerSelection.Form or = CombinerSelection.Form.RULES_OR_MODEL;
    assertEquals(0.1, model.threshold(scores), 1e-12, "recall 0.95 of 10 needs all 10");
    double t = or.threshold(scores);
    CombinerCrossValidation.Counts c = CombinerCrossValidation.judge(scores, e -> or.holds(e.getKey(), e.getValue(), t))
        .get("all");
    assertTrue(c.falseHolds() <= 0.20, c.counted());
    assertEquals(0.8, t, 1e-12, "the lowest threshold that holds 2 AUTO notes of 10 (a9 and a10), not 3");
    assertEquals(5, c.tp(), "h1 and h2 by the rules below the threshold, h8 … h10 by the model: " + c.counted());
    assertFalse(model.holds(note("x", true, true), 0.0, 0.5), "the model alone ignores the rules");
    assertTrue(or.holds(note("x", true, true), 0.0, 0.5));
  }

  private static CombinerSelection.Candidate candidate(CombinerCrossValidation.Config config,
      CombinerSelection.Form form, int tp, int holds, int fp, int autos) {
    return new CombinerSelection.Candidate(config, form, 0.5, new CombinerCrossValidation.Counts(tp, holds, fp,
        autos));
  }

  private static CombinerCrossValidation.Note note(String version, boolean hold, boolean ruleHeld) {
    RealNotesEvaluationTest.Item item = new RealNotesEvaluationTest.Item("dev", "p", version, hold, "", "", null);
    return new CombinerCrossValidation.Note(item, List.of(new int[] {0}), new int[] {hold ? 1 : 0}, ruleHeld, false);
  }

  /**
   * The judgement round 10 fixed in advance: {@link CombinerCrossValidation#FIXED} trained on the seven tuning splits,
   * at {@link CombinerCrossValidation#FIXED_THRESHOLD}, on val8 — against the rules' own decision of the same notes.
   * Prints only counts per product, never an item; run once, on demand.
   */
  @Test
  void judgeTheFixedSetUpOnVal8() throws IOException, URISyntaxException {
    Assumptions.assumeTrue("judge".equals(System.getProperty("warm.gate.combiner")),
        "the fixed set-up is judged on val8 with -Dwarm.gate.combiner=judge");
    Path real = Path.of(getClass().getResource("real").toURI());
    CombinerCrossValidation cv = CombinerCrossValidation.loadWithJudge(real, "val8");
    double[] w = cv.train(CombinerCrossValidation.FIXED, n -> !n.item().split().equals("val8"));
    Map<CombinerCrossValidation.Note, Double> val8 = new LinkedHashMap<>();
    for (CombinerCrossValidation.Note n : cv.notes(CombinerCrossValidation.FIXED)) {
      if (n.item().split().equals("val8")) {
        val8.put(n, CombinerCrossValidation.score(w, n));
      }
    }
    double t = CombinerCrossValidation.FIXED_THRESHOLD;
    System.out.println(row("val8 rules", CombinerCrossValidation.judge(val8, e -> e.getKey().ruleHeld())));
    System.out.println(row("val8 fixed model t=" + t, CombinerCrossValidation.judge(val8, e -> e.getValue() >= t)));
    System.out.println(row("val8 rules OR fixed model t=" + t,
        CombinerCrossValidation.judge(val8, e -> e.getKey().ruleHeld() || e.getValue() >= t)));
    for (String product : val8.keySet().stream().map(n -> n.item().product()).distinct().sorted().toList()) {
      Map<CombinerCrossValidation.Note, Double> one = new LinkedHashMap<>();
      val8.forEach((n, s) -> {
        if (n.item().product().equals(product)) {
          one.put(n, s);
        }
      });
      System.out.println(row("val8 " + product + " rules / model", CombinerCrossValidation.judge(one,
          e -> e.getKey().ruleHeld())) + " | " + CombinerCrossValidation.judge(one, e -> e.getValue() >= t).get("all")
          .cell());
    }
  }

  @Test
  void report() throws IOException, URISyntaxException {
    // a tool run on demand (minutes of training), not a guard: skipped in the suite, on CI too
    Assumptions.assumeTrue("report".equals(System.getProperty("warm.gate.combiner")),
        "the cross-validation report runs with -Dwarm.gate.combiner=report");
    Path real = Path.of(getClass().getResource("real").toURI());
    long start = System.nanoTime();
    CombinerCrossValidation cv = CombinerCrossValidation.load(real, CombinerCrossValidation.TUNING_SPLITS);
    System.out.println("combiner: " + cv.labelCoverage());
    List<CombinerCrossValidation.Config> configs = List.of(
        new CombinerCrossValidation.Config("struct", false, 0, 1.0, false),
        new CombinerCrossValidation.Config("struct+unl0.3", false, 0.3, 1.0, false),
        new CombinerCrossValidation.Config("struct+words", true, 0, 1.0, false),
        new CombinerCrossValidation.Config("struct+words+unl0.3", true, 0.3, 1.0, false),
        new CombinerCrossValidation.Config("struct+words+unl0.3 l2=3", true, 0.3, 3.0, false),
        new CombinerCrossValidation.Config("struct+words l2=3", true, 0, 3.0, false),
        new CombinerCrossValidation.Config("no-rules+words+unl0.3", true, 0.3, 1.0, false, false),
        new CombinerCrossValidation.Config("no-rules+words", true, 0, 1.0, false, false),
        new CombinerCrossValidation.Config("no-rules", false, 0, 1.0, false, false),
        new CombinerCrossValidation.Config("no-rules l2=3", false, 0, 3.0, false, false));
    Map<CombinerCrossValidation.Note, Double> ruleScores = new LinkedHashMap<>();
    cv.notes(configs.get(0)).forEach(n -> ruleScores.put(n, n.ruleHeld() ? 1.0 : 0.0));
    System.out.println(row("rules (in-sample)", CombinerCrossValidation.judge(ruleScores, e -> e.getKey().ruleHeld())));
    CombinerCrossValidation.Config chosen = null;
    double chosenFalse = 2;
    Map<String, Map<CombinerCrossValidation.Note, Double>> val6Of = new LinkedHashMap<>();
    Map<String, Double> t6Of = new LinkedHashMap<>();
    for (CombinerCrossValidation.Config config : configs) {
      String name = config.name();
      // chosen without val6: leave one product out on dev … val5, threshold for recall >= 0.95 there
      Map<CombinerCrossValidation.Note, Double> inner = cv.outOfFold(config, CombinerCrossValidation.Note::product,
          n -> !n.item().split().equals("val6"));
      double t6 = CombinerCrossValidation.thresholdFor(inner, CombinerCrossValidation.TARGET_RECALL);
      Map<String, CombinerCrossValidation.Counts> innerCounts = CombinerCrossValidation.judge(inner,
          e -> e.getValue() >= t6);
      System.out.println(row(String.format(Locale.ROOT, "inner LOPO dev-val5 %s t=%.4f", name, t6), innerCounts));
      if (innerCounts.get("all").falseHolds() < chosenFalse) {
        chosen = config;
        chosenFalse = innerCounts.get("all").falseHolds();
      }
      Map<CombinerCrossValidation.Note, Double> oof = cv.outOfFold(config, CombinerCrossValidation.Note::product,
          n -> true);
      double t = CombinerCrossValidation.thresholdFor(oof, CombinerCrossValidation.TARGET_RECALL);
      System.out.println(row(String.format(Locale.ROOT, "LOPO %s model t=%.4f", name, t),
          CombinerCrossValidation.judge(oof, e -> e.getValue() >= t)));
      System.out.println(row(String.format(Locale.ROOT, "LOPO %s rules OR model t=%.4f", name, t),
          CombinerCrossValidation.judge(oof, e -> e.getKey().ruleHeld() || e.getValue() >= t)));
      for (boolean or : new boolean[] {false, true}) {
        double[] best = CombinerCrossValidation.bestRecallAt(oof, 0.20, or);
        System.out.println(row(String.format(Locale.ROOT, "LOPO %s %s best at FH<=0.20 t=%.4f", name,
            or ? "rules OR model" : "model", best[1]),
            CombinerCrossValidation.judge(oof, e -> (or && e.getKey().ruleHeld()) || e.getValue() >= best[1])));
      }
      // leave one split out, at the threshold the pooled leave-one-product-out chose
      Map<CombinerCrossValidation.Note, Double> loso = cv.outOfFold(config, n -> n.item().split(), n -> true);
      System.out.println(row(String.format(Locale.ROOT, "LOSO %s model t=%.4f", name, t),
          CombinerCrossValidation.judge(loso, e -> e.getValue() >= t)));
      System.out.println(row(String.format(Locale.ROOT, "LOSO %s rules OR model t=%.4f", name, t),
          CombinerCrossValidation.judge(loso, e -> e.getKey().ruleHeld() || e.getValue() >= t)));
      // val6, whose rules never looked at it: trained on dev … val5 (the LOSO fold), threshold from the inner LOPO
      Map<CombinerCrossValidation.Note, Double> val6 = new LinkedHashMap<>();
      loso.forEach((n, s) -> {
        if (n.item().split().equals("val6")) {
          val6.put(n, s);
        }
      });
      val6Of.put(name, val6);
      t6Of.put(name, t6);
      System.out.println(row(String.format(Locale.ROOT, "val6 clean %s model t=%.4f", name, t6),
          CombinerCrossValidation.judge(val6, e -> e.getValue() >= t6)));
      System.out.println(row(String.format(Locale.ROOT, "val6 clean %s rules OR model t=%.4f", name, t6),
          CombinerCrossValidation.judge(val6, e -> e.getKey().ruleHeld() || e.getValue() >= t6)));
      // the same, at the threshold that gave "rules OR model" its best recall at false holds <= 0.20 on dev … val5
      double tOr = CombinerCrossValidation.bestRecallAt(inner, 0.20, true)[1];
      System.out.println(row(String.format(Locale.ROOT, "val6 clean %s rules OR model (FH<=0.20 on dev-val5) t=%.4f",
          name, tOr), CombinerCrossValidation.judge(val6, e -> e.getKey().ruleHeld() || e.getValue() >= tOr)));
    }
    System.out.println("chosen on dev-val5 alone (lowest false holds at recall >= 0.95): " + chosen.name());
    for (CombinerCrossValidation.Config config : configs) {
      if (config != chosen && config.rules()) {
        continue;
      }
      double t6 = t6Of.get(config.name());
      StringBuilder diff = new StringBuilder("val6 clean " + config.name() + " against the rules:");
      val6Of.get(config.name()).forEach((n, s) -> {
        boolean model = s >= t6;
        if (model != n.ruleHeld()) {
          diff.append(String.format(Locale.ROOT, " %s %s/%s %s (%.3f);", n.item().hold() ? "HOLD" : "AUTO",
              n.item().product(), n.item().version(), model ? "held" : "released", s));
        }
      });
      System.out.println(diff);
    }
    double[] w = cv.train(chosen, n -> true);
    Integer[] order = new Integer[w.length];
    for (int k = 0; k < w.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (x, y) -> Double.compare(Math.abs(w[y]), Math.abs(w[x])));
    StringBuilder top = new StringBuilder("strongest weights of " + chosen.name() + " on all seven splits:");
    for (int k = 0; k < 25; k++) {
      top.append(String.format(Locale.ROOT, " %s %+.2f;", cv.featureNames().get(order[k]), w[order[k]]));
    }
    System.out.println(top);
    System.out.printf(Locale.ROOT, "combiner report took %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /**
   * Gate round 19 (machine-docs/measurements/gate-history.md "Round 19"): each set-up of
   * {@link CombinerCrossValidation#ROUND19_GRID} gets its thresholds by leave one split out on dev … val11, is trained
   * on dev … val11 and scored on val12 + val13, which no rule was fitted to; {@link CombinerSelection} chooses one
   * set-up and form there, which is then retrained on the 14 tuning splits with its threshold re-chosen the same way
   * by leave one split out on the 14. Reads the tuning splits only; on demand with
   * {@code -Dwarm.gate.combiner=report19}.
   */
  @Test
  void reportRound19() throws IOException, URISyntaxException {
    Assumptions.assumeTrue("report19".equals(System.getProperty("warm.gate.combiner")),
        "round 19's selection report runs with -Dwarm.gate.combiner=report19");
    Path real = Path.of(getClass().getResource("real").toURI());
    long start = System.nanoTime();
    List<String> selection = CombinerCrossValidation.ROUND19_SELECTION_SPLITS;
    List<String> validation = CombinerCrossValidation.ROUND19_VALIDATION_SPLITS;
    CombinerCrossValidation cv = CombinerCrossValidation.load(real, CombinerCrossValidation.ROUND19_TUNING_SPLITS);
    System.out.println("combiner: " + cv.labelCoverage());
    Map<CombinerCrossValidation.Note, Double> rules = new LinkedHashMap<>();
    cv.notes(CombinerCrossValidation.ROUND19_GRID.get(0)).forEach(n -> rules.put(n, n.ruleHeld() ? 1.0 : 0.0));
    System.out.println(counted("rules dev-val11 (in-sample)", CombinerCrossValidation.judge(of(rules, selection),
        e -> e.getKey().ruleHeld())));
    System.out.println(counted("rules val12+val13 (never fitted)", CombinerCrossValidation.judge(of(rules, validation),
        e -> e.getKey().ruleHeld())));
    List<CombinerSelection.Candidate> candidates = new ArrayList<>();
    for (CombinerCrossValidation.Config config : CombinerCrossValidation.ROUND19_GRID) {
      Map<CombinerCrossValidation.Note, Double> oof = cv.outOfFold(config, n -> n.item().split(),
          n -> selection.contains(n.item().split()));
      double[] w = cv.trainOn(config, selection);
      Map<CombinerCrossValidation.Note, Double> val = new LinkedHashMap<>();
      for (CombinerCrossValidation.Note n : cv.notes(config)) {
        if (validation.contains(n.item().split())) {
          val.put(n, CombinerCrossValidation.score(w, n));
        }
      }
      for (CombinerSelection.Form form : CombinerSelection.Form.values()) {
        double t = form.threshold(oof);
        System.out.println(counted(String.format(Locale.ROOT, "LOSO dev-val11 %s %s t=%.4f", config.name(),
            form.label(), t), CombinerCrossValidation.judge(oof, e -> form.holds(e.getKey(), e.getValue(), t))));
        Map<String, CombinerCrossValidation.Counts> v = CombinerCrossValidation.judge(val,
            e -> form.holds(e.getKey(), e.getValue(), t));
        System.out.println(counted(String.format(Locale.ROOT, "val12+val13 %s %s t=%.4f", config.name(),
            form.label(), t), v));
        candidates.add(new CombinerSelection.Candidate(config, form, t, v.get("all")));
      }
    }
    Optional<CombinerSelection.Candidate> chosen = CombinerSelection.choose(candidates);
    if (chosen.isEmpty()) {
      System.out.println("round 19: no candidate keeps false holds <= 0.20 on val12+val13");
    } else {
      CombinerSelection.Candidate c = chosen.get();
      System.out.println("round 19 chosen on val12+val13: " + c.config().name() + " " + c.form().label() + " t="
          + c.threshold() + " " + c.validation().counted());
      // fixed: the same set-up and form, threshold re-chosen by leave one split out on the 14 tuning splits
      List<String> tuning = CombinerCrossValidation.ROUND19_TUNING_SPLITS;
      Map<CombinerCrossValidation.Note, Double> oof = cv.outOfFold(c.config(), n -> n.item().split(),
          n -> tuning.contains(n.item().split()));
      double t = c.form().threshold(oof);
      System.out.println(counted("LOSO dev-val13 fixed " + c.config().name() + " " + c.form().label() + " t=" + t,
          CombinerCrossValidation.judge(oof, e -> c.form().holds(e.getKey(), e.getValue(), t))));
      assertEquals(CombinerCrossValidation.ROUND19_FIXED, c.config(), "the constants are the set-up chosen here");
      assertEquals(CombinerCrossValidation.ROUND19_FORM, c.form());
      assertEquals(CombinerCrossValidation.ROUND19_THRESHOLD, t, 1e-12);
      Map<CombinerCrossValidation.Note, Double> val = new LinkedHashMap<>();
      double[] wSel = cv.trainOn(c.config(), selection);
      cv.notes(c.config()).stream().filter(n -> validation.contains(n.item().split()))
          .forEach(n -> val.put(n, CombinerCrossValidation.score(wSel, n)));
      Map<String, CombinerCrossValidation.Counts> byRules = CombinerCrossValidation.judgeBy(val,
          e -> e.getKey().ruleHeld(), n -> List.of(n.item().split() + "/" + n.item().product()));
      Map<String, CombinerCrossValidation.Counts> byChosen = CombinerCrossValidation.judgeBy(val,
          e -> c.form().holds(e.getKey(), e.getValue(), c.threshold()),
          n -> List.of(n.item().split() + "/" + n.item().product()));
      byRules.forEach((k, r) -> System.out.printf(Locale.ROOT, "    %-24s rules %s | chosen %s%n", k, r.counted(),
          byChosen.get(k).counted()));
      double[] w = cv.trainOn(c.config(), tuning);
      Integer[] order = new Integer[w.length];
      for (int k = 0; k < w.length; k++) {
        order[k] = k;
      }
      Arrays.sort(order, (x, y) -> Double.compare(Math.abs(w[y]), Math.abs(w[x])));
      StringBuilder top = new StringBuilder("strongest weights of the fixed set-up on the 14 tuning splits:");
      for (int k = 0; k < 20; k++) {
        top.append(String.format(Locale.ROOT, " %s %+.2f;", cv.featureNames().get(order[k]), w[order[k]]));
      }
      System.out.println(top);
    }
    System.out.printf(Locale.ROOT, "round 19 report took %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /**
   * Round 19's one judgement, fixed before it was run (machine-docs/DECISIONS.md "Gate round 19"):
   * {@link CombinerCrossValidation#ROUND19_FIXED} trained on the 14 tuning splits, scored on val14 … val18 and test,
   * against the rules' own decision of the same notes. Prints counts only (per split, per product, pooled), never an
   * item. Run once, by the lead, with {@code -Dwarm.gate.combiner=judge19}.
   */
  @Test
  void judgeRound19OnUnseen() throws IOException, URISyntaxException {
    Assumptions.assumeTrue("judge19".equals(System.getProperty("warm.gate.combiner")),
        "round 19's fixed set-up is judged on the unseen splits with -Dwarm.gate.combiner=judge19");
    Path real = Path.of(getClass().getResource("real").toURI());
    long start = System.nanoTime();
    CombinerCrossValidation cv = CombinerCrossValidation.loadForRound19Judge(real);
    CombinerCrossValidation.Judged j = cv.judgeRound19(cv.round19Weights());
    System.out.println("round 19 judgement: " + CombinerCrossValidation.ROUND19_FIXED.name() + ", "
        + CombinerCrossValidation.ROUND19_FORM.label() + ", t=" + CombinerCrossValidation.ROUND19_THRESHOLD
        + "; each cell: recall (HOLD caught/HOLD) / false holds (held AUTO/AUTO)");
    j.rules().forEach((k, r) -> System.out.printf(Locale.ROOT, "  %-26s rules %s | model %s | rules OR model %s%n", k,
        r.counted(), j.model().get(k).counted(), j.rulesOrModel().get(k).counted()));
    System.out.printf(Locale.ROOT, "round 19 judgement took %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  @Test
  void judgeRound19_trainsOnTheTuningSplitsOnly_andScoresTheJudgesOnly(@TempDir Path real) throws IOException {
    note(real, "dev/alpha/1.0", "HOLD", "\"you must run the migration by hand\"",
        "## Breaking changes\n\n- You must run the migration by hand before starting.\n- Fixed a crash in the UI.\n");
    note(real, "dev/alpha/1.1", "AUTO", "", "## Bug fixes\n\n- Fixed a crash in the UI.\n- Improved search speed.\n");
    note(real, "dev/beta/2.0", "HOLD", "\"the old config option has been removed\"",
        "## Changes\n\n- The old config option has been removed.\n- Added a dark mode.\n");
    note(real, "dev/beta/2.1", "AUTO", "", "## Features\n\n- Added a dark mode.\n");
    // a judge note whose positive sentence would move the weights if it were trained on
    note(real, "val14/gamma/3.0", "HOLD", "\"delete the cache directory manually\"",
        "## Upgrade notes\n\n- Delete the cache directory manually, the format is incompatible.\n");
    note(real, "test/delta/4.0", "AUTO", "", "## Bug fixes\n\n- Fixed a typo in the docs.\n");
    CombinerCrossValidation judged = CombinerCrossValidation.loadForRound19Judge(real);
    CombinerCrossValidation tuningOnly = CombinerCrossValidation.load(real,
        CombinerCrossValidation.ROUND19_TUNING_SPLITS);
    double[] w = judged.round19Weights();
    double[] wTuning = tuningOnly.round19Weights();
    List<CombinerCrossValidation.Note> a = judged.notes(CombinerCrossValidation.ROUND19_FIXED).stream()
        .filter(n -> n.item().split().equals("dev")).toList();
    List<CombinerCrossValidation.Note> b = tuningOnly.notes(CombinerCrossValidation.ROUND19_FIXED);
    assertEquals(4, b.size());
    for (int k = 0; k < 4; k++) {
      assertEquals(CombinerCrossValidation.score(wTuning, b.get(k)), CombinerCrossValidation.score(w, a.get(k)), 1e-9,
          "the judge notes change no weight: " + a.get(k).item().id());
    }
    double[] wWithJudges = judged.train(CombinerCrossValidation.ROUND19_FIXED, n -> true);
    assertTrue(a.stream().anyMatch(n -> Math.abs(CombinerCrossValidation.score(wWithJudges, n)
        - CombinerCrossValidation.score(w, n)) > 1e-6), "training on the judges would have moved them");
    CombinerCrossValidation.Judged j = judged.judgeRound19(w);
    assertEquals(List.of("all", "test", "test/delta", "val14", "val14/gamma"), List.copyOf(j.rules().keySet()));
    CombinerCrossValidation.Counts all = j.rulesOrModel().get("all");
    assertEquals(1, all.holds(), "only the judges' notes are scored");
    assertEquals(1, all.autos());
    assertEquals(j.rules().keySet(), j.model().keySet());
    for (String k : j.rules().keySet()) {
      assertTrue(j.rulesOrModel().get(k).tp() >= j.rules().get(k).tp(), "rules OR model never releases: " + k);
      assertTrue(j.rulesOrModel().get(k).tp() >= j.model().get(k).tp(), k);
    }
  }

  private static void note(Path real, String at, String label, String why, String text) throws IOException {
    Path file = real.resolve(at + ".note");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "product: " + file.getParent().getFileName() + "\nlabel: " + label + "\nwhy: " + why
        + "\n---\n" + text);
  }

  private static Map<CombinerCrossValidation.Note, Double> of(Map<CombinerCrossValidation.Note, Double> scores,
      List<String> splits) {
    Map<CombinerCrossValidation.Note, Double> out = new LinkedHashMap<>();
    scores.forEach((n, s) -> {
      if (splits.contains(n.item().split())) {
        out.put(n, s);
      }
    });
    return out;
  }

  private static String counted(String name, Map<String, CombinerCrossValidation.Counts> c) {
    StringBuilder b = new StringBuilder(name);
    c.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%n    %-6s %s", k, v.counted())));
    return b.toString();
  }

  private static String row(String name, Map<String, CombinerCrossValidation.Counts> c) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-62s", name));
    c.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %s", k, v.cell())));
    return b.toString();
  }
}
