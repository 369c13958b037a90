package warm.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which of the classifier's rules hold which dev items, per product (issue 14, leave one product out). A rule
 * whose right holds all come from one product while its wrong holds come from others fits that product's wording
 * rather than the policy. Reads the tuning splits ({@code real/dev}, {@code real/val} … {@code real/val13}) only:
 * the frozen test split and the unseen judges are never opened here.
 */
final class DevGeneralisationReport {
  /** How one dev item was decided, and by which rules. */
  record ItemRules(RealNotesEvaluationTest.Item item, boolean held, Set<String> lexicon, Set<String> sectionRules,
      List<String> quotes, boolean composed) {}

  /** Right and wrong holds of one rule, as products → item ids. */
  static final class RuleScore {
    final Map<String, Set<String>> right = new TreeMap<>();
    final Map<String, Set<String>> wrong = new TreeMap<>();
    final Set<String> alone = new TreeSet<>();

    int rightCount() {
      return right.values().stream().mapToInt(Set::size).sum();
    }

    int wrongCount() {
      return wrong.values().stream().mapToInt(Set::size).sum();
    }

    /** Right holds from one product only, wrong holds from another: the shape of overfitting. */
    boolean overfitShape() {
      return right.size() == 1 && wrong.keySet().stream().anyMatch(p -> !right.containsKey(p));
    }
  }

  private final List<ItemRules> items;

  private DevGeneralisationReport(List<ItemRules> items) {
    this.items = items;
  }

  /**
   * The splits a rule may be tuned on (val6 … val13 too since round 17, which made val12 and val13 tuning splits); the
   * frozen test split and the unseen judges val14 … val18 are not among them.
   */
  static final Set<String> TUNING_SPLITS = Set.of("dev", "val", "val2", "val3", "val4", "val5", "val6", "val7",
      "val8", "val9", "val10", "val11", "val12", "val13");

  /**
   * @param splits split directories ({@code real/dev}, {@code real/val} … {@code real/val11}), each read whole
   * @throws IllegalArgumentException for any directory that is not a tuning split (the frozen test split above all)
   */
  static DevGeneralisationReport of(Path... splits) throws IOException {
    for (Path split : splits) {
      if (!TUNING_SPLITS.contains(split.getFileName().toString())) {
        throw new IllegalArgumentException("the report reads the tuning splits " + new TreeSet<>(TUNING_SPLITS)
            + " only, not " + split);
      }
    }
    NoteClassifier classifier = new NoteClassifier(GatePolicy.defaults().context(), List.of());
    List<ItemRules> out = new ArrayList<>();
    for (Path split : splits) {
      read(split, classifier, out);
    }
    return new DevGeneralisationReport(out);
  }

  private static void read(Path split, NoteClassifier classifier, List<ItemRules> out) throws IOException {
    String name = split.getFileName().toString();
    List<Path> products;
    try (var s = Files.list(split)) {
      products = s.filter(Files::isDirectory).sorted().toList();
    }
    for (Path product : products) {
      List<Path> notes;
      try (var s = Files.list(product)) {
        notes = s.filter(p -> p.getFileName().toString().endsWith(".note")).sorted().toList();
      }
      for (Path f : notes) {
        RealNotesEvaluationTest.Item item = RealNotesEvaluationTest.parse(name, product.getFileName().toString(), f);
        Set<String> lexicon = new LinkedHashSet<>();
        Set<String> sections = new LinkedHashSet<>();
        List<String> quotes = new ArrayList<>();
        // the reading the gate decides by: the range's start (round 14) and the step tier (round 15)
        RecipeVersion from = RecipeVersion.parse(RealNotesEvaluationTest.from(item));
        RecipeVersion to = RecipeVersion.parse(RealNotesEvaluationTest.to(item));
        NoteClassifier.Verdict verdict = StepTier.apply(classifier.classify(item.note(), from),
            StepLevel.between(from, to), from + " → " + to);
        for (NoteClassifier.Classified c : verdict.holding()) {
          lexicon.add(lexiconRule(c));
          sections.add(c.section() + " × " + c.cls());
          quotes.add("[" + c.heading() + " | " + c.section() + "] " + c.cls() + " " + c.why() + ": " + c.quote());
        }
        boolean held = RealNotesEvaluationTest.decide(item).isHold();
        out.add(new ItemRules(item, held, lexicon, sections, quotes, composedAlone(item.note())));
      }
    }
  }

