package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compact reader is a shortcut of {@link MetaJson#read}: for any bytes it either gives up (null) or gives exactly
 * what jackson-core's parser ({@link MetaJson#parse}) gives; it must never accept what the parser refuses. What
 * MetaJson writes it reads ({@code MetaJsonTest} checks that on every file it writes).
 */
class CompactMetaReaderTest {
  /** Bytes tried at every position of a written file: structure, numbers, escapes, whitespace, bad UTF-8. */
  private static final byte[] SUBSTITUTES = {' ', '\n', '"', '\\', ',', ':', '{', '}', '[', ']', '0', '9', '-', '.',
      'e', 'n', 'u', 'x', 0x01, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xed, (byte) 0xff};

  @Test
  void testRead_everyTruncationAndSubstitutionOfAWrittenFile_givesUpOrAgreesWithTheParser() throws Exception {
    byte[] written = MetaJson.write(MetaJsonTest.meta(Method.REFLINK, SnapshotTag.of("c", "1.0"),
        MetaJsonTest.hostileEntries()));
    int accepted = 0;
    for (int n = 0; n < written.length; n++) {
      assertNull(CompactMetaReader.read(Arrays.copyOf(written, n)), "truncated at " + n);
    }
    for (int at = 0; at < written.length; at++) {
      for (byte sub : SUBSTITUTES) {
        byte[] b = written.clone();
        b[at] = sub;
        accepted += agreesOrGivesUp(b, "byte " + at + " -> " + (sub & 0xff)) ? 1 : 0;
      }
    }
    // Some substitutions still read (a digit for a digit, a letter inside a name): the comparison above saw them.
    assertEquals(true, accepted > 100, "substitutions read compactly: " + accepted);
  }

  /** Random insertions and deletions of a byte keep the same rule. */
  @Test
  void testRead_randomInsertionsAndDeletions_giveUpOrAgreeWithTheParser() throws Exception {
    byte[] written = MetaJson.write(MetaJsonTest.meta(Method.TAR, SnapshotTag.of(null, null),
        MetaJsonTest.hostileEntries()));
    qt().withExamples(2000)
        .forAll(integers().between(0, written.length - 1), integers().between(0, SUBSTITUTES.length - 1),
            integers().between(0, 1))
        .checkAssert((at, which, insert) -> {
          byte[] b;
          if (insert == 1) {
            b = new byte[written.length + 1];
            System.arraycopy(written, 0, b, 0, at);
            b[at] = SUBSTITUTES[which];
            System.arraycopy(written, at, b, at + 1, written.length - at);
          } else {
            b = new byte[written.length - 1];
            System.arraycopy(written, 0, b, 0, at);
            System.arraycopy(written, at + 1, b, at, written.length - at - 1);
          }
          try {
            agreesOrGivesUp(b, (insert == 1 ? "inserted at " : "deleted at ") + at);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
  }

  /** What MetaJson does not write is left to the parser, which reads (or refuses) it as before. */
  @Test
  void testRead_otherLayouts_giveUp() throws Exception {
    SnapshotMeta meta = MetaJsonTest.meta(Method.COPY, SnapshotTag.of("c", "v"), MetaJsonTest.hostileEntries());
    byte[] pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(meta);
    assertNull(CompactMetaReader.read(pretty));
    assertEquals(meta, MetaJson.read(pretty));
    String[] files = {"", "{", "{} ", "{}x", "{\"future\":1}", "{\"format\":1.0}", "{\"format\":1e3}",
        "{\"format\":01}", "{\"format\":-}", "{\"format\":2147483648}", "{\"storeBytes\":9223372036854775808}",
        "{\"storeBytes\":-9223372036854775809}", "{\"storeBytes\":null}", "{\"id\":\"a\u0001b\"}",
        "{\"id\":\"\\x\"}", "{\"id\":\"\\u12g4\"}", "{\"method\":\"zfs\"}", "{\"pa\\u0074h\":1}",
        "{\"volumes\":{\"v\":{\"manifest\":[{\"type\":\"SOCKET\"}]}}}",
        "{\"volumes\":{\"v\":{\"manifest\":[{\"path\":\"a\",\"mode\":null}]}}}"};
    for (String f : files) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      assertNull(CompactMetaReader.read(b), f);
    }
    byte[] badUtf8 = "{\"id\":\"a\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 3] = (byte) 0xff;
    assertNull(CompactMetaReader.read(badUtf8));
    byte[] longName = ("{\"id\":\"" + "a".repeat(60_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
    assertNull(CompactMetaReader.read(longName));
    assertThrows(IOException.class, () -> MetaJson.read("{\"format\":2147483648}".getBytes(StandardCharsets.UTF_8)));
  }

  /** The edges of each field's range, escapes and characters beyond ASCII read compactly, as the parser reads them. */
  @Test
  void testRead_rangeEdgesEscapesAndUnicode() throws Exception {
    String[] files = {"{}", "{\"format\":-0}", "{\"format\":2147483647,\"storeBytes\":9223372036854775807}",
        "{\"format\":-2147483648,\"storeBytes\":-9223372036854775808}",
        "{\"id\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\udc00\",\"createdAt\":\"\u00e9\u2028\ud83d\ude00\"}",
        "{\"id\":\"first\",\"id\":\"last\",\"tag\":{},\"volumes\":{}}",
        "{\"volumes\":{\"v\":null,\"w\":{},\"v\":{\"manifest\":[null,{},{\"xattrs\":{\"user.\u00e9\":null}}]}}}"};
    for (String f : files) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      SnapshotMeta compact = CompactMetaReader.read(b);
      assertNotNull(compact, f);
      assertEquals(MetaJson.parse(b), compact, f);
    }
  }

  /** A manifest of 20k entries, as the benchmark's volume has. */
  @Test
  void testRead_largeManifest() throws Exception {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      entries.add(new ManifestEntry("d" + i / 100 + "/f" + i, ManifestEntry.Type.FILE, 0644, 0, 0, 10240,
          1_796_142_594_282_262_356L + i, null, null, null, i % 1000 == 0 ? Map.of("user.k", "dg==") : null, null));
    }
    byte[] written = MetaJson.write(MetaJsonTest.meta(Method.REFLINK, SnapshotTag.of(null, null), entries));
    SnapshotMeta compact = CompactMetaReader.read(written);
    assertNotNull(compact);
    assertEquals(MetaJson.parse(written), compact);
  }

  /** True if the compact reader read {@code b}; then the parser must read the same value (never refuse it). */
  private static boolean agreesOrGivesUp(byte[] b, String what) throws IOException {
    SnapshotMeta compact = CompactMetaReader.read(b);
    if (compact == null) {
      return false;
    }
    SnapshotMeta parsed;
    try {
      parsed = MetaJson.parse(b);
    } catch (IOException e) {
      throw new AssertionError(what + ": the compact reader read what the parser refuses ("
          + e.getMessage() + "): " + new String(b, StandardCharsets.UTF_8), e);
    }
    assertEquals(parsed, compact, what);
    return true;
  }
}
