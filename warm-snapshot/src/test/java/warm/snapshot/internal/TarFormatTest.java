package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.ManifestEntry;
import warm.snapshot.Progress;

/**
 * The archive a snapshot writes: an entry that plain ustar describes gets no PAX extended header (nanosecond mtimes
 * live in the snapshot's manifest), and an archive of the earlier format — a PAX header with {@code WARM.mtime} on
 * every entry — still extracts exactly.
 */
class TarFormatTest {
  private static final long RECORD = 512;

  @TempDir
  Path dir;

  @Test
  void testWrite_entriesUstarDescribesGetNoExtendedHeader() throws Exception {
    NativeFs fs = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    Files.createDirectory(src.resolve("d"));
    Files.write(src.resolve("d/f"), new byte[10_240]);
    Files.createSymbolicLink(src.resolve("s"), Path.of("d/f"));
    fs.setMtime(src.resolve("d/f"), 1_700_000_000_123_456_789L);
    fs.setMtime(src.resolve("d"), 1_700_000_001_000_000_007L);
    Path tar = dir.resolve("v.tar");
    ManifestBuilder manifest = new ManifestBuilder(fs);

    long size = new TarArchiver(fs, Progress.none()).write(src, tar, manifest);

    // ./, d/, d/f (+ 20 data records), s, and the two zero records that end an archive: nothing else.
    assertEquals(RECORD * (4 + 20 + 2), size, "no extended header records");
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        assertEquals(Map.of(), e.getExtraPaxHeaders(), e.getName());
      }
    }
    assertEquals(1_700_000_000_123_456_789L, byPath(manifest.build().entries(), "d/f").mtimeNanos(),
        "the manifest keeps the nanoseconds");
  }

  @Test
  void testExtract_nanosecondMtimesComeFromTheManifest() throws Exception {
    NativeFs fs = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    Files.createDirectory(src.resolve("d"));
    Files.writeString(src.resolve("d/f"), "x");
    Files.createLink(src.resolve("d/h"), src.resolve("d/f"));
    Files.createSymbolicLink(src.resolve("s"), Path.of("d/f"));
    fs.setMtime(src.resolve("d/f"), 1_700_000_000_123_456_789L);
    fs.setMtime(src.resolve("s"), 1_700_000_002_999_999_999L);
    fs.setMtime(src.resolve("d"), 1_700_000_001_000_000_007L);
    fs.setMtime(src, -1_000_000_001L); // before 1970: ustar cannot hold it, a PAX record does
    Path tar = dir.resolve("v.tar");
    ManifestBuilder manifest = new ManifestBuilder(fs);
    TarArchiver archiver = new TarArchiver(fs, Progress.none());
    archiver.write(src, tar, manifest);
    List<ManifestEntry> expected = manifest.build().entries();
    Path out = Files.createDirectory(dir.resolve("out"));

    archiver.extract(tar, out, expected);

    assertEquals(List.of(), ManifestComparer.compare("v", expected, new ManifestScanner(fs).scan(out, false)
        .entries()).listed());
  }

  @Test
  void testExtract_anArchiveOfTheEarlierFormatRestoresExactly() throws Exception {
    // Written by TarArchiver before issue 15's tar work (every entry with a WARM.mtime PAX record): ./ (mtime
    // ...003.5 s), d/ (...002.000000001), d/f (mode 0640, xattr user.k = 1 2 3, "old-format", ...000.123456789),
    // its hard link d/h, and the symlink s -> d/f (...001.987654321).
    Path tar = dir.resolve("earlier-format.tar");
    for (String name : List.of("earlier-format.tar", "earlier-format.tar.idx")) {
      try (InputStream in = TarFormatTest.class.getResourceAsStream(name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    NativeFs fs = NativeFs.platform();
    Path out = Files.createDirectory(dir.resolve("out"));

    new TarArchiver(fs, Progress.none()).extract(tar, out, List.of());

    assertEquals(1_600_000_003_500_000_000L, fs.stat(out).mtimeNanos());
    assertEquals(1_600_000_002_000_000_001L, fs.stat(out.resolve("d")).mtimeNanos());
    assertEquals(1_600_000_000_123_456_789L, fs.stat(out.resolve("d/f")).mtimeNanos());
    assertEquals(1_600_000_001_987_654_321L, fs.stat(out.resolve("s")).mtimeNanos());
    assertEquals(0640, fs.stat(out.resolve("d/f")).perms());
    assertEquals("old-format", Files.readString(out.resolve("d/f")));
    assertTrue(Files.isSameFile(out.resolve("d/f"), out.resolve("d/h")));
    assertEquals(Path.of("d/f"), Files.readSymbolicLink(out.resolve("s")));
    if (fs.cloneAvailable()) { // JNA on Linux: xattrs are read and written
      assertArrayEquals(new byte[] {1, 2, 3}, fs.readXattrs(out.resolve("d/f")).get("user.k"));
    }
    TarIndex.read(tar).extractTo("d/h", dir.resolve("by-index")); // a delta restore of the earlier snapshot
    assertEquals("old-format", Files.readString(dir.resolve("by-index")));
  }

  private static ManifestEntry byPath(List<ManifestEntry> entries, String path) {
    return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
  }
}