  /**
   * Whether the composition alone (rule 8 of docs/gate.md) would hold the note: one sentence outside documentation,
   * dependency, deprecation and internal sections whose effect × object × tense reading breaks a deployment that runs
   * the upstream's image. It measures how much of the decision a general reading carries without the phrase lists.
   */
  static boolean composedAlone(String note) {
    for (NoteParser.Unit u : NoteParser.parse(NoteText.of(note))) {
      SectionKind s = SectionKind.of(u.headings());
      if (u.kind() == NoteParser.UnitKind.CODE || s == SectionKind.DOCS || s == SectionKind.DEPENDENCIES
          || s == SectionKind.DEPRECATIONS || s == SectionKind.INTERNAL) {
        continue;
      }
      for (String sentence : u.sentences()) {
        if (EntryEffect.read(sentence).breaks(true)) {
          return true;
        }
      }
    }
    return false;
  }

  List<ItemRules> items() {
    return items;
  }

  /**
   * The rule that held a sentence: its class and the cue that matched (normalised: digits and long spans folded so
   * that one pattern family is one rule), or the structural rule when no cue words decided it.
   */
  static String lexiconRule(NoteClassifier.Classified c) {
    String why = c.why();
    if (why.startsWith("an instruction in a")) {
      return "REQUIREMENT: imperative in " + c.section() + (why.endsWith("warning") ? " warning" : " section");
    }
    if (c.cls() == NoteClassifier.SentenceClass.BREAKING_SECTION) {
      return "BREAKING_SECTION: any item";
    }
    if (why.startsWith("category marked")) {
      return "BREAKING: '!:' category";
    }
    int q = why.indexOf('\'');
    int end = why.indexOf('\'', q + 1);
    String cue = q >= 0 && end > q ? why.substring(q + 1, end) : why;
    cue = cue.toLowerCase(Locale.ROOT).replaceAll("\\d+", "#").replaceAll("\\s+", " ").strip();
    String[] words = cue.split(" ");
    if (words.length > 4) {
      cue = words[0] + " " + words[1] + " … " + words[words.length - 1];
    }
    return c.cls() + ": '" + cue + "'";
  }

  /** Per rule (lexicon or section rule), its right and wrong holds and the items it alone holds. */
  Map<String, RuleScore> scores(boolean lexicon) {
    Map<String, RuleScore> scores = new TreeMap<>();
    for (ItemRules r : items) {
      Set<String> rules = lexicon ? r.lexicon() : r.sectionRules();
      for (String rule : rules) {
        RuleScore s = scores.computeIfAbsent(rule, k -> new RuleScore());
        (r.item().hold() ? s.right : s.wrong).computeIfAbsent(r.item().product(), k -> new TreeSet<>())
            .add(r.item().version());
        if (rules.size() == 1) {
          s.alone.add(r.item().product() + "/" + r.item().version() + (r.item().hold() ? "" : " (wrong)"));
        }
      }
    }
    return scores;
  }

  /**
   * Per product: its held HOLD items, and those held only by cues that no other product's HOLD item uses. Had the
   * product been left out of tuning, those cues would not exist: a pessimistic estimate of recall on an unseen product.
   */
  Map<String, int[]> ownCueHolds(List<String> ownCueOnly) {
    Map<String, RuleScore> scores = scores(true);
    Map<String, int[]> out = new TreeMap<>();
    for (ItemRules r : items) {
      if (!r.item().hold()) {
        continue;
      }
      int[] counts = out.computeIfAbsent(r.item().product(), k -> new int[3]);
      counts[0]++;
      if (!r.held()) {
        continue;
      }
      counts[1]++;
      boolean shared = r.lexicon().stream().anyMatch(rule -> scores.get(rule).right.keySet().stream()
          .anyMatch(p -> !p.equals(r.item().product())));
      if (!shared) {
        counts[2]++;
        ownCueOnly.add(r.item().product() + "/" + r.item().version() + " " + r.lexicon());
      }
    }
    return out;
  }

