package warm.nightly.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.gate.AutoApply;
import warm.gate.GateDecision;
import warm.gate.GatePolicy;
import warm.gate.HoldReason;
import warm.gate.NoteLookup;
import warm.gate.PublishedVersions;
import warm.gate.ReleaseNoteSource;
import warm.gate.UpgradeGate;

/** The one policy the reconciler and {@code warm gate} start from: the config's {@code gate} section. */
class PlatformGateTest {
  static GateDecision decide(GatePolicy policy, String note) {
    ReleaseNoteSource source = v -> v.equals("1.1.0+2") ? new NoteLookup.Found(note, false) : NoteLookup.absent();
    return UpgradeGate.decide("traefik", "1.0.0+1", "1.1.0+2", PublishedVersions.of(List.of("1.0.0+1", "1.1.0+2")),
        source, policy);
  }

  @Test
  void testPolicy_fromTheConfigsGateSection() {
    WarmConfig config = ConfigLoader.parse("{\"gate\": {\"context\": {\"Kubernetes\": true},"
        + " \"markers\": [\"rotate the key\"]}}", "t");
    GatePolicy policy = PlatformGate.policy(config);
    assertEquals(List.of("rotate the key"), policy.extraMarkers());
    assertEquals(Boolean.TRUE, policy.context().terms().get("kubernetes"), "the operator's term wins");
    assertEquals(Boolean.FALSE, policy.context().terms().get("helm"), "the defaults stay");
    String k8s = "## Kubernetes\n\nThe `ingress.class` value has been removed.\n";
    assertFalse(decide(PlatformGate.policy(WarmConfig.defaults()), k8s).isHold(), "default: out of scope");
    assertTrue(decide(policy, k8s).isHold(), "this deployment uses Kubernetes");
    assertTrue(decide(policy, "Please rotate the key.").isHold(), "configured marker");
    assertEquals(Map.of(), policy.acknowledged());
  }

  /** The reconciler's policy carries gate.autoApply: a minor step with a routine note holds under patch only. */
  @Test
  void testPolicy_carriesAutoApply() {
    assertEquals(AutoApply.MINOR, PlatformGate.policy(WarmConfig.defaults()).autoApply());
    GatePolicy patch = PlatformGate.policy(ConfigLoader.parse("{\"gate\": {\"autoApply\": \"patch\"}}", "t"));
    assertEquals(AutoApply.PATCH, patch.autoApply());
    assertFalse(decide(PlatformGate.policy(WarmConfig.defaults()), "Fixed a typo.").isHold());
    GateDecision d = decide(patch, "Fixed a typo.");
    assertEquals(List.of(HoldReason.Code.STEP_ABOVE_AUTO_APPLY), d.reasons().stream().map(HoldReason::code).toList(),
        d.toText());
  }

  /**
   * warm-core checks gate.autoApply's spelling against its own list (it knows nothing of warm-gate) and this adapter
   * parses what passed: the two lists must name the same values, the default first, or a config check would accept
   * what the reconciler then cannot parse.
   */
  @Test
  void testAutoApplyValues_areTheGatesOwn() {
    assertEquals(java.util.Arrays.stream(AutoApply.values()).map(AutoApply::configValue).toList(),
        warm.core.config.GateSettings.AUTO_APPLY_VALUES);
    assertEquals(AutoApply.MINOR.configValue(), warm.core.config.GateSettings.defaults().autoApply());
  }
}
