package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.authority.KnownGoodAuthority;

/**
 * A restore reads the known-good's meta.json with the compact reader where it can (issue 15, row 2) and with
 * jackson-core's parser otherwise: a damaged manifest is still refused before anything is changed, and a meta.json
 * laid out otherwise than warm writes it still restores.
 */
class MetaLayoutRestoreTest {
  @TempDir
  Path tmp;

  @Test
  void testRestore_damagedManifestRefusedBeforeAnyChange_otherLayoutRestores() throws Exception {
    Path vol = Files.createDirectory(tmp.resolve("vol"));
    for (int d = 0; d < 5; d++) {
      Path dir = Files.createDirectory(vol.resolve("d" + d));
      for (int f = 0; f < 50; f++) {
        Files.writeString(dir.resolve("f" + f), "x" + f);
      }
    }
    SnapshotStore store = SnapshotStore.open(tmp.resolve("store"));
    SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
        SnapshotTag.of("c", "1"), QuiescenceCheck.assumeQuiet(), Progress.none());
    Path file = store.directory().resolve("snap-" + meta.id()).resolve("meta.json");
    byte[] good = Files.readAllBytes(file);
    String json = new String(gunzip(good), StandardCharsets.UTF_8);
    Files.writeString(vol.resolve("d3/f7"), "changed since the snapshot");
    Files.writeString(vol.resolve("added"), "new");

    // The last entry's size out of the long's range, in a valid gzip stream: the compact reader gives up, the
    // parser refuses, and the restore says so with the volume as it was.
    int last = json.lastIndexOf("\"size\":");
    String damaged = json.substring(0, last) + "\"size\":92233720368547758070" + json.substring(json.indexOf(',',
        last));
    Files.write(file, gzip(damaged.getBytes(StandardCharsets.UTF_8)));
    Map<String, Path> vols = Map.of("data", vol);
    SnapshotException e = assertThrows(SnapshotException.class,
        () -> store.restore(vols, QuiescenceCheck.assumeQuiet(), false, Progress.none()));
    assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    assertEquals("changed since the snapshot", Files.readString(vol.resolve("d3/f7")));
    assertEquals("new", Files.readString(vol.resolve("added")));

    // Pretty-printed (as no warm version wrote it, but a reader must take any layout): read by the parser.
    SnapshotMeta parsed = MetaJson.read(json.getBytes(StandardCharsets.UTF_8));
    byte[] pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(parsed);
    assertEquals(null, CompactMetaReader.read(pretty));
    Files.write(file, gzip(pretty));
    VerifyReport r = store.restore(vols, QuiescenceCheck.assumeQuiet(), false, Progress.none());
    assertTrue(r.identical());
    assertEquals("x7", Files.readString(vol.resolve("d3/f7")));
    assertTrue(Files.notExists(vol.resolve("added")));

    Files.write(file, good);
    assertTrue(store.verify(vols, false).identical());
  }

  private static byte[] gunzip(byte[] b) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }
}
