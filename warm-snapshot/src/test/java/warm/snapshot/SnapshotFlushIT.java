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
 * a small tree of regular files and directories, one {@code syncfs} for a tree one object over
 * {@link SnapshotFlush#MAX_OBJECTS} or holding a symlink; the tar path (ext4) neither. Each snapshot then restores
 * and verifies.
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

  /** The real filesystem, counting the snapshot flush's calls. */
  private static final class Counting extends ForwardingFs {
    final List<Path> fsynced = Collections.synchronizedList(new ArrayList<>());
    volatile int syncfs;

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
  }
}
