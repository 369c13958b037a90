package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.SafePaths;
import warm.snapshot.internal.TarArchiver;

/** Archives that try to write outside the target are rejected and nothing outside is written. */
class HostileArchiveTest {
  @TempDir
  Path tmp;
  Path target;
  Path outside;

  @BeforeEach
  void setUp() throws IOException {
    target = Files.createDirectory(tmp.resolve("target"));
    outside = Files.createDirectory(tmp.resolve("outside"));
  }

  @AfterEach
  void nothingOutside() throws IOException {
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(List.of(), s.toList(), "nothing may be written outside the target");
    }
    assertFalse(Files.exists(tmp.resolve("evil")));
  }

  interface Writer {
    void write(TarArchiveOutputStream out) throws IOException;
  }

  static byte[] tar(Writer w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      w.write(out);
    }
    return bytes.toByteArray();
  }

  static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true); // keep a leading '/'
    e.setSize(b.length);
    e.setMode(0644);
    out.putArchiveEntry(e);
    out.write(b);
    out.closeArchiveEntry();
  }

  static void symlink(TarArchiveOutputStream out, String name, String to) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(to);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }

  private void extract(byte[] tar) throws IOException {
    new TarArchiver(NativeFs.platform(), Progress.none()).extract(new ByteArrayInputStream(tar), target);
  }

  @Test
  void testExtract_dotDotRejected() throws IOException {
    byte[] t = tar(out -> file(out, "../evil", "x"));
    SafePaths.UnsafeEntryException e = assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
    assertTrue(e.getMessage().contains(".."), e.getMessage());
  }

  @Test
  void testExtract_nestedDotDotRejected() throws IOException {
    byte[] t = tar(out -> file(out, "a/../../outside/evil", "x"));
    assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
  }

  @Test
  void testExtract_absoluteRejected() throws IOException {
    byte[] t = tar(out -> file(out, outside.resolve("evil").toString(), "x"));
    SafePaths.UnsafeEntryException e = assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
    assertTrue(e.getMessage().contains("absolute"), e.getMessage());
  }

  @Test
  void testExtract_writeThroughSymlinkRejected() throws IOException {
    byte[] t = tar(out -> {
      symlink(out, "link", outside.toString());
      file(out, "link/evil", "x");
    });
    SafePaths.UnsafeEntryException e = assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
    assertTrue(e.getMessage().contains("symlink"), e.getMessage());
  }

  @Test
  void testExtract_overwriteSymlinkRejected() throws IOException {
    // A symlink to a file outside, then a regular file of the same name: must not write through the link.
    Path victim = tmp.resolve("victim");
    Files.writeString(victim, "original");
    byte[] t = tar(out -> {
      symlink(out, "name", victim.toString());
      file(out, "name", "overwritten");
    });
    assertThrows(IOException.class, () -> extract(t));
    assertEquals("original", Files.readString(victim));
    Files.delete(victim);
  }

  @Test
  void testExtract_hardLinkOutsideRejected() throws IOException {
    Path victim = tmp.resolve("victim2");
    Files.writeString(victim, "secret");
    byte[] t = tar(out -> {
      TarArchiveEntry e = new TarArchiveEntry("hl", TarConstants.LF_LINK);
      e.setLinkName("../victim2");
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
    });
    assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
    assertFalse(Files.exists(target.resolve("hl")));
    Files.delete(victim);
  }

  @Test
  void testExtract_hardLinkToSymlinkRejected() throws IOException {
    byte[] t = tar(out -> {
      symlink(out, "s", outside.toString());
      TarArchiveEntry e = new TarArchiveEntry("hl", TarConstants.LF_LINK);
      e.setLinkName("s");
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
    });
    assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
  }

  @Test
  void testExtract_symlinkDirThenDirEntryRejected() throws IOException {
    byte[] t = tar(out -> {
      symlink(out, "d", outside.toString());
      TarArchiveEntry e = new TarArchiveEntry("d/", TarConstants.LF_DIR);
      e.setMode(0777);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      file(out, "d/evil", "x");
    });
    assertThrows(IOException.class, () -> extract(t));
    assertEquals(0, (int) Files.getAttribute(outside, "unix:mode") & 0002, "outside dir mode untouched");
  }

  @Test
  void testExtract_legalArchiveWorks() throws IOException {
    byte[] t = tar(out -> {
      symlink(out, "up", "../outside"); // a link pointing outside is legal: stored, never followed
      file(out, "./a/../b", "nope");
    });
    assertThrows(SafePaths.UnsafeEntryException.class, () -> extract(t));
    byte[] ok = tar(out -> {
      symlink(out, "up", "../outside");
      TarArchiveEntry d = new TarArchiveEntry("dir/", TarConstants.LF_DIR);
      d.setMode(0755);
      out.putArchiveEntry(d);
      out.closeArchiveEntry();
      file(out, "dir/file", "fine");
    });
    TestBed.remove(target);
    Files.createDirectory(target);
    extract(ok);
    assertEquals("fine", Files.readString(target.resolve("dir/file")));
    assertEquals("../outside", Files.readSymbolicLink(target.resolve("up")).toString());
  }

  /** D5's sparse map is archive input too: regions out of order, outside the size, or not adding up are refused. */
  @Test
  void hostileSparseMapsAreRefused() throws IOException {
    String[][] maps = {{"100", "50,10,0,10"}, {"100", "95,10"}, {"100", "0,5"}, {"-1", "0,20"}, {"100", "0,x"},
        {"100", "0,10,20"}, {"9223372036854775807", "9223372036854775800,20"}};
    for (String[] m : maps) {
      byte[] tar = tar(out -> {
        TarArchiveEntry e = new TarArchiveEntry("f", TarConstants.LF_NORMAL);
        e.setSize(20);
        e.addPaxHeader("WARM.sparse.realsize", m[0]);
        e.addPaxHeader("WARM.sparse.map", m[1]);
        out.putArchiveEntry(e);
        out.write(new byte[20]);
        out.closeArchiveEntry();
      });
      IOException e = assertThrows(IOException.class, () -> extract(tar), String.join(" ", m));
      assertTrue(e instanceof SafePaths.UnsafeEntryException, m[1] + ": " + e);
      assertFalse(Files.exists(target.resolve("f")), "nothing written for " + String.join(" ", m));
    }
  }

  /** D6's raw names are archive input too: the same escapes, spelled in percent-encoded bytes, are refused. */
  @Test
  void hostileRawPathsAreRefused() throws IOException {
    for (String raw : List.of("..%2Fevil", "sub%2F..%2F..%2Fevil", "%2Fetc%2Fevil", "a%00b", "%ZZ", "%4")) {
      byte[] tar = tar(out -> {
        TarArchiveEntry e = new TarArchiveEntry("harmless", TarConstants.LF_NORMAL);
        e.setSize(1);
        e.addPaxHeader("WARM.rawpath", raw);
        out.putArchiveEntry(e);
        out.write('x');
        out.closeArchiveEntry();
      });
      IOException e = assertThrows(IOException.class, () -> extract(tar), raw);
      assertTrue(e instanceof SafePaths.UnsafeEntryException, raw + ": " + e);
    }
    // A symlink planted under a raw name, then a file written through it.
    String outsideLink = outside.toString();
    byte[] tar = tar(out -> {
      TarArchiveEntry l = new TarArchiveEntry("l", TarConstants.LF_SYMLINK);
      l.setLinkName(outsideLink);
      l.addPaxHeader("WARM.rawpath", "l%E9");
      out.putArchiveEntry(l);
      out.closeArchiveEntry();
      TarArchiveEntry f = new TarArchiveEntry("l/evil", TarConstants.LF_NORMAL);
      f.setSize(1);
      f.addPaxHeader("WARM.rawpath", "l%E9/evil");
      out.putArchiveEntry(f);
      out.write('x');
      out.closeArchiveEntry();
    });
    IOException e = assertThrows(IOException.class, () -> extract(tar));
    assertTrue(e.getMessage().contains("through symlink"), e.getMessage());
  }
}
