package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.ManifestEntry;
import warm.snapshot.Progress;

/**
 * The tar path's restore describes what it extracted from the archive's entries: that description equals a scan of
 * the extracted tree (and of the source), so the default restore need not scan the volume again.
 */
class TarDescribeTest {
  @TempDir
  Path dir;

  @Test
  void testExtract_describesExactlyWhatAScanSees() throws Exception {
    NativeFs fs = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    Files.createDirectories(src.resolve("a/b"));
    Files.createDirectories(src.resolve("empty"));
    Files.writeString(src.resolve("a/one"), "one");
    Files.write(src.resolve("a/b/ten-k"), new byte[10_240]);
    Files.writeString(src.resolve("z-first"), "linked");
    Files.createLink(src.resolve("a/b/link"), src.resolve("z-first")); // leader by sort order: a/b/link
    Files.createLink(src.resolve("m-link"), src.resolve("z-first"));
    Files.createSymbolicLink(src.resolve("a/sym"), Path.of("../z-first"));
    Files.createSymbolicLink(src.resolve("dangling"), Path.of("nowhere"));
    fs.setMode(src.resolve("a/one"), 04750);
    if (fs.cloneAvailable()) {
      fs.writeXattr(src.resolve("a/one"), "user.warm", new byte[] {0, 1, 2, (byte) 0xff});
      fs.mknod(src.resolve("fifo"), Stat.S_IFIFO | 0640, 0);
    }
    Files.setLastModifiedTime(src.resolve("a/b"), FileTime.fromMillis(1_234_567_890_123L));
    Files.setLastModifiedTime(src, FileTime.fromMillis(1_234_567_000_000L));

    Path tar = dir.resolve("v.tar");
    TarArchiver archiver = new TarArchiver(fs, Progress.none());
    archiver.write(src, tar);
    Path out = Files.createDirectory(dir.resolve("out"));
    List<ManifestEntry> described = archiver.extract(tar, out);

    assertNotNull(described);
    List<ManifestEntry> scanned = new ManifestScanner(fs).scan(out, false).entries();
    assertEquals(List.of(), ManifestComparer.compare("v", scanned, described).listed());
    assertEquals(scanned, described);
    assertEquals(List.of(), ManifestComparer.compare("v", new ManifestScanner(fs).scan(src, false).entries(),
        described).listed());
  }

  @Test
  void testExtract_rawNamesAreLeftToTheScan() throws IOException {
    NativeFs fs = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    Files.writeString(RawNames.child(src, new byte[] {'n', (byte) 0xe9, (byte) 0xff}), "x");
    Path tar = dir.resolve("v.tar");
    TarArchiver archiver = new TarArchiver(fs, Progress.none());
    archiver.write(src, tar);
    assertNull(archiver.extract(tar, Files.createDirectory(dir.resolve("out"))),
        "a name that is not UTF-8 has no exact manifest string from the archive alone");
  }
}
