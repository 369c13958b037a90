package warm.gate;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Decision properties: MAJOR_BUMP exactly when the recipe major grows; one marker line anywhere in range holds;
 * gate.autoApply=patch adds STEP_ABOVE_AUTO_APPLY exactly when the recipe minor grows, whatever the notes.
 */
class UpgradeGatePropertiesTest {
  @TempDir
  static Path tmp;
  static Path empty;
  static final AtomicInteger SEQ = new AtomicInteger();
  static List<String> routine;

  /** Phrases the issue names, each in a realistic line. */
  static final List<String> MARKER_LINES = List.of(
      "ATTENTION: the admin console moved.",
      "This release contains breaking changes.",
      "Manual step: re-import the realm.",
      "Migrate your config to the new format.",
      "The database migration must be run by hand.",
      "You must set SMTP_HOST in your .env.",
      "Make a backup before upgrading.",
      "backup before deploying please",
      "Run abra app cmd <app> app upgrade_db before upgrading.",
      "The plugin API is not backwards compatible.",
      "Action required: rotate the client secret.");

  @BeforeAll
  static void setUp() throws IOException {
    empty = Files.createDirectories(tmp.resolve("empty"));
    routine = new ArrayList<>();
    NoteClassifier classifier = new NoteClassifier(DeploymentContext.defaults(), List.of());
    for (NoteCorpusTest.Entry e : NoteCorpusTest.corpus()) {
      if (!e.hold() && classifier.classify(e.text()).holding().isEmpty()) {
        routine.add(e.text());
      }
    }
  }

  @Test
  void testMajorBump_iffRecipeMajorIncreased() {
    qt().withExamples(2000).forAll(RecipeVersionPropertiesTest.versions(), RecipeVersionPropertiesTest.versions())
        .checkAssert((a, b) -> {
          GateDecision d = UpgradeGate.decide(empty, a, b, GatePolicy.defaults());
          RecipeVersion f = RecipeVersion.parse(a);
          RecipeVersion t = RecipeVersion.parse(b);
          boolean majorGrew = f.isRelease() && t.isRelease() && t.major() > f.major();
          boolean flagged = d.reasons().stream().anyMatch(r -> r.code() == HoldReason.Code.MAJOR_BUMP);
          if (majorGrew != flagged) {
            throw new AssertionError(a + " -> " + b + ": major grew " + majorGrew + " but " + d.toText());
          }
          if (!a.equals(b) && f.isRelease() && t.isRelease() && !t.isBefore(f) && !majorGrew && d.isHold()) {
            throw new AssertionError("same-major upgrade without notes held: " + d.toText());
          }
        });
  }

  @Test
  void testDecide_arbitraryVersionStrings_alwaysDecideNeverThrow() {
    Gen<String> junk = SourceDSL.strings().allPossible().ofLengthBetween(0, 300)
        .mix(RecipeVersionPropertiesTest.versions(), 50);
    qt().withExamples(2000).forAll(junk, junk).checkAssert((a, b) -> {
      GateDecision d = UpgradeGate.decide(empty, a, b, GatePolicy.defaults());
      boolean bothReleases = RecipeVersion.tryParse(a).filter(RecipeVersion::isRelease).isPresent()
          && RecipeVersion.tryParse(b).filter(RecipeVersion::isRelease).isPresent();
      if (!bothReleases && !d.isHold()) {
        throw new AssertionError("an unknown version must hold: '" + a + "' -> '" + b + "': " + d.outcome());
      }
      d.toJson();
      d.toText();
    });
  }

