package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link TarWriter} writes exactly the bytes commons-compress's {@link TarArchiveOutputStream} writes with the tar
 * path's settings, whatever the members: short, long (≥ 100 bytes) and non-ASCII names and link targets, every type,
 * sizes around the record, ids and times beyond ustar's fields, device numbers, private PAX records — and the data
 * offset it reports after each header is the library's.
 */
class TarWriterTest {
  private static final List<String> PIECES = List.of("a", "dir", "f0", "ü", "日本", "x y", "L".repeat(60),
      "back\\slash", "%41", "ä".repeat(40));
  private static final List<Long> IDS = List.of(0L, 1000L, 65534L, TarConstants.MAXID,
      TarConstants.MAXID + 1L, 4_294_967_294L);
  private static final List<Long> SECONDS = List.of(0L, 1_700_000_000L, -5L, TarConstants.MAXSIZE,
      TarConstants.MAXSIZE + 1);
  private static final List<Integer> SIZES = List.of(0, 1, 511, 512, 513, 10_240, 70_001);
  private static final List<Integer> DEVS = List.of(0, 8, 4095, 1 << 21, (int) TarConstants.MAXID + 1);

  /** One member as the tar path builds it. */
  record Member(String name, byte type, String link, int size, long uid, long gid, long seconds, int mode,
      int devMajor, int devMinor, int extra) {
    TarArchiveEntry entry() {
      TarArchiveEntry e = new TarArchiveEntry(type == TarConstants.LF_DIR ? name + "/" : name, type);
      if (link != null) {
        e.setLinkName(link);
      }
      if (type == TarConstants.LF_NORMAL) {
        e.setSize(size);
      }
      if (type == TarConstants.LF_CHR || type == TarConstants.LF_BLK) {
        e.setDevMajor(devMajor);
        e.setDevMinor(devMinor);
      }
      e.setMode(mode);
      e.setUserId(uid);
      e.setGroupId(gid);
      e.setUserName("");
      e.setGroupName("");
      e.setModTime(FileTime.from(seconds, TimeUnit.SECONDS));
      if (extra % 3 == 1) {
        e.addPaxHeader(TarArchiver.PAX_XATTR + "user.k" + extra, "dmFsdWU=");
        e.addPaxHeader(TarArchiver.PAX_XATTR + "security.selinux", "c3lzdGVtX3U6b2JqZWN0X3I6ZXRjX3Q6czA=");
      } else if (extra % 3 == 2) {
        e.addPaxHeader(TarArchiver.PAX_MTIME, Long.toString(seconds * 1_000_000_000L + 123_456_789L));
        e.addPaxHeader(TarArchiver.PAX_RAW_PATH, "caf%E9");
      }
      return e;
    }
  }

  static Gen<String> names() {
    return lists().of(Generate.pick(PIECES)).ofSizeBetween(1, 5).map(p -> String.join("/", p));
  }

  static Gen<Member> members() {
    Gen<Byte> types = Generate.pick(List.of(TarConstants.LF_NORMAL, TarConstants.LF_DIR, TarConstants.LF_SYMLINK,
        TarConstants.LF_LINK, TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK));
    Gen<Member> a = names().zip(types, names(), Generate.pick(SIZES), Generate.pick(IDS),
        (n, t, l, s, u) -> new Member(n, t, t == TarConstants.LF_SYMLINK || t == TarConstants.LF_LINK ? l : null, s,
            u, 0, 0, 0644, 0, 0, 0));
    return a.zip(Generate.pick(IDS), Generate.pick(SECONDS), integers().between(0, 07777), Generate.pick(DEVS),
        (m, g, sec, mode, dev) -> new Member(m.name(), m.type(), m.link(), m.size(), m.uid(), g, sec, mode, dev,
            dev / 2, m.size() + mode));
  }

  @Test
  void testWrite_isTheLibrarysArchiveByteForByte() {
    qt().withExamples(300).forAll(lists().of(members()).ofSizeBetween(1, 6)).checkAssert(ms -> {
      try {
        ByteArrayOutputStream lib = new ByteArrayOutputStream();
        ByteArrayOutputStream own = new ByteArrayOutputStream();
        List<Long> libOffsets = new ArrayList<>();
        List<Long> ownOffsets = new ArrayList<>();
        TarArchiveOutputStream l = new TarArchiveOutputStream(lib, "UTF-8");
        l.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        l.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        l.setAddPaxHeadersForNonAsciiNames(true);
        TarWriter o = new TarWriter(own);
        for (Member m : ms) {
          byte[] data = data(m);
          l.putArchiveEntry(m.entry());
          libOffsets.add(l.getBytesWritten());
          l.write(data, 0, data.length / 2);
          l.write(data, data.length / 2, data.length - data.length / 2);
          l.closeArchiveEntry();
          o.putArchiveEntry(m.entry());
          ownOffsets.add(o.getBytesWritten());
          o.write(data, 0, data.length / 2);
          o.write(data, data.length / 2, data.length - data.length / 2);
          o.closeArchiveEntry();
        }
        l.finish();
        o.finish();
        assertArrayEquals(lib.toByteArray(), own.toByteArray(), ms.toString());
        assertEquals(libOffsets, ownOffsets, ms.toString());
        assertEquals(l.getBytesWritten(), o.getBytesWritten());
      } catch (IOException e) {
        throw new AssertionError(ms.toString(), e);
      }
    });
  }

