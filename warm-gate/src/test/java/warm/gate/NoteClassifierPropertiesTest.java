package warm.gate;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the note classifier on the gate's public path: any bytes and any structure give a decision and no
 * exception; a note that is not text holds (fail safe); adding a note that alone is routine to a held range never
 * releases the hold.
 */
class NoteClassifierPropertiesTest {
  static final String FROM = "1.0.0+1.0";
  static List<String> holdNotes;
  static List<String> autoNotes;

  /** Pieces of structure in every format the parser reads; {@code %s} is a sentence or a title. */
  static final List<String> SHAPES = List.of("# %s\n", "## %s\n", "%s\n=====\n", "%s\n-----\n", "== %s\n",
      "=====\n%s\n=====\n", "%s\n~~~~~\n", "**%s**\n", "%s:\n", "- %s\n", "* %s\n", "  - %s\n", "1. %s\n",
      "| %s | x |\n", "|---|---|\n", "```\n%s\n```\n", "```\n", "----\n", "> %s\n", "> [!WARNING]\n> %s\n",
      "<h2>%s</h2>", "<ul><li>%s</li></ul>", "<p>%s</p>", "<table><tr><td>%s</td></tr></table>", "<script>%s",
      "<details><summary>%s</summary>", ".. warning::\n   %s\n", "\n", "%s\n", "feat!: %s\n", "[docs] %s\n",
      "\u0000\u00ff%s\ufffd", "#".repeat(200) + " %s\n", "[%s](http://x", "`%s");

  @BeforeAll
  static void setUp() throws IOException {
    holdNotes = new ArrayList<>();
    autoNotes = new ArrayList<>();
    for (NoteCorpusTest.Entry e : NoteCorpusTest.corpus()) {
      (e.hold() ? holdNotes : autoNotes).add(e.text());
    }
  }

  static GateDecision decide(Map<String, String> notes, String to) {
    return decide(FROM, notes, to);
  }

  static GateDecision decide(String from, Map<String, String> notes, String to) {
    ReleaseNoteSource source = v -> notes.containsKey(v) ? new NoteLookup.Found(notes.get(v), false)
        : NoteLookup.absent();
    List<String> tags = new ArrayList<>(notes.keySet());
    tags.add(from);
    return UpgradeGate.decide("app", from, to, PublishedVersions.of(tags), source, GatePolicy.defaults());
  }

  static String structured(List<Integer> picks, Random random) {
    StringBuilder b = new StringBuilder();
    List<String> sentences = new ArrayList<>(holdNotes);
    sentences.addAll(autoNotes);
    for (int p : picks) {
      String shape = SHAPES.get(p % SHAPES.size());
      String sentence = sentences.get(random.nextInt(sentences.size())).strip();
      b.append(shape.contains("%s") ? shape.replace("%s", sentence) : shape);
    }
    return b.toString();
  }

  @Test
  void testAnyBytes_decideWithoutException_andGarbageHolds() {
    Gen<List<Integer>> bytes = lists().of(integers().between(0, 255)).ofSizeBetween(0, 3000);
    qt().withExamples(300).forAll(bytes).checkAssert(list -> {
      byte[] raw = new byte[list.size()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (byte) (int) list.get(i);
      }
      String note = new String(raw, StandardCharsets.UTF_8);
      GateDecision d = decide(Map.of("1.0.1+1.1", note), "1.0.1+1.1");
      d.toJson(true);
      d.toText(true);
      long bad = note.chars().filter(c -> c == '\uFFFD' || c != '\n' && c != '\t' && Character.isISOControl(c))
          .count();
      if (note.length() >= 64 && bad > note.length() * NoteClassifier.MAX_GARBAGE_SHARE
          && d.reasons().stream().noneMatch(r -> r.code() == HoldReason.Code.UNREADABLE_NOTE)) {
        throw new AssertionError("a note that is not text did not hold as unreadable: " + d.toText());
      }
    });
  }

  @Test
  void testAnyStructure_decideWithoutException_andQuoteWithHeading() {
    Gen<List<Integer>> picks = lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 40);
    qt().withExamples(300).forAll(picks, integers().between(0, 1_000_000)).checkAssert((p, seed) -> {
      String note = structured(p, new Random(seed));
      GateDecision d = decide(Map.of("1.0.1+1.1", note), "1.0.1+1.1");
      d.toJson(true);
      for (HoldReason r : d.reasons()) {
        if (r.headings().size() != r.quotes().size()) {
          throw new AssertionError("every quote has its heading: " + r);
        }
      }
      if (d.isHold() != d.explained().stream().anyMatch(ExplainedSentence::holds)
          && d.reasons().stream().noneMatch(r -> r.code() == HoldReason.Code.UNREADABLE_NOTE)) {
        throw new AssertionError("the decision and the sentence explanations disagree: " + d.toText(true));
      }
    });
  }

  @Test
  void testMonotonic_addingARoutineNoteNeverReleasesAHold() {
    monotone(FROM, List.of("1.0.1+1.1", "1.0.2+1.2", "1.0.3+1.3", "1.0.4+1.4"), true);
  }

  /**
   * The same at patch steps of the upstream, where round 15's tier may release a note that holds only by a removal
   * under a routine heading: the tier reads the step from the installed version to the note's own version, so a note
   * added to the range changes no other note's verdict.
   */
  @Test
  void testMonotonic_atPatchSteps_addingARoutineNoteNeverReleasesAHold() {
    monotone("1.0.0+1.0.0", List.of("1.0.1+1.0.1", "1.0.2+1.0.2", "1.0.3+1.0.3", "1.0.4+1.0.4"), false);
  }

  /**
   * A HOLD note at versions[1], a note that alone is routine added at versions[0], [2] or [3] (the target).
   * {@code everyHoldNoteHolds}: a HOLD note of the corpus that does not hold alone fails the test.
   */
  private void monotone(String from, List<String> versions, boolean everyHoldNoteHolds) {
    Gen<Integer> pick = integers().between(0, 1_000_000);
    Gen<List<Integer>> shape = lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 12);
    qt().withExamples(200).forAll(pick, pick, shape, arbitrary().pick(List.of(0, 2, 3))).checkAssert(
        (h, a, p, where) -> {
          Map<String, String> notes = new HashMap<>();
          notes.put(versions.get(1), holdNotes.get(h % holdNotes.size()));
          String to = versions.get(3);
          GateDecision before = decide(from, notes, to);
          if (!before.isHold() && everyHoldNoteHolds) {
            throw new AssertionError("a HOLD note of the corpus did not hold: " + before.toText());
          }
          if (!before.isHold()) {
            return; // only ranges that hold are under test (at a patch step the tier may release a corpus note)
          }
          String extra = a % 2 == 0 ? autoNotes.get(a % autoNotes.size()) : structured(p, new Random(a));
          if (decide(from, Map.of(versions.get(0), extra), versions.get(0)).isHold()) {
            return; // only notes that alone are routine are under test
          }
          String version = versions.get(where);
          notes.put(version, extra);
          GateDecision after = decide(from, notes, to);
          if (!after.isHold()) {
            throw new AssertionError("adding a routine note at " + version + " released the hold: "
                + after.toText(true));
          }
        });
  }
}