  @Test
  void testMarkerLine_inAnyIntermediateNote_turnsAutoIntoHold() {
    Gen<Integer> major = integers().between(0, 4);
    Gen<List<Integer>> patches = lists().of(integers().between(0, 20)).ofSizeBetween(2, 6);
    Gen<Integer> pick = integers().between(0, 1_000_000);
    Gen<String> marker = arbitrary().pick(MARKER_LINES);
    qt().withExamples(150).forAll(major, patches, pick, marker).checkAssert((m, ps, seed, line) -> {
      try {
        Path dir = Files.createDirectories(tmp.resolve("r" + SEQ.incrementAndGet()));
        Files.createDirectories(dir.resolve("release"));
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
          versions.add(m + "." + i + "." + ps.get(i) + "+" + (10 + i) + "." + ps.get(i));
        }
        List<List<String>> notes = new ArrayList<>();
        for (int i = 1; i < versions.size(); i++) {
          List<String> lines = new ArrayList<>(List.of(routine.get((seed + i) % routine.size()).split("\n")));
          notes.add(lines);
          write(dir, versions.get(i), lines);
        }
        String from = versions.get(0);
        String to = versions.get(versions.size() - 1);
        GateDecision before = UpgradeGate.decide(dir, from, to, GatePolicy.defaults());
        if (before.outcome() != GateDecision.Outcome.AUTO_APPLY) {
          throw new AssertionError("routine notes held: " + before.toText());
        }
        int target = 1 + seed % (versions.size() - 1);
        List<String> lines = notes.get(target - 1);
        lines.add((seed / 7) % (lines.size() + 1), line);
        write(dir, versions.get(target), lines);
        GateDecision after = UpgradeGate.decide(dir, from, to, GatePolicy.defaults());
        boolean held = after.reasons().stream().anyMatch(r -> r.code() == HoldReason.Code.MANUAL_MIGRATION
            && r.version().equals(versions.get(target)) && r.quotes().stream().anyMatch(q -> q.contains(line.strip())));
        if (!held) {
          throw new AssertionError("marker '" + line + "' in " + versions.get(target) + " not held: " + after.toText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * gate.autoApply=patch adds exactly one reason to the default's decision, STEP_ABOVE_AUTO_APPLY, exactly when the
   * recipe minor grows within a major; every other reason and every other decision is the default's.
   */
  @Test
  void testAutoApplyPatch_addsTheStepReasonExactlyWhenTheRecipeMinorGrows() {
    GatePolicy patch = GatePolicy.defaults().withAutoApply(AutoApply.PATCH);
    qt().withExamples(2000).forAll(RecipeVersionPropertiesTest.versions(), RecipeVersionPropertiesTest.versions())
        .checkAssert((a, b) -> {
          GateDecision minor = UpgradeGate.decide(empty, a, b, GatePolicy.defaults());
          GateDecision d = UpgradeGate.decide(empty, a, b, patch);
          RecipeVersion f = RecipeVersion.parse(a);
          RecipeVersion t = RecipeVersion.parse(b);
          boolean minorGrew = f.isRelease() && t.isRelease() && !t.isBefore(f) && t.major() == f.major()
              && t.minor() > f.minor();
          List<HoldReason> expected = new ArrayList<>(minor.reasons());
          if (minorGrew) {
            // a minor step is within one major: no MAJOR_BUMP before it, the notes' reasons after it
            expected.add(0, new HoldReason(HoldReason.Code.STEP_ABOVE_AUTO_APPLY, b, "a minor step (" + f.recipePart() + " → "
                    + t.recipePart() + "); gate.autoApply is patch: only a patch step is decided by the notes",
                    List.of()));
          }
          if (!expected.equals(d.reasons())) {
            throw new AssertionError(a + " -> " + b + ": minor grew " + minorGrew + "; default " + minor.toText()
                + " patch " + d.toText());
          }
          if (d.isHold() != (minor.isHold() || minorGrew)) {
            throw new AssertionError(a + " -> " + b + ": outcome " + d.outcome() + " against " + minor.outcome());
          }
        });
  }

  /**
   * Under gate.autoApply=patch any range that crosses a minor release holds whatever its notes say (none, routine
   * ones, marker lines), even when its last release is a patch; adding a note never releases it.
   */
  @Test
  void testAutoApplyPatch_aRangeCrossingAMinorBoundaryHolds_whateverTheNotes() {
    GatePolicy patch = GatePolicy.defaults().withAutoApply(AutoApply.PATCH);
    Gen<Integer> major = integers().between(0, 4);
    Gen<List<Integer>> steps = lists().of(integers().between(0, 2)).ofSizeBetween(1, 6);
    Gen<Integer> pick = integers().between(0, 1_000_000);
    qt().withExamples(150).forAll(major, steps, pick).checkAssert((m, st, seed) -> {
      try {
        Path dir = Files.createDirectories(tmp.resolve("a" + SEQ.incrementAndGet()));
        Files.createDirectories(dir.resolve("release"));
        // a chain of releases: each step is a patch (0) or a minor (1 or 2: the minor grows, the patch resets)
        List<String> versions = new ArrayList<>(List.of(m + ".3.7+" + m + ".3.7"));
        int minor = 3;
        int p = 7;
        for (int s : st) {
          if (s == 0) {
            p++;
          } else {
            minor += s;
            p = 0;
          }
          versions.add(m + "." + minor + "." + p + "+" + m + "." + minor + "." + p);
        }
        String from = versions.get(0);
        String to = versions.get(versions.size() - 1);
        boolean crossesMinor = minor > 3;
        GateDecision before = UpgradeGate.decide(dir, from, to, patch);
        for (int i = 1; i < versions.size(); i++) {
          int kind = (seed / i) % 3;
          List<String> lines = kind == 0 ? List.of() : kind == 1
              ? List.of(routine.get((seed + i) % routine.size()).split("\n"))
              : List.of(MARKER_LINES.get((seed + i) % MARKER_LINES.size()));
          if (!lines.isEmpty()) {
            write(dir, versions.get(i), lines);
          }
        }
        GateDecision after = UpgradeGate.decide(dir, from, to, patch);
        for (GateDecision d : List.of(before, after)) {
          boolean stepHold = d.reasons().stream().anyMatch(r -> r.code() == HoldReason.Code.STEP_ABOVE_AUTO_APPLY);
          if (crossesMinor != stepHold || crossesMinor && !d.isHold()) {
            throw new AssertionError(from + " -> " + to + " crosses a minor " + crossesMinor + ": " + d.toText());
          }
        }
        if (before.isHold() && !after.isHold()) {
          throw new AssertionError("adding notes released a hold: " + after.toText());
        }
        if (!crossesMinor && before.isHold()) {
          throw new AssertionError("a patch range without notes held: " + before.toText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static void write(Path dir, String version, List<String> lines) throws IOException {
    Files.writeString(dir.resolve("release").resolve(version), String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8);
  }
}
