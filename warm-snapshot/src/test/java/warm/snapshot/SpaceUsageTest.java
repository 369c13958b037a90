package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interval arithmetic behind counting shared extents once, and what a measure of plain files reports. */
class SpaceUsageTest {
  @TempDir
  Path tmp;

  @Test
  void testUnion_overlapsAndGapsCountOnce() {
    assertEquals(0, SpaceUsage.union(List.of()));
    assertEquals(10, SpaceUsage.union(List.of(new long[] {0, 10}, new long[] {0, 10})));
    assertEquals(15, SpaceUsage.union(List.of(new long[] {0, 10, 20, 25}, new long[] {5, 8})));
    assertEquals(30, SpaceUsage.union(List.of(new long[] {10, 20}, new long[] {0, 15, 18, 30})));
    assertEquals(20, SpaceUsage.union(List.of(new long[] {0, 10}, new long[] {10, 20})));
  }

  /** The union equals the number of distinct unit blocks any interval covers (a bitmap model). */
  @Test
  void testUnion_matchesABitmapModel() {
    qt().forAll(lists().of(integers().between(0, 200)).ofSizeBetween(0, 40))
        .checkAssert(ns -> {
          BitSet bits = new BitSet();
          long[] flat = new long[ns.size() / 2 * 2];
          for (int i = 0; i + 1 < ns.size(); i += 2) {
            int a = Math.min(ns.get(i), ns.get(i + 1));
            int b = Math.max(ns.get(i), ns.get(i + 1));
            flat[i] = a;
            flat[i + 1] = b;
            bits.set(a, b);
          }
          assertEquals(bits.cardinality(), SpaceUsage.union(List.of(flat)));
        });
  }

  @Test
  void testMeasure_missingRootsCountNothing_hardLinksOnce() throws Exception {
    Path a = Files.createDirectory(tmp.resolve("a"));
    Files.write(a.resolve("f"), new byte[100_000]);
    Files.createLink(a.resolve("g"), a.resolve("f"));
    SpaceUsage.Report r = SpaceUsage.measure(Map.of("x", List.of(a, tmp.resolve("absent"))));
    assertEquals(1, r.files(), r.toString());
    assertEquals(0, r.problemCount(), r.toString());
    SpaceUsage.Report none = SpaceUsage.measure(Map.of("x", List.of(tmp.resolve("absent"))));
    assertEquals(0, none.totalBytes());
    assertEquals(Map.of("x", 0L), none.parts());
  }
}
