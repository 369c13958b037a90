package warm.gate;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Round 17's survey (issue 14), a report run on demand ({@code -Dwarm.gate.survey=artifacts}), not a guard: what a
 * sentence does to a deployment's configuration. A sentence that names a deployment-facing artifact (a backticked
 * key, flag, path or image, an upper-case environment variable, a {@code --flag}, a system path, "the X option") and
 * says something happens to it (renamed, removed, now required, default changed, now refused) is read on the items the
 * gate lets through; each variant is estimated leave-one-split-out over the tuning splits ({@link MissSurveyTest#loso})
 * with the same acceptance as round 16's fixed readings (a fold applies it only when its training gain is at least
 * twice its training cost plus one).
 */
class ArtifactChangeSurveyTest {
  /** What happens to the artifact. */
  enum Change {
    RENAME, REMOVAL, REQUIRED, DEFAULT, REFUSED
  }

  /** One artifact mention with one change predicate, as the survey reads it. */
  record Reading(String artifact, Change change) {}

  private static final int F = Pattern.CASE_INSENSITIVE;
  // A backticked span that looks like configuration (a key, a flag, a path, an image, an env name), not prose.
  private static final String CODE = "`(?:--?[a-z][\\w.-]*|[\\w.-]*[_./:=][\\w./:=-]*|[A-Z][A-Z0-9]*_[A-Z0-9_]+"
      + "|[a-z][\\w-]{1,40})`";
  private static final String ENV = "\\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\\b";
  private static final String FLAG = "(?<![\\w-])--[a-z][\\w-]{1,40}";
  private static final String PATH = "(?<![\\w.<])/(?:etc|var|usr|opt|data|config|srv|run|app|home)(?:/[\\w.-]+)*";
  private static final String IMAGE = "\\b[a-z0-9][\\w.-]*/[a-z0-9][\\w.-]*:[\\w.-]+\\b";
  private static final String KEY = "\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b|\\b[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9_-]*)+"
      + "(?:::\\S+)?\\b|\\b[a-z][\\w-]*::[\\w-]+\\b";
  private static final String NOUN = "\\b(?:(?:configuration|config|environment|env) )?(?:option|setting|variable"
      + "|flag|parameter|directive|config key|configuration key|env var|command[- ]line|endpoint|image|port)s?\\b";
  private static final Pattern ARTIFACT = Pattern.compile(String.join("|", CODE, ENV, FLAG, PATH, IMAGE, KEY, NOUN));
  private static final Pattern NOT_A_KEY = Pattern.compile("^(?:e\\.g|i\\.e|etc|vs|\\w+\\.(?:md|html|go|py|js|ts"
      + "|java|rs|rb))$", F);

  private static final Pattern RENAME = Pattern.compile("\\brenam(?:e|ed|es|ing)\\b|\\breplaced (?:by|with)\\b"
      + "|\\b(?:has|have) been changed to\\b|\\bis now called\\b|\\bmoved (?:to|into)\\b|\\bin favou?r of\\b", F);
  private static final Pattern REMOVAL = Pattern.compile("\\b(?:removed|removes|remove|dropped|drops)\\b"
      + "|\\bno longer (?:supported|published|pushed|available|accepted|recogni[sz]ed|read|honou?red|used|works?)\\b"
      + "|\\bsupport (?:for \\S+ )?(?:was |has been |is )?(?:dropped|removed)\\b|\\bdiscontinued\\b", F);
  private static final Pattern REQUIRED = Pattern.compile("\\b(?:is|are) now (?:required|mandatory)\\b"
      + "|\\bmust (?:now )?(?:be )?(?:set|explicitly|changed?|updated?|use|specify|configure)\\b"
      + "|\\bneeds? to (?:be )?(?:set|use|change|update|configure)\\b", F);
  private static final Pattern DEFAULT = Pattern.compile("\\bnow defaults? to\\b|\\bdefaults? (?:to|is now|"
      + "changed|value (?:of \\S+ )?(?:is|changed))\\b|\\bnew default\\b|\\bdefault \\w+ (?:changed|is now)\\b"
      + "|\\bby default\\b(?=.*\\bnow\\b)|\\bnow\\b[^.]*\\bby default\\b|\\bchange \\S+ default\\b", F);
  private static final Pattern REFUSED = Pattern.compile("\\b(?:now )?(?:refuse[sd]?|reject(?:s|ed)?)\\b"
      + "|\\b(?:will )?(?:now )?(?:error|fail)s? (?:out )?(?:when|if|on|to start)\\b|\\bfail to start\\b"
      + "|\\bforbid(?:den|s)?\\b|\\bno longer (?:allowed|permitted|accepted)\\b|\\berror on\\b|\\bis now an error\\b", F);

  // The narrow recogniser of A9: a code-like artifact only (no bare noun such as "option", no host name of a link).
  private static final Pattern CODE_ARTIFACT = Pattern.compile(String.join("|", CODE, ENV, FLAG, PATH, IMAGE,
      "\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b"));
  private static final Pattern LATER_OR_FIX = Pattern.compile("^(?:fix\\w*|fixed)\\b|\\bdeprecat\\w*|\\bwill be "
      + "(?:removed|dropped)\\b|\\bin a future\\b|\\bbackward(?:s)? compatib", F);
  private static final Set<SectionKind> CODE_SECTIONS = EnumSet.of(SectionKind.FIXES, SectionKind.INTERNAL,
      SectionKind.DEPENDENCIES, SectionKind.DOCS);

  /** A9: a code-like artifact, a change in the present or past, outside fix/internal/dependency/doc sections. */
  static boolean readsNarrow(NoteClassifier.Classified c) {
    if (c.holds() || CODE_SECTIONS.contains(c.section()) || LATER_OR_FIX.matcher(c.text()).find()) {
      return false;
    }
    Matcher m = CODE_ARTIFACT.matcher(c.text().replaceAll("https?://\\S+", " "));
    return m.find() && !changes(c.text()).isEmpty();
  }

  static Optional<String> artifact(String text) {
    Matcher m = ARTIFACT.matcher(text);
    while (m.find()) {
      String a = m.group();
      if (!NOT_A_KEY.matcher(a.replace("`", "")).matches()) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  static Set<Change> changes(String text) {
    Set<Change> c = EnumSet.noneOf(Change.class);
    if (RENAME.matcher(text).find()) {
      c.add(Change.RENAME);
    }
    if (REMOVAL.matcher(text).find()) {
      c.add(Change.REMOVAL);
    }
    if (REQUIRED.matcher(text).find()) {
      c.add(Change.REQUIRED);
    }
    if (DEFAULT.matcher(text).find()) {
      c.add(Change.DEFAULT);
    }
    if (REFUSED.matcher(text).find()) {
      c.add(Change.REFUSED);
    }
    return c;
  }

  /** A sentence read as an artifact change of one of {@code kinds}, in a section {@code section} accepts. */
  static boolean reads(NoteClassifier.Classified c, Set<Change> kinds, Predicate<SectionKind> section) {
    if (c.holds() || !section.test(c.section())) {
      return false;
    }
    if (artifact(c.text()).isEmpty()) {
      return false;
    }
    Set<Change> found = changes(c.text());
    found.retainAll(kinds);
    return !found.isEmpty();
  }

  static Predicate<MissSurveyTest.Row> variant(Set<Change> kinds, Predicate<SectionKind> section,
      Predicate<MissSurveyTest.Row> step) {
    return r -> step.test(r) && r.sentences().stream().anyMatch(c -> reads(c, kinds, section));
  }

  @Test
  void report() throws IOException, URISyntaxException {
    Assumptions.assumeTrue("artifacts".equals(System.getProperty("warm.gate.survey")), "-Dwarm.gate.survey=artifacts");
    List<MissSurveyTest.Row> rows = MissSurveyTest.rows();
    Set<Change> all = EnumSet.allOf(Change.class);
    System.out.println("MISSES: the artifact changes read (split/product/version: artifact, changes, section, text)");
    int read = 0;
    int missed = 0;
    for (MissSurveyTest.Row r : rows) {
      if (r.held() || !r.item().hold()) {
        continue;
      }
      missed++;
      boolean any = false;
      for (NoteClassifier.Classified c : r.sentences()) {
        if (reads(c, all, s -> true)) {
          any = true;
          System.out.printf(Locale.ROOT, "  %s %s %s %s@%s %s%n", r.item().id(), artifact(c.text()).orElseThrow(),
              changes(c.text()), c.cls(), c.section(), MissSurveyTest.cut(c.text(), 140));
        }
      }
      if (any) {
        read++;
      } else {
        System.out.println("  " + r.item().id() + " (none)");
      }
    }
    System.out.println("misses with an artifact change read: " + read + " of " + missed);
    System.out.println("FALSE HOLDS ADDED by the widest variant (first sentence each)");
    for (MissSurveyTest.Row r : rows) {
      if (!r.held() && !r.item().hold()) {
        r.sentences().stream().filter(c -> reads(c, all, s -> true)).findFirst().ifPresent(c -> System.out.printf(
            Locale.ROOT, "  %s %s %s %s@%s %s%n", r.item().id(), artifact(c.text()).orElseThrow(), changes(c.text()),
            c.cls(), c.section(), MissSurveyTest.cut(c.text(), 140)));
      }
    }
    Predicate<MissSurveyTest.Row> anyStep = r -> true;
    Predicate<SectionKind> anySection = s -> true;
    Predicate<SectionKind> notFixes = s -> s != SectionKind.FIXES;
    Predicate<SectionKind> notRoutine = s -> !s.routine();
    MissSurveyTest.loso("A1 artifact + any change, any section, any step", rows,
        MissSurveyTest.fixed(variant(all, anySection, anyStep)));
    MissSurveyTest.loso("A2 artifact + any change, not under Fixes, any step", rows,
        MissSurveyTest.fixed(variant(all, notFixes, anyStep)));
    MissSurveyTest.loso("A3 artifact + any change, any section, not a patch", rows,
        MissSurveyTest.fixed(variant(all, anySection, MissSurveyTest::notPatch)));
    MissSurveyTest.loso("A4 artifact + any change, not under Fixes, not a patch", rows,
        MissSurveyTest.fixed(variant(all, notFixes, MissSurveyTest::notPatch)));
    MissSurveyTest.loso("A5 artifact + any change, a section that is not routine, any step", rows,
        MissSurveyTest.fixed(variant(all, notRoutine, anyStep)));
    for (Change k : Change.values()) {
      MissSurveyTest.loso("A6-" + k + " artifact + " + k + " only, any section, any step", rows,
          MissSurveyTest.fixed(variant(EnumSet.of(k), anySection, anyStep)));
      MissSurveyTest.loso("A7-" + k + " artifact + " + k + " only, not under Fixes, not a patch", rows,
          MissSurveyTest.fixed(variant(EnumSet.of(k), notFixes, MissSurveyTest::notPatch)));
    }
    MissSurveyTest.loso("A9 code-like artifact + a change now (no fix lead, no deprecation, no link host), not under"
        + " Fixes/Internal/Dependencies/Docs, any step", rows, MissSurveyTest.fixed(r -> r.sentences().stream()
            .anyMatch(ArtifactChangeSurveyTest::readsNarrow)));
    MissSurveyTest.loso("A9' the same, not a patch", rows, MissSurveyTest.fixed(r -> MissSurveyTest.notPatch(r)
        && r.sentences().stream().anyMatch(ArtifactChangeSurveyTest::readsNarrow)));
    MissSurveyTest.loso("A8 artifact + rename/refused/required (not removal, not default), not under Fixes", rows,
        MissSurveyTest.fixed(variant(EnumSet.of(Change.RENAME, Change.REFUSED, Change.REQUIRED), notFixes, anyStep)));
  }
}
