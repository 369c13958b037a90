package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpgradeGateTest {
  @TempDir
  Path tmp;

  private Path recipe(String name) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve("release"));
    return dir;
  }

  private static void note(Path recipe, String version, String text) throws IOException {
    Files.writeString(recipe.resolve("release").resolve(version), text, StandardCharsets.UTF_8);
  }

  private static List<HoldReason.Code> codes(GateDecision d) {
    return d.reasons().stream().map(HoldReason::code).toList();
  }

  @Test
  void testDecide_sameVersionIsNoOp() throws IOException {
    GateDecision d = UpgradeGate.decide(recipe("app"), "1.2.0+1.2", "1.2.0+1.2", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.NO_OP, d.outcome());
    assertEquals(List.of(), d.reasons());
  }

  @Test
  void testDecide_routineNotesAutoApply() throws IOException {
    Path r = recipe("traefik");
    note(r, "1.1.0+2.11.1", "Bump image to 2.11.1\n");
    note(r, "1.2.0+2.11.4", "Security update: upstream 2.11.4\nAdd healthcheck\n");
    GateDecision d = UpgradeGate.decide(r, "1.0.0+2.11.0", "1.2.0+2.11.4", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertEquals(List.of("1.1.0+2.11.1", "1.2.0+2.11.4"), d.notesRead());
    assertEquals("traefik", d.recipe());
  }

  @Test
  void testDecide_onlyNotesInRangeCount() throws IOException {
    Path r = recipe("app");
    note(r, "1.0.0+1.0", "ATTENTION: already installed, must not count\n");
    note(r, "1.3.0+1.3", "ATTENTION: beyond the target, must not count\n");
    note(r, "1.2.0+1.2", "Fix typo\n");
    note(r, "next", "ATTENTION: not released yet\n");
    GateDecision d = UpgradeGate.decide(r, "1.0.0+1.0", "1.2.0+1.2", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertEquals(List.of("1.2.0+1.2"), d.notesRead());
  }

  /** A removal read under a routine heading, the one kind of evidence round 15 weighs by the step. */
  private static final String REMOVAL_UNDER_FIXES =
      "## Bug fixes\n\n- Dropped the `--insecure-listen` flag\n- Fix a typo in the about page\n";

  @Test
  void testDecide_patchStep_releasesARemovalReadOnlyUnderARoutineHeading_andExplainsWhy() throws IOException {
    Path r = recipe("app");
    note(r, "1.0.1+2.3.5", REMOVAL_UNDER_FIXES);
    GateDecision d = UpgradeGate.decide(r, "1.0.0+2.3.4", "1.0.1+2.3.5", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    ExplainedSentence e = d.explained().stream().filter(x -> x.text().contains("--insecure-listen")).findFirst()
        .orElseThrow();
    assertEquals("REMOVAL", e.sentenceClass());
    assertEquals("FIXES", e.section());
    assertFalse(e.holds());
    assertTrue(e.why().contains("patch step (1.0.0+2.3.4 → 1.0.1+2.3.5)"), e.why());
    assertTrue(d.toText(true).contains("REMOVAL {"), d.toText(true)); // --explain: listed, not holding
    assertTrue(d.toText(true).contains("a removal listed under FIXES in a patch step"), d.toText(true));
  }

  @Test
  void testDecide_minorOrUnknownStep_keepsTheRemovalsHold_quotedWithItsHeading() throws IOException {
    Path r = recipe("app");
    note(r, "1.0.1+2.3.5", REMOVAL_UNDER_FIXES);
    for (String from : List.of("1.0.0+2.2.9", "1.0.0", "1.0.0+2.3.4-alpine")) {
      GateDecision d = UpgradeGate.decide(r, from, "1.0.1+2.3.5", GatePolicy.defaults());
      assertEquals(GateDecision.Outcome.HOLD, d.outcome(), from + ": " + d.toText());
      assertEquals(List.of("Dropped the `--insecure-listen` flag"), d.reasons().get(0).quotes());
      assertEquals(List.of("Bug fixes"), d.reasons().get(0).headings());
    }
  }

  @Test
  void testDecide_patchStep_anUpgradeSectionOrStrongerEvidenceKeepsTheHold() throws IOException {
    Path r = recipe("app");
    note(r, "1.0.1+2.3.5", "## Upgrade notes\n\nNo action is required.\n\n" + REMOVAL_UNDER_FIXES);
    note(r, "1.0.2+2.3.6", REMOVAL_UNDER_FIXES + "- You must set `NEW_SECRET` before upgrading\n");
    assertEquals(GateDecision.Outcome.HOLD,
        UpgradeGate.decide(r, "1.0.0+2.3.4", "1.0.1+2.3.5", GatePolicy.defaults()).outcome());
    GateDecision d = UpgradeGate.decide(r, "1.0.1+2.3.5", "1.0.2+2.3.6", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome(), d.toText());
    assertTrue(d.reasons().get(0).quotes().contains("Dropped the `--insecure-listen` flag"), d.toText());
  }

  @Test
  void testDecide_theStepIsFromTheInstalledVersion_notFromTheReleaseBeforeTheNote() throws IOException {
    Path r = recipe("app");
    note(r, "1.0.1+2.3.0", "Fix typo\n");
    note(r, "1.0.2+2.3.1", REMOVAL_UNDER_FIXES);
    // 2.3.0 -> 2.3.1 is a patch, but this upgrade starts at 2.2.0: a minor step, so the removal holds
    GateDecision d = UpgradeGate.decide(r, "1.0.0+2.2.0", "1.0.2+2.3.1", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome(), d.toText());
    assertEquals(GateDecision.Outcome.AUTO_APPLY,
        UpgradeGate.decide(r, "1.0.1+2.3.0", "1.0.2+2.3.1", GatePolicy.defaults()).outcome());
  }

  @Test
  void testDecide_intermediateNoteHoldsAndIsQuoted() throws IOException {
    Path r = recipe("keycloak");
    note(r, "1.1.0+25.0", "Bump image\nMake a backup before upgrading: the DB schema changes.\n");
    note(r, "1.2.0+25.1", "Fix typo\n");
    GateDecision d = UpgradeGate.decide(r, "1.0.0+24.0", "1.2.0+25.1", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome());
    assertEquals(List.of(HoldReason.Code.MANUAL_MIGRATION), codes(d));
    HoldReason reason = d.reasons().get(0);
    assertEquals("1.1.0+25.0", reason.version());
    assertEquals(List.of("Make a backup before upgrading: the DB schema changes."), reason.quotes());
    assertTrue(d.toText().contains("      > Make a backup before upgrading: the DB schema changes."), d.toText());
  }

  @Test
  void testDecide_majorBumpHoldsEvenWithoutNotes() throws IOException {
    GateDecision d = UpgradeGate.decide(recipe("app"), "1.9.3+1.0", "2.0.0+1.0", GatePolicy.defaults());
    assertEquals(List.of(HoldReason.Code.MAJOR_BUMP), codes(d));
    assertTrue(d.reasons().get(0).detail().contains("from 1 to 2"));
  }

  @Test
  void testDecide_downgradeHolds() throws IOException {
    GateDecision d = UpgradeGate.decide(recipe("app"), "1.2.0+1.2", "1.1.0+1.1", GatePolicy.defaults());
    assertEquals(List.of(HoldReason.Code.DOWNGRADE), codes(d));
  }

  @Test
  void testDecide_unknownVersionsHoldFailSafe() throws IOException {
    Path r = recipe("app");
    assertEquals(List.of(HoldReason.Code.UNPARSABLE),
        codes(UpgradeGate.decide(r, "garbage", "1.0.0+1.0", GatePolicy.defaults())));
    assertEquals(List.of(HoldReason.Code.UNPARSABLE),
        codes(UpgradeGate.decide(r, "3f2a9c1e", "1.0.0+1.0", GatePolicy.defaults())));
    assertEquals(List.of(HoldReason.Code.UNPARSABLE, HoldReason.Code.UNPARSABLE),
        codes(UpgradeGate.decide(r, "", "1.0.0+1.0/../x", GatePolicy.defaults())));
    assertEquals(List.of(HoldReason.Code.UNPARSABLE, HoldReason.Code.UNPARSABLE),
        codes(UpgradeGate.decide(r, "garbage", "garbage", GatePolicy.defaults())), "even the same unknown string");
  }

  @Test
  void testDecide_acknowledgementReleasesExactlyThatVersion() throws IOException {
    Path r = recipe("keycloak");
    note(r, "2.0.0+26.0", "ATTENTION: run the realm migration by hand.\n");
    note(r, "2.1.0+26.1", "You must rotate the admin password.\n");
    GatePolicy ackTarget = GatePolicy.defaults().withAcknowledged("keycloak", Set.of("2.0.0+26.0"));
    GateDecision partial = UpgradeGate.decide(r, "1.5.0+25.0", "2.1.0+26.1", ackTarget);
    assertEquals(List.of(HoldReason.Code.MAJOR_BUMP, HoldReason.Code.MANUAL_MIGRATION), codes(partial),
        partial.toText());
    assertEquals("2.1.0+26.1", partial.reasons().get(1).version());

    GatePolicy both = ackTarget.withAcknowledged("keycloak", Set.of("2.1.0+26.1"));
    GateDecision released = UpgradeGate.decide(r, "1.5.0+25.0", "2.1.0+26.1", both);
    assertEquals(GateDecision.Outcome.AUTO_APPLY, released.outcome(), released.toText());
    assertEquals(List.of("2.1.0+26.1", "2.0.0+26.0"), released.acknowledged());
    assertEquals(2, released.notes().size(), "acknowledged notes are still quoted");

    GatePolicy otherRecipe = GatePolicy.defaults().withAcknowledged("traefik", Set.of("2.0.0+26.0", "2.1.0+26.1"));
    assertTrue(UpgradeGate.decide(r, "1.5.0+25.0", "2.1.0+26.1", otherRecipe).isHold(), "acks are per recipe");
  }

  @Test
  void testDecide_extraMarker() throws IOException {
    Path r = recipe("app");
    note(r, "1.1.0+1.1", "Rotate the OIDC client secret.\n");
    assertFalse(UpgradeGate.decide(r, "1.0.0+1.0", "1.1.0+1.1", GatePolicy.defaults()).isHold());
    GatePolicy p = GatePolicy.defaults().withExtraMarkers(List.of("client secret"));
    assertEquals(List.of(HoldReason.Code.MANUAL_MIGRATION), codes(UpgradeGate.decide(r, "1.0.0+1.0", "1.1.0+1.1", p)));
  }

  @Test
  void testDecide_missingReleaseFolderIsFine() throws IOException {
    Path r = tmp.resolve("bare");
    Files.createDirectories(r);
    assertEquals(GateDecision.Outcome.AUTO_APPLY,
        UpgradeGate.decide(r, "1.0.0+1.0", "1.1.0+1.1", GatePolicy.defaults()).outcome());
  }

  @Test
  void testDecide_missingDirectory_fail() {
    RecipeCheckoutException e = assertThrows(RecipeCheckoutException.class,
        () -> UpgradeGate.decide(tmp.resolve("nope"), "1.0.0+1.0", "1.1.0+1.1", GatePolicy.defaults()));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void testToJson_carriesDecisionReasonsAndNotes() throws IOException {
    Path r = recipe("app");
    note(r, "2.0.0+2.0", "Bump image\nBREAKING: labels renamed, you must update your overrides.\n");
    GateDecision d = UpgradeGate.decide(r, "1.0.0+1.0", "2.0.0+2.0", GatePolicy.defaults());
    JsonNode j = new ObjectMapper().readTree(d.toJson());
    assertEquals("HOLD", j.get("decision").asText());
    assertEquals("1.0.0+1.0", j.get("from").asText());
    assertEquals("2.0.0+2.0", j.get("to").asText());
    assertEquals("MAJOR_BUMP", j.get("reasons").get(0).get("code").asText());
    assertEquals("MANUAL_MIGRATION", j.get("reasons").get(1).get("code").asText());
    assertEquals("BREAKING: labels renamed, you must update your overrides.",
        j.get("notes").get("2.0.0+2.0").get(0).asText());
    assertEquals(1, j.get("notes").get("2.0.0+2.0").size());
  }

  @Test
  void testDecide_aNoteConditionedOnTheVersionUpgradedFrom_readsTheRangesFrom() throws IOException {
    Path r = recipe("stalwart");
    note(r, "1.1.0+0.13.0", "Bump image to 0.13.0\n");
    note(r, "1.2.0+0.13.3", "If you are upgrading from v0.11.x or v0.12.x, this version includes **breaking changes**"
        + " to the message queue. Please read the UPGRADING.md file.\n");
    GateDecision one = UpgradeGate.decide(r, "1.1.0+0.13.0", "1.2.0+0.13.3", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, one.outcome(), one.toText());
    assertTrue(one.explained().stream().anyMatch(e -> e.why().startsWith("applies only when upgrading from v0.11.x"
        + " or v0.12.x, and this upgrade starts at 1.1.0+0.13.0")), one.explained().toString());
    // a range that starts inside the condition crosses it: the same note holds
    GateDecision across = UpgradeGate.decide(r, "1.0.0+0.12.5", "1.2.0+0.13.3", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, across.outcome(), across.toText());
    assertEquals(List.of("1.2.0+0.13.3"), across.reasons().stream().map(HoldReason::version).toList());
  }
}
