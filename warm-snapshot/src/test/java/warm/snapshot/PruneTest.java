package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.authority.KnownGoodAuthority;

/** D2: prune never removes a snapshot a record names, nor any snapshot while there is no known-good link. */
class PruneTest {
  @TempDir
  Path tmp;

  private SnapshotStore store;
  private Path vol;

  private String snap(String content) throws Exception {
    Files.writeString(vol.resolve("f"), content);
    return store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of(content, "1"), QuiescenceCheck.assumeQuiet(),
        Progress.none()).id();
  }

  private List<String> ids() {
    return store.list().stream().map(SnapshotInfo::id).toList();
  }

  private void setUp() throws Exception {
    vol = Files.createDirectory(tmp.resolve("vol"));
    store = SnapshotStore.open(tmp.resolve("app/snapshots"));
  }

  @Test
  void missingLinkRemovesNothing() throws Exception {
    setUp();
    String only = snap("one");
    Files.delete(store.directory().resolve("known-good"));
    Files.createDirectory(store.directory().resolve(".tmp-snap-leftover"));
    List<String> removed = store.prune(Set.of());
    assertEquals(List.of(".tmp-snap-leftover"), removed.stream().filter(r -> r.startsWith(".tmp")).toList());
    assertEquals(List.of(only), ids(), "the only snapshot survives a prune without a known-good link");
    assertFalse(Files.exists(store.directory().resolve(".tmp-snap-leftover")));
  }

  @Test
  void namedSnapshotsAreKept() throws Exception {
    setUp();
    String old = snap("one");
    // A second snapshot not made known-good, then the known-good moves to a third: 'old' is named by a record.
    String other = store.snapshot(Map.of("data", vol), SnapshotTag.of("x", "1"), QuiescenceCheck.assumeQuiet(),
        Progress.none()).id();
    Files.writeString(vol.resolve("f"), "three");
    String kg = store.snapshot(Map.of("data", vol), SnapshotTag.of("three", "1"), QuiescenceCheck.assumeQuiet(),
        Progress.none()).id();
    store.makeKnownGood(KnownGoodAuthority.grant(), kg);
    List<String> removed = store.prune(Set.of(old));
    assertEquals(List.of("snap-" + other), removed);
    assertEquals(List.of(old, kg).stream().sorted().toList(), ids());
  }

  /** warm prune removes exactly what it listed: only the given superseded ids, never one the rules keep. */
  @Test
  void pruneOnlyListedIds_andLeftoversAreListedWithoutTouching() throws Exception {
    setUp();
    String kg = snap("three");
    // Two more that never became the known-good (a snapshot as known-good removes the others itself).
    String a = store.snapshot(Map.of("data", vol), SnapshotTag.of("a", "1"), QuiescenceCheck.assumeQuiet(),
        Progress.none()).id();
    String b = store.snapshot(Map.of("data", vol), SnapshotTag.of("b", "1"), QuiescenceCheck.assumeQuiet(),
        Progress.none()).id();
    Files.createDirectory(store.directory().resolve(".tmp-snap-dead"));
    assertEquals(List.of(".tmp-snap-dead"), store.leftovers());
    assertTrue(Files.exists(store.directory().resolve(".tmp-snap-dead")), "listing changes nothing");
    List<String> removed = store.prune(Set.of(), Set.of(a, kg));
    assertEquals(List.of(".tmp-snap-dead", "snap-" + a), removed, "the known-good is never removed, even listed");
    // Ids of one second sort by their random part: compare as sets.
    assertEquals(Set.of(kg, b), Set.copyOf(ids()), "an unlisted superseded snapshot stays");
    assertEquals(List.of(), store.leftovers());
    assertEquals(List.of(), SnapshotStore.open(tmp.resolve("none")).leftovers(), "no store: no leftovers");
  }

  @Test
  void repairPointsMissingLinkAtNamedSnapshot() throws Exception {
    setUp();
    String id = snap("one");
    Files.delete(store.directory().resolve("known-good"));
    assertTrue(store.repairKnownGood(KnownGoodAuthority.grant(), id), "link was missing: repaired");
    assertEquals(id, store.knownGoodId().orElseThrow());
    assertFalse(store.repairKnownGood(KnownGoodAuthority.grant(), id), "link present: nothing to repair");
    String other = snap("two");
    assertFalse(store.repairKnownGood(KnownGoodAuthority.grant(), id), "an existing link is never moved by a repair");
    assertEquals(other, store.knownGoodId().orElseThrow());
    Files.delete(store.directory().resolve("known-good"));
    SnapshotException e = assertThrows(SnapshotException.class,
        () -> store.repairKnownGood(KnownGoodAuthority.grant(), "20200101T000000Z-00000000"));
    assertEquals(SnapshotException.Kind.USAGE, e.kind());
    assertTrue(store.knownGoodId().isEmpty(), "a refused repair changes nothing");
  }
}
