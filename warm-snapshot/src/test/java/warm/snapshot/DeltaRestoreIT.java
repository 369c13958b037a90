package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.TarIndex;
import warm.snapshot.internal.TreeCopier;

/**
 * Delta restore's fallbacks and crash safety (issue 17), on XFS (reflink) and ext4 (tar): every case where the
 * change record cannot be trusted restores in full and says why; a SIGKILLed delta leaves no record, so the next
 * restore is full and correct; after either kind a fresh record makes the next restore a delta again.
 */
@Tag("reflink")
@Tag("root")
class DeltaRestoreIT {
  private static final QuiescenceCheck QUIET = QuiescenceCheck.assumeQuiet();

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "ext4"})
  void fallsBackToFullWhenTheRecordCannotBeTrusted(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 200, 1 << 20);
      Path snaps = work.resolve("store");
      SnapshotStore store = SnapshotStore.open(snaps);
      SnapshotMeta first = seed(store, vol);
      Path record = snaps.resolve(SnapshotStore.CHANGE_RECORD);
      assertTrue(Files.exists(record), "a snapshot records the volume");

      // The snapshot's record: a PR's change is put back by a delta, touching a handful of entries.
      Files.writeString(vol.resolve("added-by-pr"), "x");
      RestoreOutcome o = restore(store, vol);
      assertEquals(RestoreOutcome.DELTA, o.kind(), o.toString());
      assertTrue(o.entriesTouched() > 0 && o.entriesTouched() < 10, o.toString());
      assertEquals(List.of("data: added-by-pr"), o.changed());

      // A torn or edited record is never trusted.
      byte[] good = Files.readAllBytes(record);
      Files.write(record, Arrays.copyOf(good, good.length - 7));
      expectFull(store, vol, "not trusted");
      byte[] flipped = Files.readAllBytes(record);
      flipped[flipped.length / 2] ^= 1;
      Files.write(record, flipped);
      expectFull(store, vol, "not trusted");

      // No record at all.
      Files.delete(record);
      expectFull(store, vol, "no change record");

      // A record older than the known-good (a promote swapped it meanwhile).
      byte[] old = Files.readAllBytes(record);
      Files.writeString(vol.resolve("promoted-data"), "y");
      SnapshotMeta second = seed(store, vol);
      Files.write(record, old);
      expectFull(store, vol, "is of snapshot " + first.id() + ", the known-good is " + second.id());

      // A volume recreated since (same name, new directory, same contents).
      Path copy = work.resolve("copy");
      TestBed.run(List.of("cp", "-a", vol.toString(), copy.toString()));
      TreeCopier.deleteTree(vol);
      Files.move(copy, vol);
      expectFull(store, vol, "recreated");

      // Too many changes for the threshold.
      Files.writeString(vol.resolve("added-by-pr"), "x");
      RestoreOutcome tooMany = restore(store.withDeltaLimit(0, 0.0), vol);
      assertEquals(RestoreOutcome.FULL, tooMany.kind());
      assertTrue(tooMany.fullReason().contains("too many changes"), tooMany.fullReason());

      if (fsName.equals("ext4")) {
        // A tar known-good without a member index (taken before this existed).
        Path tar = snaps.resolve("snap-" + second.id()).resolve("data").resolve("data.tar");
        Files.delete(TarIndex.fileOf(tar));
        Files.writeString(vol.resolve("added-by-pr"), "x");
        RestoreOutcome noIndex = restore(store, vol);
        assertEquals(RestoreOutcome.FULL, noIndex.kind());
        assertTrue(noIndex.fullReason().contains("no tar member index"), noIndex.fullReason());
      } else {
        Files.writeString(vol.resolve("added-by-pr"), "x");
        assertEquals(RestoreOutcome.DELTA, restore(store, vol).kind());
      }
    } finally {
      TestBed.remove(work);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "ext4"})
  void sigkillDuringADeltaLeavesNoRecordToTrust(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 200, 1 << 20);
      Path snaps = work.resolve("store");
      SnapshotStore store = SnapshotStore.open(snaps);
      seed(store, vol);
      Path record = snaps.resolve(SnapshotStore.CHANGE_RECORD);
      for (String step : List.of("delta-removed", "delta-restored", "delta-applied", "verified")) {
        // A PR's changes: a deleted file, a rewrite, an addition in a new directory.
        damage(vol);
        Process p = CrashChild.startPaused(step, "restore", snaps, vol, work);
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        assertFalse(Files.exists(record), "a killed restore (at " + step + ") left a change record");
        damage(vol); // and the next run changes more before the next restore
        RestoreOutcome o = restore(store, vol);
        assertEquals(RestoreOutcome.FULL, o.kind(), "after a kill at " + step);
        assertTrue(o.fullReason().contains("no change record"), o.fullReason());
        assertTrue(Files.exists(record), "the full restore wrote a fresh record");
      }
    } finally {
      TestBed.remove(work);
    }
  }

  private static int round;

  private static void damage(Path vol) throws Exception {
    round++;
    Files.deleteIfExists(vol.resolve("many/d0/f1"));
    Files.writeString(vol.resolve("many/d0/f2"), "rewritten " + round);
    Files.createDirectories(vol.resolve("pr-dir-" + round + "/sub"));
    Files.writeString(vol.resolve("pr-dir-" + round + "/sub/new"), "new");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "ext4"})
  void aStoreThatCannotBeWritten_stillRestores_inFull(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    Path snaps = work.resolve("store");
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 200, 1 << 20);
      SnapshotStore store = SnapshotStore.open(snaps);
      seed(store, vol);
      List<ManifestEntry> before = new ManifestScanner(
          NativeFs.platform()).scan(vol, true).entries();
      Files.writeString(vol.resolve("added-by-pr"), "x");
      // An immutable store directory (a read-only store): the record cannot be removed, the rollback must still run.
      TestBed.run(List.of("chattr", "+i", snaps.toString()));
      RestoreOutcome o;
      try {
        o = restore(store, vol);
      } finally {
        TestBed.run(List.of("chattr", "-i", snaps.toString()));
      }
      assertEquals(RestoreOutcome.FULL, o.kind(), o.toString());
      assertTrue(o.fullReason().contains("cannot be removed"), o.fullReason());
      assertEquals(List.of(), ManifestComparer.compare("data", before,
          new ManifestScanner(NativeFs.platform()).scan(vol, true)
              .entries()).listed(), "the known-good is back");
      // The record that stayed is not used for a delta: the full restore's new inodes and ctimes match none of it.
      Files.writeString(vol.resolve("added-by-pr"), "x");
      RestoreOutcome next = restore(store, vol);
      assertEquals(RestoreOutcome.FULL, next.kind(), next.toString());
    } finally {
      TestBed.remove(work);
    }
  }

  private static SnapshotMeta seed(SnapshotStore store, Path vol) throws InterruptedException {
    // Entries written within the kernel clock's margin of a snapshot are recorded untrusted (restored by the next
    // delta whatever happens); a real seed comes long after the app wrote its data.
    Thread.sleep(2 * warm.snapshot.internal.ChangeRecord.CLOCK_MARGIN.toMillis());
    return store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", null),
        QUIET, Progress.none());
  }

  private static RestoreOutcome restore(SnapshotStore store, Path vol) {
    VerifyReport r = store.restore(Map.of("data", vol), QUIET, true, Progress.none());
    assertTrue(r.identical());
    return r.restore();
  }

  private static void expectFull(SnapshotStore store, Path vol, String reason) {
    RestoreOutcome o = restore(store, vol);
    assertEquals(RestoreOutcome.FULL, o.kind(), o.toString());
    assertTrue(o.fullReason().contains(reason), o.fullReason());
    // and it recorded afresh: the next restore of a small change is a delta again
    try {
      Files.writeString(vol.resolve("after-full"), "z");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    RestoreOutcome next = restore(store, vol);
    assertEquals(RestoreOutcome.DELTA, next.kind(), next.toString());
    assertNull(next.fullReason());
  }
}
