package warm.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** A condition on the version upgraded from only ever releases, and its bounds are closed downwards. */
class UpgradeConditionPropertiesTest {
  private static Gen<String> versions() {
    Gen<Integer> n = integers().between(0, 4);
    return n.zip(n, n, (a, b, c) -> a + "." + b + "." + c);
  }

  private static Gen<String> conditions() {
    return arbitrary().pick(List.of("v%s.x", "%s", "v%s and below", "%s or earlier", "a version older than `%s`",
        "versions before %s", "v%s.x or v%s.x"));
  }

  @Test
  void testAnOlderFrom_isCoveredWheneverANewerOneIs() {
    qt().withExamples(2000).forAll(conditions(), versions(), versions(), versions()).checkAssert((form, bound, a,
        b) -> {
      String sentence = "If you are upgrading from " + form.replace("%s", bound) + ", you must run the migration.";
      UpgradeCondition c = UpgradeCondition.of(sentence).orElseThrow(() -> new AssertionError(sentence));
      boolean downwards = form.contains("below") || form.contains("earlier") || form.contains("older")
          || form.contains("before");
      if (!downwards) {
        return;
      }
      String older = UpstreamOrder.compare(a, b) <= 0 ? a : b;
      String newer = older.equals(a) ? b : a;
      assertTrue(!c.covers(newer) || c.covers(older), sentence + " covers " + newer + " but not " + older);
    });
  }

  @Test
  void testAKnownFrom_neverAddsAHold() {
    qt().withExamples(300).forAll(conditions(), versions(), versions()).checkAssert((form, bound, from) -> {
      String note = "## Upgrading\n\nIf you are upgrading from " + form.replace("%s", bound) + ", this version includes"
          + " **breaking changes**. Please read UPGRADING.md.\n\n- The `LEGACY_AUTH` option has been removed.\n";
      List<NoteClassifier.Classified> unknown = NoteClassifierTest.DEFAULT.classify(note).holding();
      List<NoteClassifier.Classified> known =
          NoteClassifierTest.DEFAULT.classify(note, RecipeVersion.parse("9.0.0+" + from)).holding();
      assertTrue(unknown.containsAll(known), note + " from " + from);
      assertTrue(known.stream().anyMatch(k -> k.text().contains("LEGACY_AUTH")), "another item is not governed");
    });
  }
}
