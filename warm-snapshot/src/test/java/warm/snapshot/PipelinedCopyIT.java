package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ChangeRecord;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.Stat;

/**
 * The reflink copy clones beside its walk (issue 15, rows 1–2): the first clones are made while the walk has most of
 * the tree still to list, on a snapshot and on a full restore, and the result is exact for a tree whose directories
 * are deeper and wider than one batch, with hard-link groups whose names the walk meets far apart; a directory renamed
 * while the walk runs, with clones under way, fails the snapshot cleanly (nothing left, the known-good unchanged).
 */
@Tag("reflink")
@Tag("root")
class PipelinedCopyIT {
  /** Objects the walk has stat-ed when it waits for the first clone: far fewer than the tree holds. */
  private static final int WAIT_AFTER = 400;

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void clonesBeginWhileTheWalkRunsAndTheCopyIsExact(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 1_000, 0);
      Path wide = Files.createDirectory(vol.resolve("wide")); // ten batches in one directory
      for (int i = 0; i < 640; i++) {
        Files.writeString(wide.resolve("w" + i), "wide " + i);
      }
      Path deep = Files.createDirectory(vol.resolve("chain"));
      for (int depth = 0; depth < 150; depth++) { // deeper than a batch is long
        deep = Files.createDirectory(deep.resolve("c" + depth));
        Files.writeString(deep.resolve("f"), "depth " + depth);
      }
      Files.createLink(deep.resolve("far-link"), wide.resolve("w3")); // met first in "wide", last at the bottom
      Files.createLink(vol.resolve("near-link"), wide.resolve("w639"));
      Files.setLastModifiedTime(wide, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_123L));
      Thread.sleep(100); // older than the record's clock margin: every entry can be trusted
      ManifestScanner scanner = new ManifestScanner(NativeFs.platform());
      List<ManifestEntry> expected = scanner.scan(vol, true).entries();
      assertTrue(expected.size() > 4 * WAIT_AFTER, "tree of " + expected.size());

      GateFs fs = new GateFs(NativeFs.platform());
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      fs.arm(vol, WAIT_AFTER, null);
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
          SnapshotTag.of("abc", "1.0.0+1"), QuiescenceCheck.assumeQuiet(), Progress.none());
      assertEquals(Method.REFLINK, meta.method());
      assertTrue(fs.clonedWhileWalking, "no clone before the walk had listed " + WAIT_AFTER + " objects of "
          + expected.size());
      assertEquals(List.of(), ManifestComparer.compare("data", strip(expected), meta.volumes().get("data").manifest())
          .listed(), "the manifest written during the copy describes the volume");
      ChangeRecord.Loaded loaded = ChangeRecord.load(store.directory().resolve("change-record"));
      assertNotNull(loaded.record(), loaded.refusal());
      assertEquals(ChangeRecord.walk(NativeFs.platform(), vol), loaded.record().volumes().get("data"));

      // A full restore (no change record) over a damaged volume, its walk over the snapshot's copy gated the same way.
      Files.delete(vol.resolve("near-link"));
      Files.writeString(vol.resolve("chain/c0/c1/f"), "damaged");
      Files.writeString(vol.resolve("intruder"), "x");
      Files.delete(store.directory().resolve("change-record"));
      fs.arm(store.directory(), WAIT_AFTER, null);
      VerifyReport r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertTrue(fs.clonedWhileWalking, "the restore cloned nothing before its walk had listed " + WAIT_AFTER);
      assertTrue(r.identical(), r.differences().toString());
      assertEquals(RestoreOutcome.FULL, r.restore().kind());
      assertEquals(expected.size(), r.entriesCompared());
      assertEquals(List.of(), ManifestComparer.compare("data", expected, scanner.scan(vol, true).entries()).listed());
      assertEquals(Files.readAttributes(vol.resolve("wide/w3"), "unix:ino"),
          Files.readAttributes(deep.resolve("far-link"), "unix:ino"), "hard link restored as one inode");
    } finally {
      TestBed.remove(work);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void directoryRenamedWhileTheWalkRunsFailsCleanly(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      // One directory per level: the walk lists a (600 files and sub) whole before it lists sub.
      Path vol = Files.createDirectory(work.resolve("vol"));
      Path a = Files.createDirectory(vol.resolve("a"));
      for (int i = 0; i < 600; i++) {
        Files.writeString(a.resolve("f" + i), "file " + i);
      }
      Path sub = Files.createDirectory(a.resolve("sub"));
      for (int i = 0; i < 10; i++) {
        Files.writeString(sub.resolve("g" + i), "sub " + i);
      }
      GateFs fs = new GateFs(NativeFs.platform());
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      String first = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
          SnapshotTag.of("c0", "1"), QuiescenceCheck.assumeQuiet(), Progress.none()).id();
      List<Path> before = listing(store.directory());

      // At the walk's last stat in a (a itself and its 601 entries; a's files are being cloned by then) sub is renamed:
      // either that stat is sub's own, or sub is listed next, by its old name.
      fs.arm(a, 602, () -> Files.move(sub, a.resolve("sub-renamed")));
      SnapshotException e = assertThrows(SnapshotException.class, () -> store.snapshotAsKnownGood(
          KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c1", "1"), QuiescenceCheck.assumeQuiet(),
          Progress.none()));
      assertTrue(fs.clonedWhileWalking, "the rename did not come while clones ran");
      assertTrue(e.getMessage().contains("sub"), e.getMessage());
      assertEquals(first, store.knownGoodId().orElseThrow(), "the known-good is unchanged");
      assertEquals(List.of(first), store.list().stream().map(SnapshotInfo::id).toList(), "no partial snapshot left");
      Thread.sleep(200); // a clone still running after the failure would leave something behind by now
      assertEquals(before, listing(store.directory()), "the failed snapshot left something in the store");

      Files.move(a.resolve("sub-renamed"), sub);
      store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertEquals("sub 9", Files.readString(sub.resolve("g9")));
    } finally {
      TestBed.remove(work);
    }
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(dir::relativize).sorted().toList();
    }
  }

  private static List<ManifestEntry> strip(List<ManifestEntry> withHashes) {
    return withHashes.stream().map(e -> e.withSha256(null)).toList();
  }

  /**
   * The real filesystem; once armed, the thread that armed it (the walk's) waits, at its {@code after}-th stat of a
   * path under {@code under}, for a clone on another thread (at most 30 s: a copy that clones only after its walk
   * never gets one), then runs {@code then}.
   */
  static final class GateFs extends ForwardingFs {
    private volatile Thread walker;
    private volatile Path under;
    private volatile CountDownLatch cloned = new CountDownLatch(1);
    private int stats;
    private int after;
    private IoAction then;
    volatile boolean clonedWhileWalking;

    GateFs(NativeFs real) {
      super(real);
    }

    void arm(Path under, int after, IoAction then) {
      this.stats = 0;
      this.after = after;
      this.then = then;
      this.clonedWhileWalking = false;
      this.cloned = new CountDownLatch(1);
      this.walker = Thread.currentThread();
      this.under = under;
    }

    @Override
    public Stat stat(Path path) throws IOException {
      Path u = under;
      if (u != null && Thread.currentThread() == walker && path.startsWith(u) && ++stats == after) {
        under = null;
        try {
          clonedWhileWalking = cloned.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        if (then != null) {
          then.run();
        }
      }
      return real.stat(path);
    }

    @Override
    public void cloneFile(Path src, Path dst, int mode) throws IOException {
      if (Thread.currentThread() != walker) {
        cloned.countDown();
      }
      real.cloneFile(src, dst, mode);
    }
  }

  /** Something done to the tree at the gate. */
  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }
}
