package warm.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Gate round 10: a learned combiner over the structural reading, judged by cross-validation on the tuning splits
 * only. Each sentence's features ({@link SentenceFeatures}) feed a logistic regression ({@link LogisticCombiner}); a
 * note holds when its highest sentence score passes a threshold. Labels per sentence: a HOLD item's sentences that
 * hold a piece its {@code why:} line quotes are positive, every sentence of an AUTO item is negative, the other
 * sentences of a HOLD item are unlabelled (left out, or weak negatives). Never reads a split outside
 * {@link #READABLE_SPLITS}.
 */
final class CombinerCrossValidation {
  /** The splits round 10's set-up was cross-validated on (its fixed configuration and threshold come from them). */
  static final List<String> TUNING_SPLITS = List.of("dev", "val", "val2", "val3", "val4", "val5", "val6");

  /**
   * The splits this tool may read: every tuning split (val10 and val11 since round 16, val12 and val13 since round
   * 17); the frozen test split and the unseen judges val14 … val18 are not among them.
   */
  static final List<String> READABLE_SPLITS = List.of("dev", "val", "val2", "val3", "val4", "val5", "val6", "val7",
      "val8", "val9", "val10", "val11", "val12", "val13");

  /** The unseen split the set-up fixed in round 10 is judged on, once (the frozen test split is not among them). */
  static final List<String> JUDGE_SPLITS = List.of("val8");

  /** The set-up round 10 fixed before val8 was read: no rules' classes, no word bag, unlabelled sentences left out. */
  static final Config FIXED = new Config("no-rules", false, 0, 1.0, false, false);

  /** Its threshold, fixed with it: leave one product out on the tuning splits, recall 0.95 there. */
  static final double FIXED_THRESHOLD = 0.0634;

  /**
   * Round 19: the splits a set-up and its threshold are selected on (the rules were last tuned on exactly these, in
   * round 16).
   */
  static final List<String> ROUND19_SELECTION_SPLITS = List.of("dev", "val", "val2", "val3", "val4", "val5", "val6",
      "val7", "val8", "val9", "val10", "val11");

  /** Round 19: the clean validation pair the set-up is chosen on (no rule was ever fitted to them). */
  static final List<String> ROUND19_VALIDATION_SPLITS = List.of("val12", "val13");

  /** Round 19: every tuning split, on which the chosen set-up is retrained and its threshold re-chosen. */
  static final List<String> ROUND19_TUNING_SPLITS = READABLE_SPLITS;

  /**
   * Round 19: the unseen judges of the fixed set-up, read by the lead's one judgement only
   * ({@code CombinerCrossValidationTest#judgeRound19OnUnseen}); never trained on.
   */
  static final List<String> ROUND19_JUDGE_SPLITS = List.of("val14", "val15", "val16", "val17", "val18", "test");

  /**
   * Round 19's grid, declared before any of its numbers was seen: the rules' reading on or off × the word bag on or
   * off × unlabelled sentences left out or weak negatives of weight 0.3; l2 = 1, unweighted. Its order breaks the last
   * tie of the selection rule ({@link CombinerSelection}).
   */
  static final List<Config> ROUND19_GRID = List.of(
      new Config("rules", false, 0, 1.0, false, true),
      new Config("rules+unl0.3", false, 0.3, 1.0, false, true),
      new Config("rules+words", true, 0, 1.0, false, true),
      new Config("rules+words+unl0.3", true, 0.3, 1.0, false, true),
      new Config("no-rules", false, 0, 1.0, false, false),
      new Config("no-rules+unl0.3", false, 0.3, 1.0, false, false),
      new Config("no-rules+words", true, 0, 1.0, false, false),
      new Config("no-rules+words+unl0.3", true, 0.3, 1.0, false, false));

  /**
   * The set-up round 19 chose on val12 + val13 (machine-docs/measurements/gate-history.md "Round 19"): the rules'
   * reading, the word bag, unlabelled sentences as weak negatives of weight 0.3 — in the form {@link #ROUND19_FORM}.
   */
  static final Config ROUND19_FIXED = ROUND19_GRID.get(3);

  /** Its decision form: the rules hold a note, or the model does. */
  static final CombinerSelection.Form ROUND19_FORM = CombinerSelection.Form.RULES_OR_MODEL;

  /**
   * Its threshold, re-chosen by leave one split out on the 14 tuning splits (the best pooled recall at pooled false
   * holds ≤ 0.20 there), written at full precision: {@code reportRound19} checks it against a fresh computation.
   */
  static final double ROUND19_THRESHOLD = 0.3004000583299694;

  /** The pooled false-hold bound of issue 14's goal (the "rules OR model" threshold and the selection keep to it). */
  static final double MAX_FALSE_HOLDS = 0.20;

  /** Recall the threshold is chosen for (issue 14's goal). */
  static final double TARGET_RECALL = 0.95;

  /**
   * One training set-up.
   *
   * @param name its name in the report
   * @param words with the bag of general words
   * @param unlabelledWeight the weight of a HOLD item's unlabelled sentence as a negative; 0 leaves it out
   * @param l2 the penalty
   * @param balanced positives weighted to the negatives' total
   * @param rules with the rules' own reading (sentence class, whether a rule held it): without it, the model learns
   *     from the structure, the effect reading and the cues alone
   */
  record Config(String name, boolean words, double unlabelledWeight, double l2, boolean balanced, boolean rules) {
    Config(String name, boolean words, double unlabelledWeight, double l2, boolean balanced) {
      this(name, words, unlabelledWeight, l2, balanced, true);
    }

    String key() {
      return words + "/" + rules;
    }
  }

  /** The features a model of the rules' own reading has: the sentence class and the rules' decision. */
  static boolean fromRules(String feature) {
    return feature.startsWith("cls=") || feature.startsWith("holds") || feature.startsWith("rule:");
  }

  /** One labelled note and its sentences' features. */
  record Note(RealNotesEvaluationTest.Item item, List<int[]> features, int[] labels, boolean ruleHeld,
      boolean unreadable) {
    String product() {
      return item.split() + "/" + item.product();
    }
  }

  private final Map<String, List<Note>> variants;
  private final List<String> featureNames;

  private CombinerCrossValidation(Map<String, List<Note>> variants, List<String> featureNames) {
    this.variants = variants;
    this.featureNames = featureNames;
  }

  List<String> featureNames() {
    return featureNames;
  }

  /** The notes with the features the set-up uses. */
  List<Note> notes(Config config) {
    return variants.get(config.key());
  }

  /**
   * @param real the {@code real/} directory
   * @param splits the splits to read, each one of {@link #READABLE_SPLITS}
   */
  static CombinerCrossValidation load(Path real, List<String> splits) throws IOException {
    splits.forEach(CombinerCrossValidation::requireReadable);
    return read(real, splits);
  }

  /** @throws IllegalArgumentException when {@code split} is not a tuning split (the unseen judges, the frozen split) */
  static void requireReadable(String split) {
    if (!READABLE_SPLITS.contains(split)) {
      throw new IllegalArgumentException("the combiner reads the tuning splits " + READABLE_SPLITS + " only, not "
          + split);
    }
  }

  /**
   * The tuning splits and one unseen judge, for the one judgement round 10 fixed in advance (DECISIONS, "Gate round
   * 10"): a model trained on the tuning splits alone scores the judge's notes; nothing is chosen on them.
   *
   * @param judge one of {@link #JUDGE_SPLITS}
   */
  static CombinerCrossValidation loadWithJudge(Path real, String judge) throws IOException {
    if (!JUDGE_SPLITS.contains(judge)) {
      throw new IllegalArgumentException("the combiner is judged on " + JUDGE_SPLITS + " only, not " + judge);
    }
    List<String> splits = new ArrayList<>(TUNING_SPLITS);
    splits.add(judge);
    return read(real, splits);
  }

  private static CombinerCrossValidation read(Path real, List<String> splits) throws IOException {
    List<RealNotesEvaluationTest.Item> items = RealNotesEvaluationTest.load(real, splits);
    NoteClassifier classifier = new NoteClassifier(GatePolicy.defaults().context(), List.of());
    List<List<SentenceFeatures.Sentence>> read = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (RealNotesEvaluationTest.Item item : items) {
      List<SentenceFeatures.Sentence> s = SentenceFeatures.of(item.note(), classifier, true);
      s.forEach(x -> names.addAll(x.features()));
      read.add(s);
    }
    List<String> featureNames = new ArrayList<>();
    featureNames.add("bias");
    names.stream().filter(n -> !n.equals("bias")).forEach(featureNames::add);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int k = 0; k < featureNames.size(); k++) {
      index.put(featureNames.get(k), k);
    }
    Map<String, List<Note>> variants = new LinkedHashMap<>();
    for (int k = 0; k < items.size(); k++) {
      RealNotesEvaluationTest.Item item = items.get(k);
      List<SentenceFeatures.Sentence> sentences = read.get(k);
      List<String> quotes = SentenceFeatures.quotes(item.why());
      int[] labels = new int[sentences.size()];
      boolean ruleHeld = false;
      for (int j = 0; j < sentences.size(); j++) {
        SentenceFeatures.Sentence s = sentences.get(j);
        ruleHeld |= s.ruleHolds();
        labels[j] = !item.hold() ? 0 : SentenceFeatures.quoted(s.text(), quotes) ? 1 : -1;
      }
      boolean unreadable = classifier.classify(item.note()).unreadable() != null;
      for (boolean words : new boolean[] {false, true}) {
        for (boolean rules : new boolean[] {false, true}) {
          List<int[]> features = new ArrayList<>();
          for (SentenceFeatures.Sentence s : sentences) {
            features.add(s.features().stream().filter(n -> words || !n.startsWith("w:"))
                .filter(n -> rules || !fromRules(n)).mapToInt(index::get).toArray());
          }
          variants.computeIfAbsent(words + "/" + rules, x -> new ArrayList<>())
              .add(new Note(item, features, labels, ruleHeld || unreadable, unreadable));
        }
      }
    }
    return new CombinerCrossValidation(variants, featureNames);
  }

  /**
   * The weights trained on the notes of the given splits only.
   *
   * @throws IllegalArgumentException when a split is not a tuning split: the unseen judges are never trained on
   */
  double[] trainOn(Config config, List<String> splits) {
    splits.forEach(CombinerCrossValidation::requireReadable);
    return train(config, n -> splits.contains(n.item().split()));
  }

  /**
   * Round 19's one judgement: the 14 tuning splits (training) and the unseen judges (scored, never trained on). Only
   * {@code CombinerCrossValidationTest#judgeRound19OnUnseen} calls it, once, run by the lead.
   */
  static CombinerCrossValidation loadForRound19Judge(Path real) throws IOException {
    List<String> splits = new ArrayList<>(ROUND19_TUNING_SPLITS);
    splits.addAll(ROUND19_JUDGE_SPLITS);
    return read(real, splits);
  }

  /** Round 19's fixed model: {@link #ROUND19_FIXED} trained on the 14 tuning splits, never on a judge. */
  double[] round19Weights() {
    return trainOn(ROUND19_FIXED, ROUND19_TUNING_SPLITS);
  }

  /** Counts of one judgement, per split, per "split/product" and pooled ("all"), for three decisions. */
  record Judged(Map<String, Counts> rules, Map<String, Counts> model, Map<String, Counts> rulesOrModel) {}

  /**
   * Round 19's judgement: the notes of {@link #ROUND19_JUDGE_SPLITS} (only those; the tuning notes are not scored)
   * under the rules, the fixed model alone and "rules OR model", both at {@link #ROUND19_THRESHOLD}.
   *
   * @param w the weights of {@link #round19Weights()}
   */
  Judged judgeRound19(double[] w) {
    Map<Note, Double> scores = new LinkedHashMap<>();
    for (Note n : notes(ROUND19_FIXED)) {
      if (ROUND19_JUDGE_SPLITS.contains(n.item().split())) {
        scores.put(n, score(w, n));
      }
    }
    Function<Note, List<String>> keys = n -> List.of(n.item().split(), n.item().split() + "/" + n.item().product(),
        "all");
    double t = ROUND19_THRESHOLD;
    return new Judged(judgeBy(scores, e -> e.getKey().ruleHeld(), keys),
        judgeBy(scores, e -> CombinerSelection.Form.MODEL.holds(e.getKey(), e.getValue(), t), keys),
        judgeBy(scores, e -> ROUND19_FORM.holds(e.getKey(), e.getValue(), t), keys));
  }

  /** The weights trained on the notes the filter keeps. */
  double[] train(Config config, Predicate<Note> keep) {
    List<Note> notes = notes(config).stream().filter(keep).toList();
    double positives = 0;
    double negatives = 0;
    for (Note n : notes) {
      for (int l : n.labels()) {
        positives += l == 1 ? 1 : 0;
        negatives += l == 0 ? 1 : l == -1 ? config.unlabelledWeight() : 0;
      }
    }
    double wp = config.balanced() && positives > 0 ? negatives / positives : 1;
    List<LogisticCombiner.Row> rows = new ArrayList<>();
    for (Note n : notes) {
      for (int j = 0; j < n.labels().length; j++) {
        int l = n.labels()[j];
        if (l == 1) {
          rows.add(new LogisticCombiner.Row(n.features().get(j), true, wp));
        } else if (l == 0) {
          rows.add(new LogisticCombiner.Row(n.features().get(j), false, 1));
        } else if (config.unlabelledWeight() > 0) {
          rows.add(new LogisticCombiner.Row(n.features().get(j), false, config.unlabelledWeight()));
        }
      }
    }
    return LogisticCombiner.train(rows, featureNames.size(), config.l2());
  }

  /** A note's score: its highest sentence's; an unreadable note scores 1 (it holds, fail safe), an empty one 0. */
  static double score(double[] w, Note n) {
    if (n.unreadable()) {
      return 1;
    }
    double best = 0;
    for (int[] f : n.features()) {
      best = Math.max(best, LogisticCombiner.score(w, f));
    }
    return best;
  }

  /** Scores of every note, each from a model that did not see its group (leave one group out). */
  Map<Note, Double> outOfFold(Config config, Function<Note, String> group, Predicate<Note> within) {
    Map<Note, Double> out = new LinkedHashMap<>();
    List<String> groups = notes(config).stream().filter(within).map(group).distinct().sorted().toList();
    for (String g : groups) {
      double[] w = train(config, n -> within.test(n) && !group.apply(n).equals(g));
      for (Note n : notes(config)) {
        if (within.test(n) && group.apply(n).equals(g)) {
          out.put(n, score(w, n));
        }
      }
    }
    return out;
  }

  /** The highest threshold at which at least {@code recall} of the HOLD notes score at or above it. */
  static double thresholdFor(Map<Note, Double> scores, double recall) {
    double[] holds = scores.entrySet().stream().filter(e -> e.getKey().item().hold()).mapToDouble(Map.Entry::getValue)
        .sorted().toArray();
    if (holds.length == 0) {
      return 0.5;
    }
    int need = (int) Math.ceil(recall * holds.length - 1e-9);
    return holds[holds.length - need];
  }

  /** Counts: HOLD held, HOLD, AUTO held, AUTO. */
  record Counts(int tp, int holds, int fp, int autos) {
    double recall() {
      return holds == 0 ? 1 : tp / (double) holds;
    }

    double falseHolds() {
      return autos == 0 ? 0 : fp / (double) autos;
    }

    String cell() {
      return String.format(Locale.ROOT, "%.3f/%.3f", recall(), falseHolds());
    }

    /** The cell with its counts: recall (held of HOLD) / false holds (held of AUTO). */
    String counted() {
      return String.format(Locale.ROOT, "%.3f (%d/%d) / %.3f (%d/%d)", recall(), tp, holds, falseHolds(), fp, autos);
    }
  }

  /** Per split and pooled ("all"), what the decision held. */
  static Map<String, Counts> judge(Map<Note, Double> scores, Predicate<Map.Entry<Note, Double>> held) {
    return judgeBy(scores, held, n -> List.of(n.item().split(), "all"));
  }

  /** What the decision held, counted under every key a note has. */
  static Map<String, Counts> judgeBy(Map<Note, Double> scores, Predicate<Map.Entry<Note, Double>> held,
      Function<Note, List<String>> keys) {
    Map<String, int[]> c = new TreeMap<>();
    for (Map.Entry<Note, Double> e : scores.entrySet()) {
      boolean h = held.test(e);
      boolean hold = e.getKey().item().hold();
      for (String k : keys.apply(e.getKey())) {
        int[] x = c.computeIfAbsent(k, z -> new int[4]);
        x[0] += hold && h ? 1 : 0;
        x[1] += hold ? 1 : 0;
        x[2] += !hold && h ? 1 : 0;
        x[3] += !hold ? 1 : 0;
      }
    }
    Map<String, Counts> out = new LinkedHashMap<>();
    c.forEach((k, x) -> out.put(k, new Counts(x[0], x[1], x[2], x[3])));
    return out;
  }

  /** The best pooled recall at pooled false holds of at most {@code maxFalse}, and its threshold. */
  static double[] bestRecallAt(Map<Note, Double> scores, double maxFalse, boolean orRules) {
    double[] ts = scores.values().stream().mapToDouble(Double::doubleValue).distinct().sorted().toArray();
    double[] best = {-1, 2};
    for (double t : ts) {
      Counts all = judge(scores, e -> (orRules && e.getKey().ruleHeld()) || e.getValue() >= t).get("all");
      if (all.falseHolds() <= maxFalse && all.recall() > best[0]) {
        best[0] = all.recall();
        best[1] = t;
      }
    }
    return best;
  }

  /** How many HOLD notes have at least one positive sentence (the rest train nothing). */
  String labelCoverage() {
    int holds = 0;
    int covered = 0;
    int positives = 0;
    int negatives = 0;
    int unlabelled = 0;
    for (Note n : variants.get("false/true")) {
      holds += n.item().hold() ? 1 : 0;
      covered += Arrays.stream(n.labels()).anyMatch(l -> l == 1) ? 1 : 0;
      for (int l : n.labels()) {
        positives += l == 1 ? 1 : 0;
        negatives += l == 0 ? 1 : 0;
        unlabelled += l == -1 ? 1 : 0;
      }
    }
    return String.format(Locale.ROOT, "notes %d, HOLD %d of which %d with a quoted sentence; sentences: %d positive,"
        + " %d negative, %d unlabelled; features %d", variants.get("false/true").size(), holds, covered, positives, negatives,
        unlabelled, featureNames.size());
  }
}