  @Test
  void testPlainFile_isTheLibrarysHeaderOrNullWhenTheMemberNeedsMore() {
    Gen<String> names = names().zip(integers().between(0, 110), (n, pad) -> pad > 100 ? n + "/" + "n".repeat(pad)
        : n);
    Gen<long[]> ids = Generate.pick(IDS).zip(Generate.pick(IDS), (u, g) -> new long[] {u, g});
    qt().withExamples(500).forAll(names, ids, Generate.pick(SIZES), Generate.pick(SECONDS))
        .checkAssert((name, id, size, seconds) -> {
          long uid = id[0];
          long gid = id[1];
          int mode = (int) ((uid + size + seconds) & 07777);
          Member m = new Member(name, TarConstants.LF_NORMAL, null, size, uid, gid, seconds, mode, 0, 0, 0);
          byte[] plain = TarWriter.plainFile(name, mode, uid, gid, size, seconds);
          assertPlainOrNull(m, name, plain);
          assertEquals(plain != null, TarWriter.plainFits(name, mode, uid, gid, size, seconds), m.toString());
          byte[] reused = new byte[TarConstants.DEFAULT_RCDSIZE];
          Arrays.fill(reused, (byte) 0x7f); // another header was formatted in it before
          assertEquals(plain != null, TarWriter.plainFile(reused, name, mode, uid, gid, size, seconds), m.toString());
          if (plain != null) {
            assertArrayEquals(plain, reused, m.toString());
          }
        });
  }

  @Test
  void testPlainDir_isTheLibrarysHeaderOrNullWhenTheMemberNeedsMore() {
    Gen<String> names = names().zip(integers().between(0, 110), (n, pad) -> pad > 90 ? n + "/" + "n".repeat(pad)
        : n);
    Gen<long[]> ids = Generate.pick(IDS).zip(Generate.pick(IDS), (u, g) -> new long[] {u, g});
    qt().withExamples(500).forAll(names, ids, Generate.pick(SECONDS)).checkAssert((name, id, seconds) -> {
      int mode = (int) ((id[0] + seconds) & 07777);
      Member m = new Member(name, TarConstants.LF_DIR, null, 0, id[0], id[1], seconds, mode, 0, 0, 0);
      assertPlainOrNull(m, name + "/", TarWriter.plainDir(name + "/", mode, id[0], id[1], seconds));
    });
    // The archive's root, as the archiver names it.
    TarArchiveEntry root = new TarArchiveEntry("./", TarConstants.LF_DIR);
    root.setMode(0755);
    root.setUserId(0L);
    root.setGroupId(0L);
    root.setUserName("");
    root.setGroupName("");
    root.setModTime(FileTime.from(1_700_000_000L, TimeUnit.SECONDS));
    assertArrayEquals(library(root), TarWriter.plainDir("./", 0755, 0, 0, 1_700_000_000L));
  }

  /**
   * {@code plain} is what the library writes for {@code m} (whose header name is {@code headerName}), or null exactly
   * when the library would give it a PAX header.
   */
  private static void assertPlainOrNull(Member m, String headerName, byte[] plain) {
    boolean fits = headerName.chars().allMatch(c -> c < 0x80) && headerName.length() < TarConstants.NAMELEN
        && m.uid() <= TarConstants.MAXID && m.gid() <= TarConstants.MAXID && m.seconds() >= 0
        && m.seconds() <= TarConstants.MAXSIZE;
    assertEquals(fits, plain != null, m.toString());
    if (plain != null) {
      assertArrayEquals(library(m.entry()), plain, m.toString());
    }
  }

  /** The records the library writes for {@code entry}'s header. */
  private static byte[] library(TarArchiveEntry entry) {
    try {
      ByteArrayOutputStream lib = new ByteArrayOutputStream();
      TarArchiveOutputStream l = new TarArchiveOutputStream(lib, "UTF-8");
      l.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      l.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      l.setAddPaxHeadersForNonAsciiNames(true);
      l.putArchiveEntry(entry);
      return lib.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(entry.getName(), e);
    }
  }

  @Test
  void testWrite_moreOrLessThanTheHeaderSaysIsRefused() throws IOException {
    TarWriter o = new TarWriter(new ByteArrayOutputStream());
    TarArchiveEntry e = new TarArchiveEntry("f", TarConstants.LF_NORMAL);
    e.setSize(10);
    o.putArchiveEntry(e);
    assertThrows(IOException.class, () -> o.write(new byte[11], 0, 11));
    o.write(new byte[4], 0, 4);
    assertThrows(IOException.class, o::closeArchiveEntry);
    assertThrows(IOException.class, o::finish);
    o.write(new byte[6], 0, 6);
    o.closeArchiveEntry();
    assertThrows(IllegalStateException.class, () -> o.write(new byte[1], 0, 1));
  }

  private static byte[] data(Member m) {
    int n = m.type() == TarConstants.LF_NORMAL ? m.size() : 0;
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + m.name().length());
    }
    return b;
  }
}
