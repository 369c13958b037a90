package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change record's file: round trip, and every torn or foreign form refused with a reason. */
class ChangeRecordTest {
  private static final ChangeRecord.Seen ROOT = new ChangeRecord.Seen(".", Stat.S_IFDIR, 2, 7, 0, 10, 20, null);
  private static final ChangeRecord.Seen LINK = new ChangeRecord.Seen("l", Stat.S_IFLNK, 3, 7, 0, 10, 20, "t");
  private static final ChangeRecord.Seen FILE = new ChangeRecord.Seen("a/f", Stat.S_IFREG, 4, 7, 5, 11, -1, null);

  @Test
  void testRoundTrip(@TempDir Path dir) throws Exception {
    ChangeRecord r = new ChangeRecord("20261130T000000Z-0000abcd", Map.of("data", List.of(ROOT, LINK, FILE)));
    Path f = dir.resolve("change-record");
    r.write(f);
    ChangeRecord.Loaded l = ChangeRecord.load(f);
    assertNull(l.refusal());
    assertEquals(r, l.record());
  }

  /** Stored compressed: the entries' stat fields are mostly alike (issue 15 row 6 counts the store's extra disk). */
  @Test
  void testWrite_storesTheRecordCompressed(@TempDir Path dir) throws Exception {
    List<ChangeRecord.Seen> many = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(new ChangeRecord.Seen("dir/sub/file-" + i + ".dat", Stat.S_IFREG, 1_000_000 + i, 64_769, 10_240,
          1_764_000_000_000_000_000L + i * 1000L, 1_764_000_000_500_000_000L + i * 1000L, null));
    }
    ChangeRecord r = new ChangeRecord("id", Map.of("data", many));
    Path f = dir.resolve("change-record");
    r.write(f);
    long raw = r.encode().length;
    assertTrue(Files.size(f) * 3 < raw, "stored " + Files.size(f) + " bytes for " + raw + " raw");
    assertEquals(r, ChangeRecord.load(f).record());
    // A record written before it was compressed (the raw encoding) is not trusted: the next restore is full, once.
    Files.write(f, r.encode());
    assertRefused(f, "not trusted");
  }

  /** The bytes a snapshot encodes ahead (stored) are the file write() writes; null past the bound removes it. */
  @Test
  void testStored_isTheFileWriteWrites(@TempDir Path dir) throws Exception {
    ChangeRecord r = new ChangeRecord("id", Map.of("data", List.of(ROOT, LINK, FILE)));
    Path f = dir.resolve("change-record");
    r.write(f);
    Path g = dir.resolve("change-record-2");
    ChangeRecord.replace(g, r.stored());
    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g));
    assertEquals(r, ChangeRecord.load(g).record());
    ChangeRecord.write(g, null);
    assertFalse(Files.exists(g), "a record past the bound is removed, not kept stale");
  }

  /** The margin counts from the last write: a restore whose flush outlasted it does not wait again. */
  @Test
  void testSettle_waitsOnlyWhatIsLeftOfTheMargin() {
    long t0 = System.nanoTime();
    ChangeRecord.settle(t0);
    assertTrue(System.nanoTime() - t0 >= ChangeRecord.CLOCK_MARGIN.toNanos(), "a fresh write waits the margin");
    long longAgo = System.nanoTime() - ChangeRecord.CLOCK_MARGIN.toNanos() * 40;
    long t1 = System.nanoTime();
    ChangeRecord.settle(longAgo);
    long waited = System.nanoTime() - t1;
    assertTrue(waited < ChangeRecord.CLOCK_MARGIN.toNanos(), "waited " + waited / 1_000_000 + " ms again");
  }

  @Test
  void testLoad_tornOrEditedIsRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("change-record");
    new ChangeRecord("id", Map.of("data", List.of(ROOT, FILE))).write(f);
    byte[] good = Files.readAllBytes(f);
    for (int cut : new int[] {1, 32, good.length / 2, good.length - 1}) {
      Files.write(f, Arrays.copyOf(good, good.length - cut));
      assertRefused(f, "not trusted");
    }
    for (int i = 0; i < good.length; i += 7) {
      byte[] b = good.clone();
      b[i] ^= 0x10;
      Files.write(f, b);
      assertRefused(f, "not trusted");
    }
    Files.delete(f);
    assertRefused(f, "no change record");
  }

  /** Names and link targets beyond ASCII (two-byte, three-byte and supplementary characters) come back as written. */
  @Test
  void testRoundTrip_nonAsciiNames(@TempDir Path dir) throws Exception {
    ChangeRecord.Seen e = new ChangeRecord.Seen("ä/é€/\uD83D\uDE00 x", Stat.S_IFLNK, 9, 7, 0, 10, 20, "../ü\uD83D\uDE00");
    ChangeRecord r = new ChangeRecord("id", Map.of("vol-ü", List.of(ROOT, e)));
    Path f = dir.resolve("change-record");
    r.write(f);
    assertEquals(r, ChangeRecord.load(f).record());
  }

  /**
   * A record of the previous format (a SHA-256 trailer, DataOutputStream's strings) is refused, not misread: the
   * first restore after the upgrade is full, once.
   */
  @Test
  void testLoad_theSha256FormatIsRefused(@TempDir Path dir) throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(buf);
    out.write("WARM-CHANGE-RECORD-1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.writeUTF("id");
    out.writeInt(1);
    out.writeUTF("data");
    out.writeInt(1);
    out.writeUTF(".");
    out.writeInt(Stat.S_IFDIR);
    for (long v : new long[] {2, 7, 0, 10, 20}) {
      out.writeLong(v);
    }
    out.writeBoolean(false);
    out.flush();
    byte[] body = buf.toByteArray();
    byte[] all = Arrays.copyOf(body, body.length + 32);
    System.arraycopy(java.security.MessageDigest.getInstance("SHA-256").digest(body), 0, all, body.length, 32);
    Path f = dir.resolve("change-record");
    Files.write(f, ChangeRecord.deflate(all));
    assertRefused(f, "not a change record of this format");
  }

  @Test
  void testUnchangedIn_anyStatFieldMoved() {
    ChangeRecord.Seen s = new ChangeRecord.Seen("f", Stat.S_IFREG, 4, 7, 5, 11, 12, null);
    assertTrue(s.unchangedIn(s));
    assertFalse(s.unchangedIn(new ChangeRecord.Seen("f", Stat.S_IFREG, 4, 7, 5, 11, 13, null)), "ctime");
    assertFalse(s.unchangedIn(new ChangeRecord.Seen("f", Stat.S_IFREG, 5, 7, 5, 11, 12, null)), "inode");
    assertFalse(s.unchangedIn(new ChangeRecord.Seen("f", Stat.S_IFREG, 4, 7, 6, 11, 12, null)), "size");
    assertFalse(s.unchangedIn(new ChangeRecord.Seen("f", Stat.S_IFREG, 4, 7, 5, 10, 12, null)), "mtime");
    assertFalse(s.unchangedIn(new ChangeRecord.Seen("f", Stat.S_IFDIR, 4, 7, 5, 11, 12, null)), "type");
    assertFalse(LINK.unchangedIn(new ChangeRecord.Seen("l", Stat.S_IFLNK, 3, 7, 0, 10, 20, "u")), "link target");
    assertFalse(FILE.unchangedIn(FILE), "an untrusted entry is always changed");
  }

  @Test
  void testOfSnapshot_trustsOnlyWhatWasTheSameBeforeTheCopyAndOlderThanIt() {
    long start = 1_000_000_000_000L;
    ChangeRecord.Seen old = new ChangeRecord.Seen("o", Stat.S_IFREG, 4, 7, 5, 1, start - 1_000_000_000L, null);
    ChangeRecord.Seen fresh = new ChangeRecord.Seen("n", Stat.S_IFREG, 5, 7, 5, 1, start - 1_000_000L, null);
    ChangeRecord.Seen moved = new ChangeRecord.Seen("m", Stat.S_IFREG, 6, 7, 5, 1, start - 1_000_000_000L, null);
    ChangeRecord.Seen movedAfter = new ChangeRecord.Seen("m", Stat.S_IFREG, 6, 7, 5, 1, start + 5, null);
    SnapshotSeen seen = new SnapshotSeen();
    seen.add(fresh, fresh);
    seen.add(moved, movedAfter);
    seen.add(old, old);
    ChangeRecord r = ChangeRecord.ofSnapshot("id", start, Map.of("v", seen));
    List<ChangeRecord.Seen> v = r.volumes().get("v");
    assertEquals(List.of("m", "n", "o"), v.stream().map(ChangeRecord.Seen::path).toList(), "sorted by path");
    assertEquals(movedAfter.untrusted(), v.get(0), "changed during the copy: as seen after it, untrusted");
    assertEquals(fresh.untrusted(), v.get(1), "ctime within the clock margin of the walk");
    assertEquals(old, v.get(2));
  }

  private static void assertRefused(Path f, String why) {
    ChangeRecord.Loaded l = ChangeRecord.load(f);
    assertNull(l.record());
    assertNotNull(l.refusal());
    assertTrue(l.refusal().contains(why), l.refusal());
  }
}
