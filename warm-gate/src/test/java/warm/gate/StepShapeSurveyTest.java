package warm.gate;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Round 15's survey (issue 14), a report run on demand ({@code -Dwarm.gate.survey=report}), not a guard: on the
 * tuning splits only, how the step level of each item (as the evaluation places it, {@link
 * RealNotesEvaluationTest#previousRelease}) and the note's shape (sentences, share and position of the holding ones,
 * a breaking or upgrade section) split the rules' holds, and a leave-one-split-out estimate for each candidate tier:
 * the tier is chosen on nine splits and the tenth's false holds cut and HOLDs lost are printed. It reads the
 * classifier's verdict before {@link StepTier}, so it measures the candidates against the rules alone.
 */
class StepShapeSurveyTest {
  static final List<String> TUNING = List.of("dev", "val", "val2", "val3", "val4", "val5", "val6", "val7", "val8",
      "val9");

  enum Level { MAJOR, MINOR, PATCH, UNKNOWN }

  record Row(RealNotesEvaluationTest.Item item, Level level, Level nominal, boolean held, Set<String> kinds,
      int sentences, int holding, double firstAt, boolean breakingSection, boolean allFixes) {}

  static Level level(String version, boolean evaluationOnly) {
    String prev = RealNotesEvaluationTest.previousRelease(version);
    String v = version.startsWith("v") ? version.substring(1) : version;
    if (!v.matches("(?:\\d+\\.)*\\d+")) {
      return Level.UNKNOWN;
    }
    String[] parts = v.split("\\.");
    if (prev == null && evaluationOnly) {
      return Level.UNKNOWN;
    }
    int last = parts.length - 1;
    while (last > 0 && Long.parseLong(parts[last]) == 0) {
      last--;
    }
    int idx = evaluationOnly ? parts.length - 1 : last;
    return idx == 0 ? Level.MAJOR : idx == 1 ? Level.MINOR : Level.PATCH;
  }

  static String kind(NoteClassifier.Classified c) {
    boolean bu = c.section() == SectionKind.BREAKING || c.section() == SectionKind.UPGRADE;
    String req = c.cls() == NoteClassifier.SentenceClass.REQUIREMENT ? (c.anywhere() ? "+any" : "+sec") : "";
    return c.cls() + req + "@" + (bu ? "BU" : c.section().routine() ? "ROUTINE" : "OTHER");
  }

  static List<Row> rows() throws IOException, URISyntaxException {
    return rows(TUNING);
  }

  /** The rows of the given tuning splits (round 16 reads twelve: {@link MissSurveyTest#TUNING}). */
  static List<Row> rows(List<String> splits) throws IOException, URISyntaxException {
    Path real = Path.of(StepShapeSurveyTest.class.getResource("real").toURI());
    NoteClassifier classifier = new NoteClassifier(GatePolicy.defaults().context(), GatePolicy.defaults()
        .extraMarkers());
    List<Row> rows = new ArrayList<>();
    for (RealNotesEvaluationTest.Item item : RealNotesEvaluationTest.load(real, splits)) {
      String prev = RealNotesEvaluationTest.previousRelease(item.version());
      RecipeVersion from = RecipeVersion.parse(prev == null ? "1.0.0" : "1.0.0+" + prev);
      NoteClassifier.Verdict v = classifier.classify(item.note(), from);
      List<NoteClassifier.Classified> all = v.sentences();
      List<NoteClassifier.Classified> holding = v.holding();
      Set<String> kinds = new TreeSet<>();
      holding.forEach(c -> kinds.add(kind(c)));
      int first = -1;
      for (int k = 0; k < all.size(); k++) {
        if (all.get(k).holds()) {
          first = k;
          break;
        }
      }
      boolean bsec = all.stream().anyMatch(c -> c.section() == SectionKind.BREAKING
          || c.section() == SectionKind.UPGRADE);
      boolean allFixes = !holding.isEmpty() && holding.stream().allMatch(c -> c.section() == SectionKind.FIXES);
      boolean held = v.unreadable() != null || !holding.isEmpty();
      rows.add(new Row(item, level(item.version(), true), level(item.version(), false), held, kinds, all.size(),
          holding.size(), all.isEmpty() || first < 0 ? -1 : first / (double) all.size(), bsec, allFixes));
    }
    return rows;
  }

  /** A rule releasing a held item; chosen on training rows. */
  interface Learner {
    Predicate<Row> fit(List<Row> train);
  }

  static int[] effect(List<Row> rows, Predicate<Row> release) {
    int fhCut = 0;
    int holdLost = 0;
    for (Row r : rows) {
      if (r.held() && release.test(r)) {
        if (r.item().hold()) {
          holdLost++;
        } else {
          fhCut++;
        }
      }
    }
    return new int[] {fhCut, holdLost};
  }

  /** Greedy: add weak kinds that release training false holds and lose no training HOLD. */
  static Predicate<Row> greedyKinds(List<Row> train, Predicate<Row> gate) {
    return greedyKinds(train, gate, k -> true);
  }

  /**
   * The classifier's own weak classes (NoteClassifier.weak, and a requirement presumed by its section), outside a
   * breaking or upgrade section.
   */
  static boolean classifierWeak(String kind) {
    String cls = kind.substring(0, kind.indexOf('@'));
    return !kind.endsWith("@BU") && List.of("BEHAVIOUR_CHANGE", "MIGRATION", "REMOVAL", "REQUIREMENT+sec")
        .contains(cls);
  }

  static Predicate<Row> greedyKinds(List<Row> train, Predicate<Row> gate, Predicate<String> allowed) {
    Map<String, Integer> candidates = new TreeMap<>();
    for (Row r : train) {
      if (r.held() && !r.item().hold() && gate.test(r)) {
        r.kinds().stream().filter(allowed).forEach(k -> candidates.merge(k, 1, Integer::sum));
      }
    }
    Set<String> weak = new LinkedHashSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      String best = null;
      int bestCut = 0;
      for (String k : candidates.keySet()) {
        if (weak.contains(k)) {
          continue;
        }
        Set<String> trial = new LinkedHashSet<>(weak);
        trial.add(k);
        int[] e = effect(train, r -> gate.test(r) && !r.kinds().isEmpty() && trial.containsAll(r.kinds()));
        int[] base = effect(train, r -> gate.test(r) && !r.kinds().isEmpty() && weak.containsAll(r.kinds()));
        if (e[1] == 0 && e[0] > base[0] && e[0] - base[0] > bestCut) {
          best = k;
          bestCut = e[0] - base[0];
        }
      }
      if (best != null) {
        weak.add(best);
        grew = true;
      }
    }
    Set<String> chosen = Set.copyOf(weak);
    System.out.println("      chosen weak kinds: " + chosen);
    return r -> gate.test(r) && !r.kinds().isEmpty() && chosen.containsAll(r.kinds());
  }

  static Predicate<Row> fixed(Set<String> weak, Predicate<Row> gate) {
    return r -> gate.test(r) && !r.kinds().isEmpty() && weak.containsAll(r.kinds());
  }

  static void loso(String name, List<Row> rows, Learner learner) {
    loso(name, rows, learner, TUNING);
  }

  static void loso(String name, List<Row> rows, Learner learner, List<String> splits) {
    System.out.println("LOSO " + name);
    int sumCut = 0;
    int sumLost = 0;
    int splitsLosing = 0;
    for (String held : splits) {
      List<Row> train = rows.stream().filter(r -> !r.item().split().equals(held)).toList();
      List<Row> test = rows.stream().filter(r -> r.item().split().equals(held)).toList();
      Predicate<Row> rule = learner.fit(train);
      int[] tr = effect(train, rule);
      int[] te = effect(test, rule);
      List<String> moved = new ArrayList<>();
      for (Row r : test) {
        if (r.held() && rule.test(r)) {
          moved.add((r.item().hold() ? "LOST " : "cut ") + r.item().product() + " " + r.item().version());
        }
      }
      System.out.printf(Locale.ROOT, "  %-5s train cut %2d lost %d | held-out cut %d lost %d %s%n", held, tr[0], tr[1],
          te[0], te[1], moved);
      sumCut += te[0];
      sumLost += te[1];
      splitsLosing += te[1] > 0 ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "  SUM held-out false holds cut %d, HOLDs lost %d (splits losing %d)%n", sumCut,
        sumLost, splitsLosing);
  }

  /** Threshold learner: release weak-only items whose feature is at least / at most t, t the loosest losing no HOLD. */
  static Learner threshold(String feature, java.util.function.ToDoubleFunction<Row> f, boolean atLeast,
      Set<String> weak, Predicate<Row> gate) {
    return train -> {
      Predicate<Row> base = fixed(weak, gate);
      TreeSet<Double> values = new TreeSet<>();
      train.forEach(r -> values.add(f.applyAsDouble(r)));
      double bestT = Double.NaN;
      int bestCut = 0;
      for (double t : values) {
        Predicate<Row> p = r -> base.test(r) && (atLeast ? f.applyAsDouble(r) >= t : f.applyAsDouble(r) <= t);
        int[] e = effect(train, p);
        if (e[1] == 0 && e[0] > bestCut) {
          bestCut = e[0];
          bestT = t;
        }
      }
      double t = bestT;
      System.out.println("      " + feature + (atLeast ? " >= " : " <= ") + t);
      return Double.isNaN(t) ? r -> false
          : r -> base.test(r) && (atLeast ? f.applyAsDouble(r) >= t : f.applyAsDouble(r) <= t);
    };
  }

  @Test
  void report() throws IOException, URISyntaxException {
    Assumptions.assumeTrue("report".equals(System.getProperty("warm.gate.survey")), "-Dwarm.gate.survey=report");
    List<Row> rows = rows();
    // the survey table: by nominal level and by the level the evaluation knows
    for (boolean evalLevel : new boolean[] {false, true}) {
      System.out.println(evalLevel ? "BY LEVEL KNOWN TO THE EVALUATION" : "BY NOMINAL LEVEL");
      Map<Level, int[]> t = new TreeMap<>();
      for (Row r : rows) {
        int[] c = t.computeIfAbsent(evalLevel ? r.level() : r.nominal(), k -> new int[6]);
        c[r.item().hold() ? 0 : 1]++;
        if (r.held()) {
          c[r.item().hold() ? 2 : 3]++;
        }
        if (r.held() && r.kinds().stream().noneMatch(k -> k.endsWith("@BU") || k.startsWith("BREAKING")
            || k.startsWith("MARKER") || k.startsWith("UPGRADE_PATH") || k.startsWith("BACKUP")
            || k.startsWith("DATA_LOSS") || k.startsWith("REQUIREMENT+any"))) {
          c[r.item().hold() ? 4 : 5]++;
        }
      }
      t.forEach((k, c) -> System.out.printf(Locale.ROOT,
          "  %-8s HOLD %3d AUTO %3d  held: HOLD %3d AUTO(false) %3d  weak-only held: HOLD %3d AUTO %3d%n", k, c[0],
          c[1], c[2], c[3], c[4], c[5]));
    }
    System.out.println("HELD ITEMS (label level kinds sentences holding firstAt bsec allFixes)");
    for (Row r : rows) {
      if (r.held()) {
        System.out.printf(Locale.ROOT, "  %s %-22s %-7s %-7s n=%3d h=%2d at=%.2f bsec=%s fixes=%s %s%n",
            r.item().hold() ? "HOLD" : "AUTO", r.item().split() + "/" + r.item().product() + "/" + r.item().version(),
            r.level(), r.nominal(), r.sentences(), r.holding(), r.firstAt(), r.breakingSection() ? "y" : "n",
            r.allFixes() ? "y" : "n", r.kinds());
      }
    }
    Map<String, int[]> byKind = new TreeMap<>();
    for (Row r : rows) {
      if (r.held()) {
        for (String k : r.kinds()) {
          int[] c = byKind.computeIfAbsent(k, x -> new int[3]);
          c[r.item().hold() ? 0 : 1]++;
          if (r.kinds().size() == 1) {
            c[2]++;
          }
        }
      }
    }
    System.out.println("KINDS (held items with it: HOLD, AUTO; alone)");
    byKind.forEach((k, c) -> System.out.printf(Locale.ROOT, "  %-40s HOLD %3d AUTO %3d alone %3d%n", k, c[0], c[1],
        c[2]));

    Set<String> weakDefault = Set.of("BEHAVIOUR_CHANGE@OTHER", "BEHAVIOUR_CHANGE@ROUTINE", "MIGRATION@OTHER",
        "MIGRATION@ROUTINE", "REMOVAL@OTHER", "REMOVAL@ROUTINE");
    Predicate<Row> patch = r -> r.level() == Level.PATCH;
    Predicate<Row> patchNoSection = r -> r.level() == Level.PATCH && !r.breakingSection();
    Predicate<Row> any = r -> true;
    loso("A fixed weak set (classifier's weak(): behaviour change, migration, removal outside breaking/upgrade "
        + "sections), patch steps", rows, train -> fixed(weakDefault, patch));
    loso("A' same, patch steps, note without breaking/upgrade section", rows,
        train -> fixed(weakDefault, patchNoSection));
    loso("B weak kinds chosen greedily on training, patch steps", rows, train -> greedyKinds(train, patch));
    loso("B' weak kinds chosen greedily, patch, no breaking/upgrade section", rows,
        train -> greedyKinds(train, patchNoSection));
    loso("B-weak (kept) weak kinds chosen greedily among the classifier's weak kinds, patch, no breaking/upgrade"
        + " section", rows, train -> greedyKinds(train, patchNoSection, StepShapeSurveyTest::classifierWeak));
    loso("B-weak at minor steps (does the level matter?)", rows, train -> greedyKinds(train,
        r -> r.level() == Level.MINOR && !r.breakingSection(), StepShapeSurveyTest::classifierWeak));
    loso("C weak kinds chosen greedily, any level (the shape/kinds alone, no step)", rows,
        train -> greedyKinds(train, any));
    loso("D held share <= t, fixed weak set, any level", rows,
        threshold("share", r -> r.holding() / (double) Math.max(1, r.sentences()), false, weakDefault, any));
    loso("E sentences >= t, fixed weak set, any level", rows,
        threshold("sentences", r -> r.sentences(), true, weakDefault, any));
    loso("F first held at >= t, fixed weak set, any level", rows,
        threshold("firstAt", r -> r.firstAt(), true, weakDefault, any));
    loso("G sentences >= t, fixed weak set, patch", rows,
        threshold("sentences", r -> r.sentences(), true, weakDefault, patch));
    loso("H held share <= t, fixed weak set, patch", rows,
        threshold("share", r -> r.holding() / (double) Math.max(1, r.sentences()), false, weakDefault, patch));
    loso("I all held sentences under FIXES, any level", rows, train -> {
      int[] e = effect(train, Row::allFixes);
      System.out.println("      train " + e[0] + "/" + e[1]);
      return e[1] == 0 ? Row::allFixes : r -> false;
    });
    loso("J all held sentences under FIXES, patch", rows, train -> {
      Predicate<Row> p = r -> r.allFixes() && r.level() == Level.PATCH;
      int[] e = effect(train, p);
      System.out.println("      train " + e[0] + "/" + e[1]);
      return e[1] == 0 ? p : r -> false;
    });
  }
}
