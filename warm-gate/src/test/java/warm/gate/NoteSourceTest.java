package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate on published versions and a note source (what the platform adapter gives it), with a fake source. */
class NoteSourceTest {
  private static final PublishedVersions PUBLISHED =
      PublishedVersions.of(List.of("1.0.0+1.0", "1.1.0+1.1", "1.2.0+1.2", "1.3.0+1.3", "2.0.0+2.0", "junk"));

  /** Answers from a map; records what the gate asked. */
  private static class MapSource implements ReleaseNoteSource {
    final Map<String, NoteLookup> notes;
    final List<String> listed;
    final List<String> asked = new ArrayList<>();

    MapSource(Map<String, NoteLookup> notes, List<String> listed) {
      this.notes = notes;
      this.listed = listed;
    }

    @Override
    public NoteLookup lookup(String version) {
      asked.add(version);
      NoteLookup n = notes.get(version);
      if (n == null && version.equals("1.3.0+1.3")) {
        throw new IllegalStateException("git timed out");
      }
      return n == null ? NoteLookup.absent() : n;
    }

    @Override
    public List<String> listedVersions() {
      return listed;
    }
  }

  private static List<String> reasons(GateDecision d) {
    return d.reasons().stream().map(r -> r.code() + " " + r.version()).toList();
  }

  @Test
  void testDecide_asksForEveryPublishedVersionInRangeAndTheTarget() {
    MapSource s = new MapSource(Map.of("1.1.0+1.1", new NoteLookup.Found("Bump image\n", false),
        "1.2.0+1.2", new NoteLookup.Found("<p><b>ATTENTION</b>: reindex by hand</p>", false)), List.of());
    GateDecision d = UpgradeGate.decide("app", "1.0.0+1.0", "1.2.0+1.2", PUBLISHED, s, GatePolicy.defaults());
    assertEquals(List.of("1.1.0+1.1", "1.2.0+1.2"), s.asked);
    assertEquals(List.of("MANUAL_MIGRATION 1.2.0+1.2"), reasons(d), d.toText());
    assertEquals(List.of("ATTENTION: reindex by hand"), d.reasons().get(0).quotes(), "HTML notes become text");
  }

  @Test
  void testDecide_unreadableTruncatedOrFailingNotesHold() {
    MapSource s = new MapSource(Map.of("1.1.0+1.1", new NoteLookup.Unreadable("release/1.1.0+1.1 is a symbolic link"),
        "1.2.0+1.2", new NoteLookup.Found("Bump image\n", true)), List.of());
    GateDecision d = UpgradeGate.decide("app", "1.0.0+1.0", "1.3.0+1.3", PUBLISHED, s, GatePolicy.defaults());
    assertEquals(List.of("UNREADABLE_NOTE 1.1.0+1.1", "UNREADABLE_NOTE 1.2.0+1.2", "UNREADABLE_NOTE 1.3.0+1.3"),
        reasons(d), d.toText());
    assertTrue(d.reasons().get(2).detail().contains("git timed out"), d.toText());
  }

  @Test
  void testDecide_listedUnpublishedNoteCounts_andAListingFailureHolds() {
    MapSource s = new MapSource(Map.of("1.1.5+1.1", new NoteLookup.Found("You must migrate the DB.\n", false)),
        List.of("1.1.5+1.1", "next", "0.9.0+0.9", "9.0.0+9.0"));
    GateDecision d = UpgradeGate.decide("app", "1.0.0+1.0", "1.2.0+1.2", PUBLISHED, s, GatePolicy.defaults());
    assertEquals(List.of("1.1.0+1.1", "1.1.5+1.1", "1.2.0+1.2"), s.asked, "only versions in range are asked");
    assertEquals(List.of("MANUAL_MIGRATION 1.1.5+1.1"), reasons(d), d.toText());

    ReleaseNoteSource failing = new MapSource(Map.of(), List.of()) {
      @Override
      public List<String> listedVersions() {
        throw new GateException("release/ has more than 10000 entries; stopped listing");
      }
    };
    GateDecision held = UpgradeGate.decide("app", "1.0.0+1.0", "1.1.0+1.1", PUBLISHED, failing, GatePolicy.defaults());
    assertEquals(List.of("UNREADABLE_NOTE null"), reasons(held), held.toText());
  }

  @Test
  void testDecideLatest_picksTheNewestStableAndReportsIgnoredTags() {
    MapSource s = new MapSource(Map.of(), List.of());
    GateDecision d = UpgradeGate.decideLatest("app", "1.3.0+1.3", PUBLISHED, s, GatePolicy.defaults());
    assertEquals("2.0.0+2.0", d.to());
    assertEquals(List.of("MAJOR_BUMP 2.0.0+2.0"), reasons(d));
    assertEquals(List.of("junk"), d.ignoredTags());
    RecipeCheckoutException e = assertThrows(RecipeCheckoutException.class, () -> UpgradeGate.decideLatest("app",
        "1.0.0+1.0", PublishedVersions.of(List.of("nightly")), s, GatePolicy.defaults()));
    assertTrue(e.getMessage().contains("recipe app has no release tag") && e.getMessage().contains("nightly"),
        e.getMessage());
  }
}
