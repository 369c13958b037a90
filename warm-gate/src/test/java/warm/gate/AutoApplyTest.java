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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gate.autoApply: which recipe steps hold under each setting, the reason's text, JSON and acknowledgement. */
class AutoApplyTest {
  @TempDir
  Path tmp;

  private static final GatePolicy PATCH = GatePolicy.defaults().withAutoApply(AutoApply.PATCH);

  private Path recipe(String name) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve("release"));
    return dir;
  }

  private static List<HoldReason.Code> codes(GateDecision d) {
    return d.reasons().stream().map(HoldReason::code).toList();
  }

  @Test
  void testDefault_isMinor_andEveryWithKeepsTheSetting() {
    assertEquals(AutoApply.MINOR, GatePolicy.defaults().autoApply());
    assertEquals(AutoApply.MINOR, new GatePolicy(List.of(), Map.of(), null, null).autoApply(), "null is the default");
    GatePolicy p = PATCH.withExtraMarkers(List.of("x")).withAcknowledged("a", Set.of("1.0.0"))
        .withContext(DeploymentContext.defaults());
    assertEquals(AutoApply.PATCH, p.autoApply());
  }

  @Test
  void testParse_acceptsTheConfigValues_rejectsAnythingElseNamingTheAllowedOnes() {
    assertEquals(AutoApply.MINOR, AutoApply.parse("minor"));
    assertEquals(AutoApply.PATCH, AutoApply.parse("patch"));
    assertEquals("patch", AutoApply.PATCH.configValue());
    for (String bad : new String[] {"major", "Patch", " patch", "", "none"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoApply.parse(bad));
      assertTrue(e.getMessage().contains("'minor' or 'patch'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> AutoApply.parse(null));
  }

  @Test
  void testEachLevelUnderEachSetting_withoutNotes() throws IOException {
    Path r = recipe("app");
    // patch step: the notes decide under both settings
    assertEquals(GateDecision.Outcome.AUTO_APPLY, UpgradeGate.decide(r, "2.3.1+1.0", "2.3.2+1.1",
        GatePolicy.defaults()).outcome());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, UpgradeGate.decide(r, "2.3.1+1.0", "2.3.2+1.1", PATCH).outcome());
    // minor step: decided by the notes under minor, held under patch
    assertEquals(GateDecision.Outcome.AUTO_APPLY, UpgradeGate.decide(r, "2.3.1+1.0", "2.4.0+1.1",
        GatePolicy.defaults()).outcome());
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY),
        codes(UpgradeGate.decide(r, "2.3.1+1.0", "2.4.0+1.1", PATCH)));
    // major step: held under both, by the major bump alone
    assertEquals(List.of(HoldReason.Code.MAJOR_BUMP),
        codes(UpgradeGate.decide(r, "2.3.1+1.0", "3.0.0+1.1", GatePolicy.defaults())));
    assertEquals(List.of(HoldReason.Code.MAJOR_BUMP), codes(UpgradeGate.decide(r, "2.3.1+1.0", "3.0.0+1.1", PATCH)));
    // same version, downgrade: unchanged
    assertEquals(GateDecision.Outcome.NO_OP, UpgradeGate.decide(r, "2.3.1+1.0", "2.3.1+1.0", PATCH).outcome());
    assertEquals(List.of(HoldReason.Code.DOWNGRADE), codes(UpgradeGate.decide(r, "2.4.0+1.0", "2.3.1+1.0", PATCH)));
  }

  @Test
  void testTheStepIsTheRecipePart_overTheWholeRange() throws IOException {
    Path r = recipe("app");
    // crossing 2.4.0 holds although the last step 2.4.0 -> 2.4.1 is a patch
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY),
        codes(UpgradeGate.decide(r, "2.3.9+1.0", "2.4.1+1.0", PATCH)));
    // the upstream part is not read, exactly like the major bump: a recipe patch step bringing upstream 2.0 is a patch
    assertEquals(GateDecision.Outcome.AUTO_APPLY, UpgradeGate.decide(r, "2.3.1+1.9", "2.3.2+2.0", PATCH).outcome());
    // from 0.x to 0.y is a minor step (the major rule: not a major bump)
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY),
        codes(UpgradeGate.decide(r, "0.3.1+1.0", "0.4.0+1.0", PATCH)));
    // a pre-release target of the next minor is a minor step
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY),
        codes(UpgradeGate.decide(r, "2.3.1+1.0", "2.4.0-rc.1+1.0", PATCH)));
  }

  @Test
  void testText_namesTheSettingAndBothRecipeParts_inTextJsonAndExplain() throws IOException {
    Path r = recipe("app");
    Files.writeString(r.resolve("release").resolve("2.4.0+1.1"), "Fixed a typo.\n", StandardCharsets.UTF_8);
    GateDecision d = UpgradeGate.decide(r, "2.3.1+1.0", "2.4.0+1.1", PATCH);
    String detail = "a minor step (2.3.1 → 2.4.0); gate.autoApply is patch: only a patch step is decided by the notes";
    assertEquals(detail, d.reasons().get(0).detail());
    assertEquals("2.4.0+1.1", d.reasons().get(0).version());
    assertTrue(d.toText().contains("STEP_ABOVE_AUTO_APPLY 2.4.0+1.1: " + detail), d.toText());
    assertTrue(d.toText(true).contains("STEP_ABOVE_AUTO_APPLY 2.4.0+1.1: " + detail), d.toText(true));
    assertTrue(d.toText().contains("acknowledge each held version"), "the hint names how to release it");
    JsonNode j = new ObjectMapper().readTree(d.toJson());
    assertEquals("HOLD", j.get("decision").asText());
    assertEquals("STEP_ABOVE_AUTO_APPLY", j.get("reasons").get(0).get("code").asText());
    assertEquals(detail, j.get("reasons").get(0).get("detail").asText());
    assertEquals(List.of("2.4.0+1.1"), d.notesRead(), "the notes are still read and explained");
  }

  @Test
  void testNotesAddTheirReasons_andAcknowledgingTheTargetReleasesOnlyTheStep() throws IOException {
    Path r = recipe("keycloak");
    Files.writeString(r.resolve("release").resolve("2.4.0+26.0"), "You must run the realm migration by hand.\n",
        StandardCharsets.UTF_8);
    Files.writeString(r.resolve("release").resolve("2.4.1+26.1"), "Fixed a typo.\n", StandardCharsets.UTF_8);
    GateDecision d = UpgradeGate.decide(r, "2.3.1+25.0", "2.4.1+26.1", PATCH);
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY, HoldReason.Code.MANUAL_MIGRATION), codes(d),
        d.toText());
    GateDecision target = UpgradeGate.decide(r, "2.3.1+25.0", "2.4.1+26.1",
        PATCH.withAcknowledged("keycloak", Set.of("2.4.1+26.1")));
    assertEquals(List.of(HoldReason.Code.MANUAL_MIGRATION), codes(target), target.toText());
    assertEquals(List.of("2.4.1+26.1"), target.acknowledged());
    GateDecision intermediate = UpgradeGate.decide(r, "2.3.1+25.0", "2.4.1+26.1",
        PATCH.withAcknowledged("keycloak", Set.of("2.4.0+26.0")));
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY), codes(intermediate),
        "acknowledging an intermediate version releases its note, not the step: " + intermediate.toText());
    GateDecision both = UpgradeGate.decide(r, "2.3.1+25.0", "2.4.1+26.1",
        PATCH.withAcknowledged("keycloak", Set.of("2.4.0+26.0", "2.4.1+26.1")));
    assertFalse(both.isHold(), both.toText());
  }
}
