package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.authority.KnownGoodAuthority;

/**
 * Issue 15: a reflinked known-good of an unchanged volume should cost about what a {@code cp --reflink} copy costs;
 * the manifest of 20k small files was 2 MiB of JSON (1 % of the data). meta.json is therefore written compressed,
 * and one written uncompressed by an earlier version still reads.
 */
class MetaSizeTest {
  @TempDir
  Path tmp;

  @Test
  void testMetaJson_isCompressedAndOldPlainOnesStillRead() throws Exception {
    Path vol = Files.createDirectory(tmp.resolve("vol"));
    for (int d = 0; d < 20; d++) {
      Path dir = Files.createDirectory(vol.resolve("d" + d));
      for (int f = 0; f < 100; f++) {
        Files.writeString(dir.resolve("f" + f), "x" + f);
      }
    }
    SnapshotStore store = SnapshotStore.open(tmp.resolve("store"));
    SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
        SnapshotTag.of("c", "1"), QuiescenceCheck.assumeQuiet(), Progress.none());
    Path file = store.directory().resolve("snap-" + meta.id()).resolve("meta.json");
    byte[] stored = Files.readAllBytes(file);
    byte[] plain = gunzip(stored);
    assertTrue(stored.length * 4 < plain.length, "meta.json of 2000 files: " + stored.length + " bytes stored, "
        + plain.length + " bytes of JSON");
    assertEquals(2021, store.knownGood().orElseThrow().volumes().get("data").entries());

    Files.write(file, plain); // as an earlier version wrote it
    assertEquals(meta.id(), store.knownGood().orElseThrow().id());
    assertEquals(2021, store.knownGood().orElseThrow().volumes().get("data").manifest().size());
    assertTrue(store.verify(Map.of("data", vol), false).identical());
  }

  private static byte[] gunzip(byte[] b) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
