package warm.gate;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Round 18's survey (issue 14), a report run on demand ({@code -Dwarm.gate.survey=falseholds}), not a guard: on the
 * twelve tuning splits only ({@link MissSurveyTest#TUNING}), every false hold of the gate as it decided before round
 * 18 (the classifier without {@link NoStepReading}), with its deciding sentences (class, section, heading, step level,
 * the words that decided it); a leave-one-split-out estimate for each candidate release, applied in a fold only when
 * on the eleven training splits it releases a false hold and loses no HOLD, then to the twelfth; the kept readings'
 * effect per split, before and after; and the false holds left, grouped by their deciding evidence.
 */
class FalseHoldSurveyTest {
  static List<NoteClassifier.Classified> holding(MissSurveyTest.Row r) {
    return r.sentences().stream().filter(NoteClassifier.Classified::holds).toList();
  }


  private static final int F = Pattern.CASE_INSENSITIVE;

  /** A candidate release: a reading that releases one holding sentence. */
  record Candidate(String name, Predicate<NoteClassifier.Classified> releases) {
    /** The item is released when every holding sentence is. */
    boolean releasesItem(MissSurveyTest.Row r) {
      List<NoteClassifier.Classified> h = holding(r);
      return r.held() && !h.isEmpty() && h.stream().allMatch(releases);
    }
  }

  static final Pattern HEDGE = Pattern.compile("\\b(?:you )?(?:might|may|could) (?:want|wish|like) to\\b"
      + "|\\bconsider(?:ing)?\\b|\\bif you(?:'ve| have)? relied on\\b|\\b(?:may|might) (?:need|have) to\\b"
      + "|\\byou (?:don't|do not|won't|will not) (?:need|have) to\\b", F);
  static final Pattern STRONG = Pattern.compile("\\bmust\\b|\\bmandatory\\b|\\brequired\\b|\\bbreak|"
      + "\\bwill (?:not|no longer) (?:work|start)\\b|\\bfail", F);
  static final Pattern PROJECT = Pattern.compile("\\b(?:continuous integration|ci|pull requests?|github actions|"
      + "gitea actions|drone|bin/dev|test suite|unit tests?|(?:the )?(?:repository|repo)|to build|build (?:system|"
      + "toolchain|dependency|dependencies)|cmake|compil\\w+|linking|the project)\\b", F);
  static final Pattern RUNTIME = Pattern.compile("\\b(?:node(?:\\.?js)?|go|golang|php|python|ruby|java|jdk|jre|"
      + "rust|erlang|elixir|libknot|jemalloc)\\s*v?(?:\\d|go)", F);
  static final Pattern VERSION = Pattern.compile("\\b(?:v)?(\\d+\\.\\d+(?:\\.\\d+)?)\\b", F);
  static final Pattern UPGRADE_BOILER = Pattern.compile("^(?:please )?(?:follow|see|check|read) (?:the )?(?:\\w+ )?"
      + "(?:(?:or|and) \\w+ )?(?:upgrade|update|upgrading|updating)? ?(?:instructions|docs|documentation|guide)", F);
  static final Pattern ROLLBACK = Pattern.compile("^(?:to|if you (?:want|need) to) (?:roll ?back|downgrade|revert)", F);

  static final Pattern ADVICE = Pattern.compile("\\b(?:might|may|could) (?:want|wish|like) to\\b"
      + "|\\bconsider(?:ing)?\\b|\\bif you(?:'ve| have)? relied on\\b|\\b(?:may|might) (?:need|have) to\\b", F);
  static final Pattern ADVICE4 = Pattern.compile("\\b(?:might|may|could) (?:want|wish|like) to\\b"
      + "|\\bconsider(?:ing)?\\b|\\bif you(?:'ve| have)? relied on\\b", F);
  static final Pattern OPERATOR = Pattern.compile("\\b(?:you|your|operators?|admins?|administrators?)\\b", F);
  static final Pattern RUNTIME_VERSION = Pattern.compile("\\b(?:node(?:\\.?js)?|go|golang|php|python|ruby|java|rust)"
      + "(?:\\s+v?\\d|(?<=go)\\d)", F);
  static final Pattern RUNTIME_VERB = Pattern.compile("\\b(?:drop\\w*|requires?|required|bump\\w*|support\\w*|minimum"
      + "|upgraded?)\\b", F);
  static final Pattern FURTHER_STEP = Pattern.compile("\\byour?\\b|\\bto (?:replace|change|update|edit|add|remove"
      + "|set|configure|migrate|run|adjust)\\b", F);

  static final Pattern PROJECT_WORK = Pattern.compile("\\b(?:continuous integration|ci|pull requests?"
      + "|github actions|gitea actions|drone|test suite|unit tests?|bin/dev|dev(?:elopment)? (?:server|environment"
      + "|script))\\b", F);
  static final Pattern BUILD = Pattern.compile("\\b(?:to build|build (?:system|toolchain|dependency"
      + "|dependencies)|cmake|compil\\w+|linking)\\b", F);
  static final Pattern BOILERPLATE = Pattern.compile("^(?:please )?(?:follow|see|check|read) (?:the )?"
      + "(?:\\w+ )?(?:(?:or|and) \\w+ )?(?:upgrade|update|upgrading|updating)? ?(?:instructions|docs|documentation)\\b",
      F);
  static final Pattern FURTHER_STEP3 = Pattern.compile("\\byour?\\b|\\bto (?:replace|change|update|edit|add"
      + "|remove|set|configure|migrate|run|adjust)\\b|\\bmigrat|\\bmanual", F);

  static boolean bu(NoteClassifier.Classified c) {
    return c.section() == SectionKind.BREAKING || c.section() == SectionKind.UPGRADE;
  }

  static boolean holdingClass(NoteClassifier.Classified c, NoteClassifier.SentenceClass... cs) {
    return List.of(cs).contains(c.cls());
  }

  static List<Candidate> candidates() {
    return List.of(
        new Candidate("H hedged advice (might want to, consider, if you relied on, may need to, you don't need to),"
            + " no obligation word, a requirement", c -> c.cls() == NoteClassifier.SentenceClass.REQUIREMENT
            && HEDGE.matcher(c.text()).find() && !STRONG.matcher(c.text()).find()),
        new Candidate("H' hedged advice, any holding class", c -> HEDGE.matcher(c.text()).find()
            && !STRONG.matcher(c.text()).find()),
        new Candidate("P the subject is the project, repository, CI, tests or build (behaviour change, removal,"
            + " requirement)", c -> holdingClass(c, NoteClassifier.SentenceClass.BEHAVIOUR_CHANGE,
            NoteClassifier.SentenceClass.REMOVAL, NoteClassifier.SentenceClass.REQUIREMENT,
            NoteClassifier.SentenceClass.BREAKING_SECTION) && PROJECT.matcher(c.text()).find()),
        new Candidate("R a runtime or build library the image carries (Node, Go, PHP, Python …) with a version",
            c -> holdingClass(c, NoteClassifier.SentenceClass.REMOVAL, NoteClassifier.SentenceClass.REQUIREMENT,
            NoteClassifier.SentenceClass.BREAKING_SECTION) && RUNTIME.matcher(c.text()).find()),
        new Candidate("U upgrade boilerplate: follow/see/check the upgrade instructions or docs",
            c -> c.cls() == NoteClassifier.SentenceClass.REQUIREMENT && UPGRADE_BOILER.matcher(c.text().strip())
            .lookingAt()),
        new Candidate("H2 advice (might want to, consider, if you relied on, may need to) in a requirement outside a"
            + " breaking or upgrade section, no obligation word", c -> c.cls() == NoteClassifier.SentenceClass
            .REQUIREMENT && !bu(c) && ADVICE.matcher(c.text()).find() && !STRONG.matcher(c.text()).find()),
        new Candidate("H4 H2 without 'may / might need to' (round 12 holds hedged advice on the deployment's own"
            + " setting)", c -> c.cls() == NoteClassifier.SentenceClass.REQUIREMENT && !bu(c)
            && ADVICE4.matcher(c.text()).find() && !STRONG.matcher(c.text()).find()),
        new Candidate("P2 the subject is the project, repository, CI, tests or build, and no word addresses the"
            + " operator", c -> holdingClass(c, NoteClassifier.SentenceClass.BEHAVIOUR_CHANGE,
            NoteClassifier.SentenceClass.REMOVAL, NoteClassifier.SentenceClass.REQUIREMENT,
            NoteClassifier.SentenceClass.BREAKING_SECTION) && PROJECT.matcher(c.text()).find()
            && !OPERATOR.matcher(c.text()).find()),
        new Candidate("P3 (kept) P2 without 'repository' and 'the project', with the development script and no"
            + " obligation word", c -> holdingClass(c, NoteClassifier.SentenceClass.BEHAVIOUR_CHANGE,
            NoteClassifier.SentenceClass.REMOVAL, NoteClassifier.SentenceClass.REQUIREMENT,
            NoteClassifier.SentenceClass.BREAKING_SECTION) && (PROJECT_WORK.matcher(c.text()).find()
            || BUILD.matcher(c.text()).find()) && !OPERATOR.matcher(c.text()).find()
            && !STRONG.matcher(c.text()).find()),
        new Candidate("R2 a language runtime with its version and a drop/require/bump verb, no word addressing the"
            + " operator", c -> holdingClass(c, NoteClassifier.SentenceClass.REMOVAL,
            NoteClassifier.SentenceClass.REQUIREMENT, NoteClassifier.SentenceClass.BREAKING_SECTION)
            && RUNTIME_VERSION.matcher(c.text()).find() && RUNTIME_VERB.matcher(c.text()).find()
            && !OPERATOR.matcher(c.text()).find()),
        new Candidate("U2 upgrade boilerplate alone: follow/see/check the upgrade instructions or docs, no further"
            + " step", c -> c.cls() == NoteClassifier.SentenceClass.REQUIREMENT && UPGRADE_BOILER.matcher(c.text()
            .strip()).lookingAt() && !FURTHER_STEP.matcher(c.text()).find()),
        new Candidate("U3 (kept) U2 without 'guide', a migration or manual step kept holding, no obligation word",
            c -> c.cls() == NoteClassifier.SentenceClass.REQUIREMENT && BOILERPLATE.matcher(c.text().strip())
            .lookingAt() && !FURTHER_STEP3.matcher(c.text()).find() && !STRONG.matcher(c.text()).find()),
        new Candidate("B a breaking sentence that names a release other than the note's",
            c -> false));
  }

  /** Candidate B needs the item's version; the others read the sentence alone. */
  static boolean otherRelease(MissSurveyTest.Row r, NoteClassifier.Classified c) {
    if (c.cls() != NoteClassifier.SentenceClass.BREAKING) {
      return false;
    }
    java.util.regex.Matcher m = VERSION.matcher(c.text());
    String own = r.item().version().replaceFirst("^v", "");
    boolean named = false;
    while (m.find()) {
      if (own.startsWith(m.group(1)) || m.group(1).startsWith(own)) {
        return false;
      }
      named = true;
    }
    return named;
  }

  static Predicate<MissSurveyTest.Row> releases(Candidate k) {
    if (k.name().startsWith("B ")) {
      return r -> r.held() && !holding(r).isEmpty() && holding(r).stream().allMatch(c -> otherRelease(r, c));
    }
    return k::releasesItem;
  }

  /** {false holds released, HOLDs lost}. */
  static int[] effect(List<MissSurveyTest.Row> rows, Predicate<MissSurveyTest.Row> release) {
    int cut = 0;
    int lost = 0;
    for (MissSurveyTest.Row r : rows) {
      if (r.held() && release.test(r)) {
        if (r.item().hold()) {
          lost++;
        } else {
          cut++;
        }
      }
    }
    return new int[] {cut, lost};
  }

  /** Kept in a fold when on the training splits it releases a false hold and loses no HOLD. */
  static int[] loso(String name, List<MissSurveyTest.Row> rows, Predicate<MissSurveyTest.Row> release) {
    System.out.println("LOSO " + name);
    int[] all = effect(rows, release);
    System.out.println("  all twelve splits: false holds released " + all[0] + ", HOLDs lost " + all[1]);
    for (MissSurveyTest.Row r : rows) {
      if (r.held() && release.test(r)) {
        System.out.println("    " + (r.item().hold() ? "LOST " : "released ") + r.item().id());
        if (r.item().hold()) {
          System.out.println("        why=" + MissSurveyTest.cut(r.item().why(), 200));
          holding(r).forEach(c -> System.out.println("        " + c.cls() + "@" + c.section() + " "
              + MissSurveyTest.cut(c.text(), 240)));
        }
      }
    }
    int sumCut = 0;
    int sumLost = 0;
    for (String out : MissSurveyTest.TUNING) {
      List<MissSurveyTest.Row> train = rows.stream().filter(r -> !r.item().split().equals(out)).toList();
      List<MissSurveyTest.Row> test = rows.stream().filter(r -> r.item().split().equals(out)).toList();
      int[] tr = effect(train, release);
      boolean keep = tr[0] >= 1 && tr[1] == 0;
      int[] te = keep ? effect(test, release) : new int[2];
      System.out.printf(Locale.ROOT, "  %-5s train released %2d lost %d%s | held-out released %d lost %d%n", out,
          tr[0], tr[1], keep ? "" : " (rejected)", te[0], te[1]);
      sumCut += te[0];
      sumLost += te[1];
    }
    System.out.printf(Locale.ROOT, "  SUM held-out false holds released %d, HOLDs lost %d -> %s%n", sumCut, sumLost,
        sumLost == 0 && sumCut >= 3 ? "KEEP" : "record");
    return new int[] {sumCut, sumLost};
  }

  /**
   * The tuning splits' items as the gate decides them, with round 18's readings ({@code true}, today) or without them
   * (the classifier the candidates were estimated against).
   */
  static List<MissSurveyTest.Row> rows(boolean round18) throws IOException, URISyntaxException {
    java.nio.file.Path real = java.nio.file.Path.of(FalseHoldSurveyTest.class.getResource("real").toURI());
    NoteClassifier today = new NoteClassifier(GatePolicy.defaults().context(), GatePolicy.defaults().extraMarkers());
    NoteClassifier classifier = round18 ? today : today.withoutNoStepReadings();
    List<MissSurveyTest.Row> rows = new ArrayList<>();
    for (RealNotesEvaluationTest.Item item : RealNotesEvaluationTest.load(real, MissSurveyTest.TUNING)) {
      RecipeVersion from = RecipeVersion.parse(RealNotesEvaluationTest.from(item));
      StepLevel level = RecipeVersion.tryParse(RealNotesEvaluationTest.to(item))
          .map(t -> StepLevel.between(from, t)).orElse(StepLevel.UNKNOWN);
      NoteClassifier.Verdict v = StepTier.apply(classifier.classify(item.note(), from), level, "survey");
      boolean held = v.unreadable() != null || !v.holding().isEmpty();
      rows.add(new MissSurveyTest.Row(item, level, held, java.util.Set.of(), v.sentences()));
    }
    return rows;
  }

  @Test
  void report() throws IOException, URISyntaxException {
    Assumptions.assumeTrue("falseholds".equals(System.getProperty("warm.gate.survey")),
        "-Dwarm.gate.survey=falseholds");
    List<MissSurveyTest.Row> rows = rows(false);
    List<MissSurveyTest.Row> now = rows(true);
    int auto = 0;
    int fh = 0;
    for (MissSurveyTest.Row r : rows) {
      if (!r.item().hold()) {
        auto++;
        if (r.held()) {
          fh++;
        }
      }
    }
    System.out.printf(Locale.ROOT, "FALSE HOLDS %d of %d AUTO%n", fh, auto);
    for (MissSurveyTest.Row r : rows) {
      if (r.held() && !r.item().hold()) {
        System.out.printf(Locale.ROOT, "  FH %s %s why=%s%n", r.item().id(), r.level(),
            MissSurveyTest.cut(r.item().why(), 200));
        for (NoteClassifier.Classified c : holding(r)) {
          System.out.printf(Locale.ROOT, "      %s@%s {%s} [%s] %s%n", c.cls(), c.section(),
              MissSurveyTest.cut(c.heading(), 40), MissSurveyTest.cut(c.why(), 60), MissSurveyTest.cut(c.text(), 220));
        }
      }
    }
    for (Candidate k : candidates()) {
      loso(k.name(), rows, releases(k));
    }

    // the kept readings (NoStepReading) as the gate applies them: before and after, per split
    int mismatch = 0;
    for (MissSurveyTest.Row r : now) {
      mismatch += r.held() != RealNotesEvaluationTest.decide(r.item()).isHold() ? 1 : 0;
    }
    System.out.println("AFTER ROUND 18 (the survey's rows agree with the gate's decisions: " + (mismatch == 0)
        + ")");
    Map<String, int[]> per = new TreeMap<>();
    for (int k = 0; k < rows.size(); k++) {
      MissSurveyTest.Row before = rows.get(k);
      MissSurveyTest.Row after = now.get(k);
      int[] c = per.computeIfAbsent(before.item().split(), x -> new int[6]);
      if (before.item().hold()) {
        c[0]++;
        c[1] += before.held() ? 1 : 0;
        c[2] += after.held() ? 1 : 0;
      } else {
        c[3]++;
        c[4] += before.held() ? 1 : 0;
        c[5] += after.held() ? 1 : 0;
      }
      if (before.held() != after.held()) {
        System.out.println("  " + (before.item().hold() ? "HOLD LOST " : "released ") + before.item().id());
        holding(before).forEach(c2 -> System.out.println("      " + c2.cls() + "@" + c2.section() + " "
            + MissSurveyTest.cut(c2.text(), 160)));
      }
    }
    int[] sum = new int[6];
    String line = "  %-5s HOLD %3d held %3d -> %3d | AUTO %3d false holds %3d -> %3d (%.3f -> %.3f)%n";
    per.forEach((split, c) -> {
      System.out.printf(Locale.ROOT, line, split, c[0], c[1], c[2], c[3], c[4], c[5], c[4] / (double) c[3],
          c[5] / (double) c[3]);
      for (int j = 0; j < 6; j++) {
        sum[j] += c[j];
      }
    });
    System.out.printf(Locale.ROOT, line, "ALL", sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[4] / (double) sum[3], sum[5] / (double) sum[3]);
    // the false holds grouped by their deciding evidence (class and section group of the holding sentences)
    Map<String, Integer> kinds = new TreeMap<>();
    for (MissSurveyTest.Row r : now) {
      if (r.held() && !r.item().hold()) {
        java.util.Set<String> ks = new java.util.TreeSet<>();
        holding(r).forEach(c2 -> ks.add(c2.cls() + "@" + MissSurveyTest.group(c2.section())));
        kinds.merge(String.join(" + ", ks), 1, Integer::sum);
      }
    }
    System.out.println("FALSE HOLDS LEFT BY DECIDING EVIDENCE");
    kinds.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %3d %s%n", e.getValue(), e.getKey()));
  }
}
