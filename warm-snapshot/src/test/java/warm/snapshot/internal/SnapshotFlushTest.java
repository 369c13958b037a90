package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.Progress;

/**
 * {@link SnapshotFlush}: the choice between an fsync of each object a snapshot's copy created and one {@code syncfs},
 * made from the real copy's walk ({@link TreeCopier}, byte copies: no reflink needed) — the count and its boundary,
 * the kinds that force {@code syncfs}, the count across volumes — and what {@link SnapshotFlush#run} then calls.
 */
class SnapshotFlushTest {
  private static final int N = SnapshotFlush.MAX_OBJECTS;

  @TempDir
  Path dir;

  @Test
  void testRun_atTheCountEveryObjectThenDataIsFsynced() throws IOException {
    Path vol = volume("vol", N - 1); // its root and N - 1 files: N objects
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertTrue(flush.perObject(), flush.describe());
    assertEquals(N, flush.objects());
    Recording fs = run(flush, data);
    assertEquals(0, fs.syncfs);
    assertEquals(N + 1, fs.fsynced.size(), "every object and data/: " + fs.fsynced);
    // Files first, then the volume's root, then data/ (a directory after everything below it).
    assertEquals(data.resolve("vol"), fs.fsynced.get(N - 1));
    assertEquals(data, fs.fsynced.get(N));
    for (int i = 0; i < N - 1; i++) {
      assertEquals(data.resolve("vol"), fs.fsynced.get(i).getParent());
      assertTrue(Files.isRegularFile(fs.fsynced.get(i)));
    }
  }

  @Test
  void testRun_oneOverTheCountTakesSyncfsOnly() throws IOException {
    Path vol = volume("vol", N); // N + 1 objects
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertFalse(flush.perObject());
    assertEquals(N + 1, flush.objects());
    assertTrue(flush.describe().startsWith("syncfs (" + (N + 1) + " objects; more than " + N), flush.describe());
    Recording fs = run(flush, data);
    assertEquals(1, fs.syncfs);
    assertEquals(List.of(), fs.fsynced);
  }

  @Test
  void testRun_nestedDirectoriesAfterTheirChildren() throws IOException {
    Path vol = Files.createDirectory(dir.resolve("vol"));
    Path sub = Files.createDirectories(vol.resolve("a/b"));
    Files.writeString(sub.resolve("deep"), "x");
    Files.writeString(vol.resolve("top"), "y");
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertTrue(flush.perObject(), flush.describe());
    assertEquals(5, flush.objects());
    Recording fs = run(flush, data);
    Path v = data.resolve("vol");
    assertEquals(List.of(v.resolve("a/b/deep"), v.resolve("top")),
        fs.fsynced.subList(0, 2).stream().sorted().toList(), "the files first");
    assertEquals(List.of(v.resolve("a/b"), v.resolve("a"), v, data), fs.fsynced.subList(2, 6));
  }

  @Test
  void testRun_aSymlinkTakesSyncfs() throws IOException {
    Path vol = volume("vol", 2);
    Files.createSymbolicLink(vol.resolve("link"), Path.of("f0"));
    assertSyncfs(vol, "a symlink (link)");
  }

  @Test
  void testRun_aHardLinkTakesSyncfs() throws IOException {
    Path vol = volume("vol", 2);
    Files.createLink(vol.resolve("second-name"), vol.resolve("f1"));
    assertSyncfs(vol, "a hard link");
  }

  @Test
  void testRun_aFifoTakesSyncfs() throws IOException {
    Path vol = volume("vol", 1);
    NativeFs.platform().mknod(vol.resolve("pipe"), Stat.S_IFIFO | 0600, 0);
    assertSyncfs(vol, "a FIFO (pipe)");
  }

  @Test
  void testRun_theCountIsTheSnapshotsAcrossItsVolumes() throws IOException {
    int half = N / 2; // two volumes of half + 1 objects each: N + 2 in all, each alone under N
    Path a = volume("a", half);
    Path b = volume("b", half);
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = new SnapshotFlush();
    copy(data, a, flush);
    assertTrue(flush.perObject());
    copy(data, b, flush);
    assertFalse(flush.perObject(), flush.describe());
    assertEquals(2L * (half + 1), flush.objects());
    assertEquals(1, run(flush, data).syncfs);
  }

  @Test
  void testChoice_perObjectExactlyUpToTheCountOfFilesAndDirectories() {
    Stat file = new Stat(Stat.S_IFREG | 0644, 0, 0, 1, 1, 1, 0, 10, 0, 0, 0);
    Stat linked = new Stat(Stat.S_IFREG | 0644, 0, 0, 1, 1, 2, 0, 10, 0, 0, 0);
    Stat symlink = new Stat(Stat.S_IFLNK | 0777, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0);
    // 0: directory, 1: file with one name, 2: hard link, 3: symlink.
    qt().forAll(lists().of(integers().between(0, 3)).ofSizeBetween(0, 2 * N)).checkAssert(kinds -> {
      SnapshotFlush flush = new SnapshotFlush();
      Path p = dir.resolve("x");
      for (int k : kinds) {
        switch (k) {
          case 0 -> flush.directory(p);
          case 1 -> flush.object(p, file);
          case 2 -> flush.object(p, linked);
          default -> flush.object(p, symlink);
        }
      }
      boolean expected = kinds.size() <= N && kinds.stream().allMatch(k -> k <= 1);
      assertEquals(expected, flush.perObject(), kinds + ": " + flush.describe());
      assertEquals(kinds.size(), flush.objects());
    });
  }

  private void assertSyncfs(Path vol, String reason) throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertFalse(flush.perObject());
    assertTrue(flush.describe().contains(reason), flush.describe());
    Recording fs = run(flush, data);
    assertEquals(1, fs.syncfs);
    assertEquals(List.of(), fs.fsynced);
  }

  private Path volume(String name, int files) throws IOException {
    Path vol = Files.createDirectory(dir.resolve(name));
    for (int i = 0; i < files; i++) {
      Files.writeString(vol.resolve("f" + i), "file " + i);
    }
    return vol;
  }

  private static SnapshotFlush copy(Path data, Path vol) throws IOException {
    SnapshotFlush flush = new SnapshotFlush();
    copy(data, vol, flush);
    return flush;
  }

  private static void copy(Path data, Path vol, SnapshotFlush flush) throws IOException {
    new TreeCopier(NativeFs.platform(), Progress.none(), "test").copy(vol, data.resolve(vol.getFileName()), false,
        TreeCopier.Mode.COPY, null, false, null, null, flush);
  }

  private static Recording run(SnapshotFlush flush, Path data) throws IOException {
    Recording fs = new Recording(NativeFs.platform());
    flush.run(fs, data);
    return fs;
  }

  /** Records the flush's calls, and makes them. */
  private static final class Recording extends ForwardingFs {
    final List<Path> fsynced = new ArrayList<>();
    int syncfs;

    Recording(NativeFs real) {
      super(real);
    }

    @Override
    public void fsync(Path fileOrDir) throws IOException {
      fsynced.add(fileOrDir);
      super.fsync(fileOrDir);
    }

    @Override
    public void syncFilesystem(Path anyPath) throws IOException {
      syncfs++;
      super.syncFilesystem(anyPath);
    }
  }
}
