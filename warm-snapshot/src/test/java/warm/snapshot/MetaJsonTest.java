package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * meta.json is written by a streaming writer instead of databind (issue 15: building an ObjectMapper was a large
 * part of a snapshot command's fixed cost). Readers still use databind, and meta.json files of earlier versions must
 * keep reading, so the writer must produce exactly what databind writes for the same {@link SnapshotMeta}.
 */
class MetaJsonTest {
  private static final ObjectMapper DATABIND = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Test
  void testWrite_equalsDatabindByteForByte_everyMethodTypeAndOptionalField() throws Exception {
    for (Method method : Method.values()) {
      for (SnapshotTag tag : List.of(SnapshotTag.of(null, null), SnapshotTag.of("abc123", "1.2.0+3.4"))) {
        assertSame(meta(method, tag, hostileEntries()));
      }
    }
    assertSame(new SnapshotMeta(1, "20261130T191139Z-11b34bba", "2026-11-30T19:11:39.5Z", Method.REFLINK,
        SnapshotTag.of("c", "v"), -1, new TreeMap<>()));
    assertSame(new SnapshotMeta(1, null, null, null, null, 0, null));
    Map<String, VolumeMeta> noManifest = new TreeMap<>();
    noManifest.put("v", new VolumeMeta("v", 0, -1, 0, null));
    assertSame(new SnapshotMeta(1, "x", "y", Method.TAR, SnapshotTag.of("c", null), 0, noManifest));
  }

  /** Random names, link targets, xattrs (control characters, quotes, non-ASCII) and numbers of either sign. */
  @Test
  void testWrite_equalsDatabind_randomEntries() {
    qt().withExamples(300)
        .forAll(strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 12), strings().basicLatinAlphabet().ofLengthBetween(0, 6),
            longs().all(), integers().all())
        .checkAssert((name, text, number, small) -> {
          Map<String, String> xattrs = new LinkedHashMap<>();
          xattrs.put("user." + name, text);
          xattrs.put("user.b", name);
          List<ManifestEntry> entries = List.of(
              new ManifestEntry(name, ManifestEntry.Type.FILE, small, small, ~small, number, -number, null, text,
                  null, xattrs, name),
              new ManifestEntry(text + "/" + name, ManifestEntry.Type.SYMLINK, 0777, 0, 0, 0, number, name, null,
                  number, null, null));
          try {
            assertSame(meta(Method.TAR, SnapshotTag.of(name, text), entries));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  static SnapshotMeta meta(Method method, SnapshotTag tag, List<ManifestEntry> entries) {
    Map<String, VolumeMeta> volumes = new TreeMap<>();
    volumes.put("data", new VolumeMeta("data", 123_456_789_012L, 4096, entries.size(), entries));
    volumes.put("db", new VolumeMeta("db", 0, -1, 1, List.of(root())));
    return new SnapshotMeta(SnapshotMeta.FORMAT, "20261130T191139Z-11b34bba", "2026-11-30T19:11:39.123456Z", method,
        tag, 9_876_543_210L, volumes);
  }

  private static ManifestEntry root() {
    return new ManifestEntry(".", ManifestEntry.Type.DIR, 0755, 0, 0, 0, 1_795_811_080_644_967_829L, null, null, null,
        null, null);
  }

  static List<ManifestEntry> hostileEntries() {
    List<ManifestEntry> out = new ArrayList<>();
    out.add(root());
    Map<String, String> xattrs = new TreeMap<>();
    xattrs.put("user.bin", "AAEC/w==");
    xattrs.put("security.selinux", "c3lzdGVtX3U=");
    String hostile = "sub/f \"quoted\" \\ é ✓ \uD83D\uDE00 \u0001\t\n\u007f\u2028";
    out.add(new ManifestEntry(hostile, ManifestEntry.Type.FILE, 07755, 100000, 1000, Long.MAX_VALUE,
        Long.MIN_VALUE, null, null, null, xattrs, "e3b0c44298fc1c149afbf4c8996fb924"));
    out.add(new ManifestEntry("sub/link", ManifestEntry.Type.SYMLINK, 0777, 0, 0, 3, -1, "../../etc/passwd", null,
        null, Map.of(), null));
    out.add(new ManifestEntry("sub/hard", ManifestEntry.Type.FILE, 0644, 0, 0, 5, 0, null, "sub/f", null, null, null));
    out.add(new ManifestEntry("fifo", ManifestEntry.Type.FIFO, 0600, 1, 2, 0, 7, null, null, null, null, null));
    out.add(new ManifestEntry("null", ManifestEntry.Type.CHAR, 0666, 0, 0, 0, 7, null, null, 259L, null, null));
    out.add(new ManifestEntry("loop", ManifestEntry.Type.BLOCK, 0660, 0, 6, 0, 7, null, null, 1792L, null, null));
    return out;
  }

  private static void assertSame(SnapshotMeta meta) throws Exception {
    byte[] expected = DATABIND.writeValueAsBytes(meta);
    byte[] written = MetaJson.write(meta);
    assertArrayEquals(expected, written, () -> "databind: " + new String(expected, StandardCharsets.UTF_8)
        + "\nMetaJson: " + new String(written, StandardCharsets.UTF_8));
    assertEquals(meta, DATABIND.readValue(written, SnapshotMeta.class));
    assertEquals(meta, MetaJson.read(written));
    assertEquals(meta, CompactMetaReader.read(written), "what MetaJson writes, the compact reader reads");
    assertEquals(meta, MetaJson.parse(written));
  }

  /** Files databind reads, written otherwise than by MetaJson: the streaming reader gives the same value. */
  @Test
  void testRead_equalsDatabind_reorderedUnknownMissingAndNullFields() throws Exception {
    String[] files = {
        "{\"volumes\":{\"v\":{\"manifest\":[{\"xattrs\":{\"user.a\":\"AA==\",\"user.b\":null},\"path\":\"a\","
            + "\"future\":{\"x\":[1,{\"y\":[]}]},\"type\":\"FILE\",\"rdev\":null,\"mode\":420},null,"
            + "{\"path\":\"d\",\"type\":\"CHAR\",\"rdev\":259,\"mode\":null,\"uid\":-1}],\"entries\":3,"
            + "\"extra\":[[],[{}]],\"name\":\"v\"},\"w\":null},\"id\":\"i\",\"format\":1,\"method\":\"copy\","
            + "\"unknown\":true,\"tag\":{\"version\":\"9\",\"more\":1.5},\"storeBytes\":-1}",
        "{}",
        "{\"format\":null,\"id\":null,\"createdAt\":null,\"method\":null,\"tag\":null,\"storeBytes\":null,"
            + "\"volumes\":null}",
        "{\"volumes\":{\"v\":{\"manifest\":null,\"logicalBytes\":9223372036854775807}}}",
        "{\"id\":\"first\",\"id\":\"last\",\"volumes\":{\"v\":{\"manifest\":[]}}} trailing",
    };
    for (String f : files) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      assertEquals(DATABIND.readValue(b, SnapshotMeta.class), MetaJson.read(b), f);
    }
  }

  /** Malformed files fail with an IOException (the store reports "cannot read meta.json"), never a wrong value. */
  @Test
  void testRead_malformedIsRefused() {
    String[] files = {"", "[]", "\"meta\"", "{\"id\":\"x\"", "{\"method\":\"zfs\"}", "{\"format\":\"1\"}",
        "{\"storeBytes\":1.5}", "{\"format\":4294967296}", "{\"volumes\":[]}", "{\"volumes\":{\"v\":{\"manifest\":{}}}}",
        "{\"volumes\":{\"v\":{\"manifest\":[{\"type\":\"SOCKET\"}]}}}", "{\"tag\":\"v1\"}",
        "{\"volumes\":{\"v\":{\"manifest\":[{\"xattrs\":{\"user.a\":1}}]}}}", "{\"volumes\":{\"v\":{\"manifest\":[1]}}}"};
    for (String f : files) {
      assertThrows(IOException.class, () -> MetaJson.read(f.getBytes(StandardCharsets.UTF_8)), f);
    }
  }
}
