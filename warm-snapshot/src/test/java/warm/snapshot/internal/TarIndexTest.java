package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.Progress;

/**
 * The member index of a tar snapshot is written by the archiver as it writes the archive (issue 15: reading the
 * archive back cost ~60 system calls per member); it must equal the index a read of the finished archive gives.
 */
class TarIndexTest {
  @TempDir
  Path dir;

  @Test
  void testWrite_indexEqualsTheOneReadFromTheArchive() throws Exception {
    NativeFs fs = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    Files.createDirectories(src.resolve("a/b"));
    Random r = new Random(15);
    for (int i = 0; i < 50; i++) {
      byte[] b = new byte[r.nextInt(30_000)];
      r.nextBytes(b);
      Files.write(src.resolve("a/f" + i), b);
    }
    byte[] big = new byte[(3 << 20) + 17]; // more than the archiver's 1 MiB buffer: the channel path
    r.nextBytes(big);
    Files.write(src.resolve("a/b/big"), big);
    Files.writeString(src.resolve("a/b/" + "long-name-".repeat(15)), "a PAX path"); // over 100 characters
    Files.writeString(src.resolve("a/é-ü"), "non-ASCII");
    Files.writeString(src.resolve("z-first"), "linked");
    Files.createLink(src.resolve("a/b/link"), src.resolve("z-first"));
    Files.createSymbolicLink(src.resolve("a/sym"), Path.of("../z-first"));
    Files.write(src.resolve("empty"), new byte[0]);
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      f.seek(4 << 20);
      f.write(new byte[] {1, 2, 3});
      f.setLength(8 << 20);
    }

    Path tar = dir.resolve("v.tar");
    new TarArchiver(fs, Progress.none()).write(src, tar);

    assertTrue(Files.exists(TarIndex.fileOf(tar)), "the archiver wrote no index");
    Path copy = dir.resolve("copy.tar");
    Files.copy(tar, copy);
    indexReadBack(copy); // the index as a read of the finished archive finds it
    TarIndex written = TarIndex.read(tar);
    assertEquals(TarIndex.read(copy).members(), written.members());
    assertTrue(written.members().size() >= 55, "53 files and a hard link: " + written.members().keySet());

    written.extractTo("a/b/big", dir.resolve("big"));
    assertArrayEquals(big, Files.readAllBytes(dir.resolve("big")));
    written.extractTo("a/b/link", dir.resolve("link"));
    assertEquals("linked", Files.readString(dir.resolve("link")));
    written.extractTo("sparse", dir.resolve("sparse"));
    assertEquals(-1, Files.mismatch(src.resolve("sparse"), dir.resolve("sparse")));
  }

  /** The oracle: reads the headers of the finished {@code tar} (seeking past data) and writes the index they give. */
  private static void indexReadBack(Path tar) throws IOException {
    TarIndex.Builder b = new TarIndex.Builder();
    try (TarFile t = new TarFile(tar, "UTF-8")) {
      for (TarArchiveEntry e : t.getEntries()) {
        if (e.isLink()) {
          b.link(e.getName(), e.getLinkName());
        } else if (e.isFile()) {
          String map = e.getExtraPaxHeader(SparseMap.PAX_MAP);
          long real = map == null ? e.getSize() : Long.parseLong(e.getExtraPaxHeader(SparseMap.PAX_REAL_SIZE));
          b.file(e.getName(), e.getDataOffset(), e.getSize(), map, real);
        }
      }
    }
    b.write(tar);
  }
}
