package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decision with upstream notes: extra notes labelled {@code upstream <v>}, classified like the recipe's. */
class UpstreamGateTest {
  private static final PublishedVersions PUBLISHED =
      PublishedVersions.of(List.of("10.7.1+26.4.0", "10.7.2+26.4.0", "10.8.0+26.5.0", "10.8.1+26.5.0"));
  /** The recipe's own notes are all empty (the usual case). */
  private static final ReleaseNoteSource NO_RECIPE_NOTES = v -> NoteLookup.absent();

  /** Upstream notes from a map; records what was asked. */
  private static final class MapUpstream implements UpstreamNoteSource {
    final Map<String, NoteLookup> notes;
    final List<String> asked = new ArrayList<>();

    MapUpstream(Map<String, NoteLookup> notes) {
      this.notes = notes;
    }

    @Override
    public UpstreamRead lookup(String upstream) {
      asked.add(upstream);
      return new UpstreamRead(notes.getOrDefault(upstream, NoteLookup.absent()), "map:" + upstream);
    }
  }

  private static GateDecision decide(MapUpstream up, UpstreamNotes.OnUnreachable on, GatePolicy policy) {
    return UpgradeGate.decide("keycloak", "10.7.1+26.4.0", "10.8.1+26.5.0", PUBLISHED, NO_RECIPE_NOTES,
        new UpstreamNotes(up, on), policy);
  }

  @Test
  void testDecide_upstreamNoteAskingForAManualStepHolds() {
    MapUpstream up = new MapUpstream(Map.of("26.5.0",
        new NoteLookup.Found("Highlights\n\nYou must run the realm migration by hand.\n", false)));
    GateDecision d = decide(up, UpstreamNotes.OnUnreachable.HOLD, GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome(), d.toText());
    assertEquals(List.of("26.5.0"), up.asked, "the upstream carried by two recipe releases is read once");
    HoldReason r = d.reasons().get(0);
    assertEquals(HoldReason.Code.MANUAL_MIGRATION, r.code());
    assertEquals("upstream 26.5.0", r.version());
    assertTrue(d.toText().contains("MANUAL_MIGRATION upstream 26.5.0"), d.toText());
    assertTrue(d.toText().contains("an upstream note is released by acknowledging a recipe version that brings it"),
        d.toText());
    assertTrue(d.notesRead().contains("upstream 26.5.0"), d.notesRead().toString());
    assertEquals("map:26.5.0", d.noteSources().get("upstream 26.5.0"));
    assertTrue(d.toJson().contains("\"noteSources\":{\"upstream 26.5.0\":\"map:26.5.0\"}"), d.toJson());
  }

  @Test
  void testDecide_routineUpstreamNoteApplies() {
    MapUpstream up = new MapUpstream(Map.of("26.5.0", new NoteLookup.Found("Bug fixes.", false)));
    GateDecision d = decide(up, UpstreamNotes.OnUnreachable.HOLD, GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertTrue(d.toText().contains("upstream 26.5.0 note: map:26.5.0"), d.toText());
  }

  @Test
  void testDecide_unreachableHoldsByDefault() {
    MapUpstream up = new MapUpstream(Map.of("26.5.0", new NoteLookup.Unreadable("HTTP 503")));
    GateDecision d = decide(up, UpstreamNotes.OnUnreachable.HOLD, GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome());
    assertEquals(HoldReason.Code.UPSTREAM_UNREACHABLE, d.reasons().get(0).code());
    assertEquals("upstream 26.5.0", d.reasons().get(0).version());
    assertTrue(d.noteSources().get("upstream 26.5.0").contains("unreachable"), d.noteSources().toString());
  }

  @Test
  void testDecide_unreachableProceedsWithAWarningWhenConfigured() {
    MapUpstream up = new MapUpstream(Map.of("26.5.0", new NoteLookup.Unreadable("HTTP 503")));
    GateDecision d = decide(up, UpstreamNotes.OnUnreachable.PROCEED, GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertEquals(1, d.warnings().size());
    assertTrue(d.warnings().get(0).contains("upstream 26.5.0") && d.warnings().get(0).contains("HTTP 503"));
    assertTrue(d.toText().contains("WARNING: upstream 26.5.0"), d.toText());
    assertTrue(d.toJson().contains("\"warnings\":[\"upstream 26.5.0"), d.toJson());
  }

  @Test
  void testDecide_proceedDoesNotReleaseAManualStep() {
    MapUpstream up = new MapUpstream(Map.of("26.5.0", new NoteLookup.Found("BREAKING: you must migrate.", false)));
    assertEquals(GateDecision.Outcome.HOLD,
        decide(up, UpstreamNotes.OnUnreachable.PROCEED, GatePolicy.defaults()).outcome());
  }

  @Test
  void testDecide_acknowledgingARecipeVersionThatBringsTheUpstreamReleasesIt() {
    MapUpstream up = new MapUpstream(Map.of("26.5.0", new NoteLookup.Found("You must migrate by hand.", false)));
    GateDecision d = decide(up, UpstreamNotes.OnUnreachable.HOLD,
        GatePolicy.defaults().withAcknowledged("keycloak", Set.of("10.8.0+26.5.0")));
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertEquals(List.of("upstream 26.5.0"), d.acknowledged());
  }

  @Test
  void testDecide_unparsableUpstreamHolds() {
    GateDecision d = UpgradeGate.decide("keycloak", "10.7.1+26.4.0", "10.8.0", PUBLISHED, NO_RECIPE_NOTES,
        new UpstreamNotes(new MapUpstream(Map.of()), UpstreamNotes.OnUnreachable.PROCEED), GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome(), d.toText());
    assertEquals(HoldReason.Code.UNREADABLE_NOTE, d.reasons().get(0).code());
    assertTrue(d.reasons().get(0).detail().contains("no upstream part"), d.toText());
  }

  @Test
  void testDecide_withoutUpstreamNotesNothingChanges() {
    GateDecision d = UpgradeGate.decide("keycloak", "10.7.1+26.4.0", "10.8.0", PUBLISHED, NO_RECIPE_NOTES,
        GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertTrue(d.noteSources().isEmpty() && d.warnings().isEmpty());
  }
}