  /** Per product (over every split read): HOLD, HOLD held, AUTO, AUTO held. */
  Map<String, int[]> perProduct() {
    Map<String, int[]> out = new TreeMap<>();
    for (ItemRules r : items) {
      int[] c = out.computeIfAbsent(r.item().product(), k -> new int[4]);
      int k = r.item().hold() ? 0 : 2;
      c[k]++;
      c[k + 1] += r.held() ? 1 : 0;
    }
    return out;
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("== per product (recall = HOLD held / HOLD; false holds = AUTO held / AUTO)\n");
    int[] sum = new int[4];
    perProduct().forEach((p, c) -> {
      b.append(String.format(Locale.ROOT, "  %-14s HOLD %3d held %3d recall %.3f  AUTO %3d held %3d false holds %.3f%n",
          p, c[0], c[1], c[0] == 0 ? 1 : c[1] / (double) c[0], c[2], c[3], c[2] == 0 ? 0 : c[3] / (double) c[2]));
      for (int k = 0; k < 4; k++) {
        sum[k] += c[k];
      }
    });
    b.append(String.format(Locale.ROOT, "  %-14s HOLD %3d held %3d recall %.3f  AUTO %3d held %3d false holds %.3f%n",
        "all", sum[0], sum[1], sum[1] / (double) sum[0], sum[2], sum[3], sum[3] / (double) sum[2]));
    long composedHold = items.stream().filter(r -> r.composed() && r.item().hold()).count();
    long composedAuto = items.stream().filter(r -> r.composed() && !r.item().hold()).count();
    b.append(String.format(Locale.ROOT, "== composition alone (effect × object × tense, no phrase list): HOLD %d of %d,"
        + " AUTO %d of %d%n", composedHold, sum[0], composedAuto, sum[2]));
    b.append("== held only by cues no other product's HOLD uses (product: HOLD items, held, of them own-cue only)\n");
    int[] all = new int[3];
    List<String> ownCueOnly = new ArrayList<>();
    ownCueHolds(ownCueOnly).forEach((p, c) -> {
      b.append(String.format(Locale.ROOT, "  %-12s HOLD %3d held %3d own-cue only %2d%n", p, c[0], c[1], c[2]));
      for (int k = 0; k < 3; k++) {
        all[k] += c[k];
      }
    });
    b.append(String.format(Locale.ROOT, "  all          HOLD %3d held %3d own-cue only %2d: recall without them %.3f%n",
        all[0], all[1], all[2], (all[1] - all[2]) / (double) all[0]));
    ownCueOnly.forEach(line -> b.append("    ").append(line).append('\n'));
    for (boolean lexicon : List.of(true, false)) {
      b.append(lexicon ? "== cue rules (class: cue)\n" : "== section rules (section × class)\n");
      scores(lexicon).forEach((rule, s) -> {
        b.append(String.format(Locale.ROOT, "%s%-60s right %3d %s  wrong %3d %s%n", s.overfitShape() ? "! " : "  ",
            rule, s.rightCount(), counts(s.right), s.wrongCount(), counts(s.wrong)));
        if (!s.alone.isEmpty()) {
          b.append("      alone holds: ").append(String.join(", ", s.alone)).append('\n');
        }
      });
    }
    b.append("== false holds: the sentences that hold\n");
    for (ItemRules r : items) {
      if (r.held() && !r.item().hold()) {
        b.append(r.item().product()).append('/').append(r.item().version()).append('\n');
        r.quotes().forEach(q -> b.append("    ").append(q).append('\n'));
      }
    }
    b.append("== decisions (product/version label held)\n");
    for (ItemRules r : items) {
      b.append(r.item().product()).append('\t').append(r.item().version()).append('\t')
          .append(r.item().hold() ? "HOLD" : "AUTO").append('\t').append(r.held() ? "held" : "auto").append('\n');
    }
    return b.toString();
  }

  private static String counts(Map<String, Set<String>> byProduct) {
    StringBuilder b = new StringBuilder("[");
    byProduct.forEach((p, v) -> b.append(b.length() > 1 ? " " : "").append(p).append(':').append(v.size()));
    return b.append(']').toString();
  }
}
