package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import warm.snapshot.ManifestEntry;
import warm.snapshot.ManifestEntry.Type;

/** The planner's decisions on hand-made stats (the real trees are DeltaRestorePropertyIT's). */
class DeltaPlanTest {
  private static final DeltaPlan.Limit NO_LIMIT = new DeltaPlan.Limit(Integer.MAX_VALUE, 1);

  private static ManifestEntry dir(String p) {
    return new ManifestEntry(p, Type.DIR, 0755, 0, 0, 0, 1, null, null, null, null, null);
  }

  private static ManifestEntry file(String p, String linkOf) {
    return new ManifestEntry(p, Type.FILE, 0644, 0, 0, 3, 1, null, linkOf, null, null, null);
  }

  private static ChangeRecord.Seen seen(String p, int type, long ino, long ctime) {
    return new ChangeRecord.Seen(p, type, ino, 9, type == Stat.S_IFREG ? 3 : 0, 1, ctime, null);
  }

  private static final List<ManifestEntry> MANIFEST = List.of(dir("."), dir("a"), file("a/f", null),
      file("a/g", "a/f"), file("b", null));
  private static final List<ChangeRecord.Seen> RECORD = List.of(seen(".", Stat.S_IFDIR, 1, 5),
      seen("a", Stat.S_IFDIR, 2, 5), seen("a/f", Stat.S_IFREG, 3, 5), seen("a/g", Stat.S_IFREG, 3, 5),
      seen("b", Stat.S_IFREG, 4, 5));

  private static List<ChangeRecord.Seen> now(ChangeRecord.Seen... changes) {
    List<ChangeRecord.Seen> out = new ArrayList<>(RECORD);
    for (ChangeRecord.Seen c : changes) {
      out.removeIf(s -> s.path().equals(c.path()));
      if (c.typeBits() != 0) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparing(ChangeRecord.Seen::path));
    return out;
  }

  @Test
  void testOf_untouchedVolumeTouchesNothing() {
    DeltaPlan p = DeltaPlan.of(RECORD, now(), MANIFEST, NO_LIMIT);
    assertTrue(p.isDelta());
    assertEquals(0, p.touched());
  }

  @Test
  void testOf_addedRemovedChanged() {
    DeltaPlan p = DeltaPlan.of(RECORD, now(seen("a/new", Stat.S_IFREG, 7, 6), seen("b", Stat.S_IFREG, 4, 6),
        seen("a", Stat.S_IFDIR, 2, 6)), MANIFEST, NO_LIMIT);
    assertEquals(List.of("a/new", "b"), p.remove());
    assertEquals(List.of("b"), p.restore().stream().map(ManifestEntry::path).toList());
    assertEquals(List.of("a", "."), p.fixDirs().stream().map(ManifestEntry::path).toList(), "children first");
  }

  @Test
  void testOf_changedHardLinkLinksToTheKeptMember() {
    DeltaPlan p = DeltaPlan.of(RECORD, now(seen("a/g", 0, 0, 0)), MANIFEST, NO_LIMIT);
    assertEquals(List.of("a/g"), p.restore().stream().map(ManifestEntry::path).toList());
    assertEquals("a/f", p.keptLinks().get("a/f"));
  }

  @Test
  void testOf_dirReplacedByAFileTakesItsSubtree() {
    DeltaPlan p = DeltaPlan.of(RECORD, now(seen("a", Stat.S_IFREG, 8, 6), seen("a/f", 0, 0, 0), seen("a/g", 0, 0, 0)),
        MANIFEST, NO_LIMIT);
    assertEquals(List.of("a"), p.remove());
    assertEquals(List.of("a", "a/f", "a/g"), p.restore().stream().map(ManifestEntry::path).toList());
  }

  @Test
  void testOf_refusals() {
    assertTrue(DeltaPlan.of(RECORD, now(seen(".", Stat.S_IFDIR, 99, 5)), MANIFEST, NO_LIMIT).refusal()
        .contains("recreated"));
    assertTrue(DeltaPlan.of(RECORD.subList(0, 4), now(), MANIFEST, NO_LIMIT).refusal()
        .contains("does not list"));
    assertTrue(DeltaPlan.of(RECORD, now(seen("b", Stat.S_IFREG, 4, 6)), MANIFEST, new DeltaPlan.Limit(1, 0))
        .refusal().contains("too many changes"));
    assertTrue(DeltaPlan.of(RECORD, now(seen("caf\uFFFD", Stat.S_IFREG, 9, 6)), MANIFEST, NO_LIMIT).refusal()
        .contains("not UTF-8"));
  }
}
