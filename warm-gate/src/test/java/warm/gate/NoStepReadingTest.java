package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Round 18's readings ({@link NoStepReading}): each releases a sentence that held before it (checked against the
 * classifier without them), says so in the explanation, and leaves an obligation, a further step or a deployment that
 * builds from source holding.
 */
class NoStepReadingTest {
  static final NoteClassifier TODAY = new NoteClassifier(DeploymentContext.defaults(), List.of());
  static final NoteClassifier BEFORE = TODAY.withoutNoStepReadings();

  private static void releasedWith(String note, String reading) {
    assertFalse(BEFORE.classify(note).holding().isEmpty(), "held before round 18: " + note);
    NoteClassifier.Verdict v = TODAY.classify(note);
    assertEquals(List.of(), v.holding(), note);
    assertTrue(v.sentences().stream().anyMatch(c -> c.why().contains(reading)), v.sentences().toString());
  }

  private static void holds(NoteClassifier classifier, String note) {
    assertFalse(classifier.classify(note).holding().isEmpty(), note);
  }

  @Test
  void testHedgedAdvice_isNoneOfTheReadings() {
    // round 18's advice reading (H2) released these; it is not kept: round 12 holds hedged advice on the deployment's
    // own setting, and without "may need to" the reading releases too few false holds (DECISIONS "Gate round 18")
    holds(TODAY, "## 2.18.0\n\nYou may need to adjust your `APP_URL` setting.\n");
    holds(TODAY, "## Upgrade notes\n\nYou may need to review any of your scripts that utilise dates from API"
        + " responses.\n");
  }

  @Test
  void testTheProjectsOwnWork_isNotTheDeployment() {
    releasedWith("- The borgmatic project no longer accepts pull requests on GitHub.\n", "project's own work");
    releasedWith("### Changed\n\n- The `bin/dev` file will no longer run `bin/rails tailwindcss:watch` command.\n",
        "project's own work");
  }

  @Test
  void testTheBuild_isTheImagesOnlyWhenTheDeploymentRunsIt() {
    String note = "This release requires Go 1.17 to build.";
    releasedWith(note, "how the software is built");
    NoteClassifier fromSource = new NoteClassifier(DeploymentContext.defaultsWith(Map.of(
        DeploymentContext.CONTAINER_IMAGE, false)), List.of());
    holds(fromSource, note);
  }

  @Test
  void testAProjectWordAddressedToTheOperator_holds() {
    holds(TODAY, "### Changed\n\n- Your CI tokens no longer work; you must create new ones.\n");
    holds(TODAY, "⚠️ Warning: If you deploy with docker-compose using a checkout of our repo, you will need to"
        + " manually convert the character set of the database to utf8mb4 when updating.");
  }

  @Test
  void testUpgradeBoilerplateAlone_isTheStandardProcedure() {
    releasedWith("## Upgrade instructions\n\nFollow the upgrade instructions for ansible or docker.\n",
        "standard upgrade procedure");
    releasedWith("## Important Notes\n\nCheck the docs for more details: https://example.org/docs#proxy\n",
        "standard upgrade procedure");
  }

  @Test
  void testBoilerplateWithAStepOfItsOwn_holds() {
    holds(TODAY, "## Upgrade instructions\n\nFollow the upgrade instructions below to replace your nginx with the new"
        + " one.\n");
    holds(TODAY, "## Upgrade instructions\n\nFollow the migration documentation.\n");
  }

  @Test
  void testExplain_showsTheReading() {
    String note = "## Upgrade instructions\n\nFollow the upgrade instructions for ansible or docker.\n";
    ReleaseNoteSource source = v -> v.equals("1.0.1+3.1") ? new NoteLookup.Found(note, false) : NoteLookup.absent();
    GateDecision d = UpgradeGate.decide("app", "1.0.0+3.0", "1.0.1+3.1", PublishedVersions.of(List.of("1.0.0+3.0",
        "1.0.1+3.1")), source, GatePolicy.defaults());
    assertFalse(d.isHold(), d.toText(true));
    assertTrue(d.toText(true).contains("'Follow the upgrade instructions': the standard upgrade procedure, which the"
        + " container image performs"), d.toText(true));
  }
}
