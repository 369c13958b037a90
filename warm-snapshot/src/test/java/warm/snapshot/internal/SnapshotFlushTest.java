package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * the kinds that force {@code syncfs}, the count across volumes, the system's dirty data (a reading injected through
 * the recording {@link NativeFs}: below, at, above the threshold, unreadable) and its parsing — and what
 * {@link SnapshotFlush#run} then calls.
 */
class SnapshotFlushTest {
  private static final int N = SnapshotFlush.MAX_OBJECTS;
  private static final long T = SnapshotFlush.DIRTY_THRESHOLD;

  @TempDir
  Path dir;

  @Test
  void testRun_atTheCountEveryObjectThenDataIsFsynced() throws IOException {
    Path vol = volume("vol", N - 1); // its root and N - 1 files: N objects
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertTrue(flush.countAllows(), flush.describe());
    assertEquals(N, flush.objects());
    Recording fs = run(flush, data);
    assertTrue(flush.perObject(), flush.describe());
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
    assertFalse(flush.countAllows());
    assertEquals(N + 1, flush.objects());
    assertTrue(flush.describe().startsWith("syncfs (" + (N + 1) + " objects; more than " + N), flush.describe());
    Recording fs = run(flush, data);
    assertFalse(flush.perObject());
    assertEquals(1, fs.syncfs);
    assertEquals(List.of(), fs.fsynced);
    assertEquals(0, fs.dirtyReads, "the count alone decided: no reading");
  }

  @Test
  void testRun_nestedDirectoriesAfterTheirChildren() throws IOException {
    Path vol = Files.createDirectory(dir.resolve("vol"));
    Path sub = Files.createDirectories(vol.resolve("a/b"));
    Files.writeString(sub.resolve("deep"), "x");
    Files.writeString(vol.resolve("top"), "y");
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertTrue(flush.countAllows(), flush.describe());
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
    assertTrue(flush.countAllows());
    copy(data, b, flush);
    assertFalse(flush.countAllows(), flush.describe());
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
      assertEquals(expected, flush.countAllows(), kinds + ": " + flush.describe());
      assertEquals(kinds.size(), flush.objects());
    });
  }

  @Test
  void testRun_belowTheDirtyThresholdASmallTreeTakesSyncfs() throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, volume("vol", 3));
    assertTrue(flush.countAllows());
    Recording fs = run(flush, data, T - 1);
    assertFalse(flush.perObject());
    assertEquals(1, fs.syncfs);
    assertEquals(List.of(), fs.fsynced);
    assertEquals(1, fs.dirtyReads);
    assertEquals("syncfs (4 objects; " + ((T - 1) >> 20) + " MiB dirty, below " + (T >> 20) + " MiB)",
        flush.describe());
  }

  @Test
  void testRun_atTheDirtyThresholdEachObjectIsFsynced() throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, volume("vol", 3));
    Recording fs = run(flush, data, T);
    assertTrue(flush.perObject());
    assertEquals(0, fs.syncfs);
    assertEquals(5, fs.fsynced.size(), "3 files, the volume's root, data/: " + fs.fsynced);
    assertTrue(flush.describe().startsWith("fsync of each of 4 objects and data/"), flush.describe());
    assertTrue(flush.describe().endsWith("; " + (T >> 20) + " MiB dirty, at least " + (T >> 20) + " MiB)"),
        flush.describe());
  }

  @Test
  void testRun_aboveTheDirtyThresholdEachObjectIsFsynced() throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, volume("vol", 3));
    Recording fs = run(flush, data, 400L << 20);
    assertTrue(flush.perObject());
    assertEquals(0, fs.syncfs);
    assertEquals(5, fs.fsynced.size());
    assertTrue(flush.describe().contains("400 MiB dirty"), flush.describe());
  }

  @Test
  void testRun_unreadableDirtyDataLeavesTheCountAlone() throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, volume("vol", 3));
    Recording fs = run(flush, data, -1);
    assertTrue(flush.perObject());
    assertEquals(0, fs.syncfs);
    assertEquals(5, fs.fsynced.size());
    assertTrue(flush.describe().contains("dirty data unreadable, the count alone"), flush.describe());
  }

  @Test
  void testRun_theChoiceIsTheCountAndTheDirtyReading() {
    // 80 examples: each builds and copies a real tree of up to N + 2 files (1000 took ~30 s on the shared machine).
    qt().withExamples(80).forAll(integers().between(0, N + 2), longs().between(-1, 2 * T))
        .checkAssert(this::assertChoice);
  }

  /** A real tree of {@code files} files copied, then flushed (recorded, not made) with the reading {@code dirty}. */
  private void assertChoice(int files, long dirty) {
    try {
      Path root = Files.createTempDirectory(dir, "p");
      Path vol = Files.createDirectory(root.resolve("vol"));
      for (int i = 0; i < files; i++) {
        Files.writeString(vol.resolve("f" + i), "x");
      }
      Path data = Files.createDirectory(root.resolve("data"));
      SnapshotFlush flush = new SnapshotFlush();
      copy(data, vol, flush);
      Recording fs = new Recording(NativeFs.platform(), dirty, false);
      flush.run(fs, data);
      boolean expected = files + 1 <= N && (dirty < 0 || dirty >= T);
      assertEquals(expected, flush.perObject(), files + " files, " + dirty + " dirty: " + flush.describe());
      assertEquals(expected ? 0 : 1, fs.syncfs);
      assertEquals(expected ? files + 2 : 0, fs.fsynced.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void testDescribe_beforeRunAndRefusedArguments() {
    SnapshotFlush flush = new SnapshotFlush();
    flush.directory(dir);
    assertEquals("not run yet (1 objects, at most " + N + ")", flush.describe());
    assertFalse(flush.perObject(), "nothing ran");
    assertThrows(IllegalArgumentException.class, () -> new SnapshotFlush(-1, T));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SnapshotFlush(N, -1));
    assertEquals("dirty threshold must be zero or more bytes, got -1", e.getMessage());
  }

  @Test
  void testDirtyBytes_dirtyPlusWritebackOfMeminfo() {
    String meminfo = "MemTotal:       24552812 kB\nDirty:            200748 kB\nWriteback:          1024 kB\n"
        + "AnonPages:        1 kB\nWritebackTmp:       999 kB\n";
    assertEquals((200748L + 1024) << 10, parse(meminfo));
    // The order of the lines does not matter; the last line may lack its newline.
    assertEquals(3L << 10, parse("Writeback: 2 kB\nDirty: 1 kB"));
    qt().forAll(longs().between(0, 1L << 40), longs().between(0, 1L << 40)).checkAssert((d, w) ->
        assertEquals((d + w) << 10, parse("Active: 5 kB\nDirty: " + d + " kB\nWriteback: " + w + " kB\n")));
  }

  @Test
  void testDirtyBytes_missingOrMalformedIsUnreadable() {
    assertEquals(-1, parse(""));
    assertEquals(-1, parse("Dirty: 5 kB\n"), "no Writeback:");
    assertEquals(-1, parse("Dirty: 5 kB\nWritebackTmp: 5 kB\n"), "WritebackTmp: is not Writeback:");
    assertEquals(-1, parse("Dirty: five kB\nWriteback: 0 kB\n"));
    assertEquals(-1, parse("Dirty: 5 MB\nWriteback: 0 kB\n"));
    assertEquals(-1, parse("Dirty: 5\nWriteback: 0 kB\n"));
    assertEquals(-1, parse("Dirty: 5 kBx\nWriteback: 0 kB\n"));
    assertEquals(-1, parse("Dirty: 1234567890123456789012 kB\nWriteback: 0 kB\n"), "too long to be a count");
    assertEquals(-1, parse(" Dirty: 5 kB\nWriteback: 0 kB\n"), "not at a line's start");
  }

  @Test
  void testReadDirtyBytes_theRealFileOrUnreadable() throws IOException {
    assertTrue(SnapshotFlush.readDirtyBytes("/proc/meminfo") >= 0, "this Linux test host has /proc/meminfo");
    assertEquals(-1, SnapshotFlush.readDirtyBytes(dir.resolve("absent").toString()));
    assertEquals(-1, SnapshotFlush.readDirtyBytes(dir.toString()), "a directory");
    Path file = Files.writeString(dir.resolve("meminfo"), "Dirty: 3 kB\nWriteback: 4 kB\n");
    assertEquals(7L << 10, SnapshotFlush.readDirtyBytes(file.toString()));
  }

  private static long parse(String meminfo) {
    byte[] b = meminfo.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return SnapshotFlush.dirtyBytes(b, b.length);
  }

  private void assertSyncfs(Path vol, String reason) throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    SnapshotFlush flush = copy(data, vol);
    assertFalse(flush.countAllows());
    assertTrue(flush.describe().contains(reason), flush.describe());
    Recording fs = run(flush, data);
    assertFalse(flush.perObject());
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

  /** Runs the flush with a dirty reading above the threshold: the count decides. */
  private static Recording run(SnapshotFlush flush, Path data) throws IOException {
    return run(flush, data, SnapshotFlush.DIRTY_THRESHOLD + (400L << 20));
  }

  private static Recording run(SnapshotFlush flush, Path data, long dirty) throws IOException {
    Recording fs = new Recording(NativeFs.platform(), dirty, true);
    flush.run(fs, data);
    return fs;
  }

  /**
   * Records the flush's calls, and makes them when {@code forward} (the property test only records: hundreds of
   * real syncfs calls on a shared machine's dirty filesystem take tens of seconds); its dirty reading is the one given.
   */
  private static final class Recording extends ForwardingFs {
    final List<Path> fsynced = new ArrayList<>();
    final long dirty;
    final boolean forward;
    int syncfs;
    int dirtyReads;

    Recording(NativeFs real, long dirty, boolean forward) {
      super(real);
      this.dirty = dirty;
      this.forward = forward;
    }

    @Override
    public long dirtyBytes() {
      dirtyReads++;
      return dirty;
    }

    @Override
    public void fsync(Path fileOrDir) throws IOException {
      fsynced.add(fileOrDir);
      if (forward) {
        super.fsync(fileOrDir);
      }
    }

    @Override
    public void syncFilesystem(Path anyPath) throws IOException {
      syncfs++;
      if (forward) {
        super.syncFilesystem(anyPath);
      }
    }
  }
}
