package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.SnapshotFlush;

/**
 * Which flush a real reflink snapshot runs (issue 15): an fsync of each object it created (and of {@code data/}) for
 * a small tree of regular files and directories when the system holds at least {@link SnapshotFlush#DIRTY_THRESHOLD}
 * of dirty data, one {@code syncfs} for the same tree below it, for a tree one object over
 * {@link SnapshotFlush#MAX_OBJECTS} or holding a symlink; the tar path (ext4) neither. The dirty reading is forced
 * through the test's {@link NativeFs} (the machine's own dirty memory is whatever other processes left), except in
 * the case where a real {@code dd} writer on the same filesystem supplies it. Each snapshot then restores and
 * verifies.
 */
@Tag("reflink")
@Tag("root")
class SnapshotFlushIT {
  private static final int N = SnapshotFlush.MAX_OBJECTS;

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs", "ext4"})
  void smallTreesAreFsyncedObjectByObjectLargerOnesSyncfsed(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      boolean reflink = !fsName.equals("ext4");
      // Two volumes, N objects in all: each volume's root, a directory, files; one of them 3 MiB.
      Path a = Files.createDirectory(work.resolve("a"));
      Files.createDirectories(a.resolve("sub"));
      Files.write(a.resolve("sub/big"), new byte[3 << 20]);
      files(a, 5);
      Path b = Files.createDirectory(work.resolve("b"));
      files(b, N - 9);
      Counting fs = new Counting(NativeFs.platform());
      fs.forcedDirty = SnapshotFlush.DIRTY_THRESHOLD; // at the threshold: the count decides
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      SnapshotMeta meta = snapshot(store, Map.of("a", a, "b", b));
      assertEquals(reflink ? Method.REFLINK : Method.TAR, meta.method());
      if (reflink) {
        assertEquals(0, fs.syncfs, "N objects: no syncfs");
        Path data = work.resolve("store/snap-" + meta.id() + "/data");
        assertEquals(N + 1, fs.fsynced.size(), "each object and data/: " + fs.fsynced);
        for (Path p : fs.fsynced) { // named inside the unpublished .tmp-snap-<id>/data
          assertTrue(p.toString().contains("/.tmp-snap-" + meta.id() + "/data"), p.toString());
        }
        assertTrue(Files.isRegularFile(data.resolve("a/sub/big")));
      } else {
        assertEquals(0, fs.syncfs, "the tar path fsyncs its archives");
        assertEquals(List.of(), fs.fsynced);
      }
      restoresAndVerifies(store, fs, Map.of("a", a, "b", b));

      // The same N objects with little dirty data: syncfs (it has little to wait for), no fsync of any object.
      fs.forcedDirty = SnapshotFlush.DIRTY_THRESHOLD - 1;
      assertSyncfs(store, fs, reflink, Map.of("a", a, "b", b));
      fs.forcedDirty = SnapshotFlush.DIRTY_THRESHOLD;

      // One object more: syncfs, and no fsync of any object.
      files(b, 1);
      assertSyncfs(store, fs, reflink, Map.of("a", a, "b", b));

      // Back to N - 1 objects, one of them a symlink: syncfs.
      Files.delete(b.resolve("f0"));
      Files.delete(b.resolve("f1"));
      Files.createSymbolicLink(b.resolve("link"), Path.of("f2"));
      assertSyncfs(store, fs, reflink, Map.of("a", a, "b", b));
    } finally {
      TestBed.remove(work);
    }
  }

  /**
   * No forcing: a {@code dd} loop on the same filesystem keeps at least {@link #WRITER_DIRTY_MIB} MiB dirty, and a
   * snapshot of N objects reads that and fsyncs each object. ext4 takes the tar path, which has neither flush.
   */
  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void aRealWriterMakesASmallTreePickFsyncs(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    Process writer = null;
    try {
      Path a = Files.createDirectory(work.resolve("a"));
      files(a, N - 1); // its root and N - 1 files: N objects
      Path written = work.resolve("writer.bin");
      writer = new ProcessBuilder("sh", "-c", "while :; do dd if=/dev/zero of=" + written + " bs=1M count="
          + (WRITER_DIRTY_MIB + 56) + " conv=notrunc status=none; sleep 0.3; done")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      // The writer's own data, not only whatever other processes left dirty: its file has reached the size, and the
      // system holds that much dirty.
      while (!Files.exists(written) || Files.size(written) < (WRITER_DIRTY_MIB << 20)
          || NativeFs.platform().dirtyBytes() < (WRITER_DIRTY_MIB << 20)) {
        assertTrue(System.nanoTime() < deadline, "the writer never left " + WRITER_DIRTY_MIB + " MiB dirty");
        Thread.sleep(100);
      }
      Counting fs = new Counting(NativeFs.platform()); // no forcing: the machine's reading
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      SnapshotMeta meta = snapshot(store, Map.of("a", a));
      assertEquals(Method.REFLINK, meta.method());
      assertTrue(fs.lastDirty >= SnapshotFlush.DIRTY_THRESHOLD, "read " + fs.lastDirty + " bytes dirty");
      assertEquals(0, fs.syncfs, "N objects under a writer: no syncfs");
      assertEquals(N + 1, fs.fsynced.size(), "each object and data/: " + fs.fsynced);
      restoresAndVerifies(store, fs, Map.of("a", a));
    } finally {
      if (writer != null) {
        writer.descendants().forEach(ProcessHandle::destroy);
        writer.destroy();
        writer.waitFor();
      }
      TestBed.remove(work);
    }
  }

  /** What the writer loop keeps dirty at least (its file is 56 MiB larger: part of it may be under writeback). */
  private static final long WRITER_DIRTY_MIB = 200;

  private static void assertSyncfs(SnapshotStore store, Counting fs, boolean reflink, Map<String, Path> vols)
      throws IOException {
    fs.reset();
    snapshot(store, vols);
    assertEquals(reflink ? 1 : 0, fs.syncfs);
    assertEquals(List.of(), fs.fsynced);
    restoresAndVerifies(store, fs, vols);
  }

  private static SnapshotMeta snapshot(SnapshotStore store, Map<String, Path> vols) {
    return store.snapshotAsKnownGood(KnownGoodAuthority.grant(), vols, SnapshotTag.of("flush", null),
        QuiescenceCheck.assumeQuiet(), Progress.none());
  }

  private static void restoresAndVerifies(SnapshotStore store, Counting fs, Map<String, Path> vols) {
    VerifyReport r = store.restore(vols, QuiescenceCheck.assumeQuiet(), true, Progress.none());
    assertTrue(r.identical(), r.differences().toString());
    fs.reset();
  }

  private static void files(Path dir, int n) throws IOException {
    int start;
    try (var s = Files.list(dir)) {
      start = (int) s.count();
    }
    for (int i = start; i < start + n; i++) {
      Files.writeString(dir.resolve("f" + i), "file " + i);
    }
  }

  /**
   * The real filesystem, counting the snapshot flush's calls; its dirty reading is {@link #forcedDirty} unless that
   * is {@link #REAL}.
   */
  private static final class Counting extends ForwardingFs {
    static final long REAL = Long.MIN_VALUE;
    final List<Path> fsynced = Collections.synchronizedList(new ArrayList<>());
    volatile int syncfs;
    volatile long forcedDirty = REAL;
    volatile long lastDirty = REAL;

    Counting(NativeFs real) {
      super(real);
    }

    void reset() {
      fsynced.clear();
      syncfs = 0;
    }

    @Override
    public void fsync(Path fileOrDir) throws IOException {
      fsynced.add(fileOrDir);
      real.fsync(fileOrDir);
    }

    @Override
    public void syncFilesystem(Path anyPath) throws IOException {
      syncfs++;
      real.syncFilesystem(anyPath);
    }

    @Override
    public long dirtyBytes() {
      long d = forcedDirty == REAL ? real.dirtyBytes() : forcedDirty;
      lastDirty = d;
      return d;
    }
  }
}
