package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.authority.KnownGoodAuthority;

/** D10: an operation behind a stopped one waits a bounded time and names the holder; nothing is changed. */
class LockWaitTest {
  @TempDir
  Path tmp;

  @Test
  void verifyBehindStoppedSnapshotGivesUpNamingThePid() throws Exception {
    Path vol = Files.createDirectory(tmp.resolve("vol"));
    Files.writeString(vol.resolve("f"), "one");
    Path snaps = tmp.resolve("app/snapshots");
    SnapshotStore store = SnapshotStore.open(snaps);
    String kg = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("a", "1"),
        QuiescenceCheck.assumeQuiet(), Progress.none()).id();
    Process child = CrashChild.startPaused("tmp-created", "snapshot", snaps, vol, tmp);
    try {
      long t0 = System.nanoTime();
      SnapshotException e = assertThrows(SnapshotException.class,
          () -> store.withLockWait(Duration.ofSeconds(1)).verify(Map.of("data", vol), false));
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(SnapshotException.Kind.BUSY, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + child.pid()), e.getMessage());
      assertTrue(waitedMs >= 1000, "waited the configured second, not less: " + waitedMs + " ms");
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    assertTrue(store.verify(Map.of("data", vol), false).identical(), "once the holder is gone, verify runs");
    assertEquals(kg, store.knownGoodId().orElseThrow());
  }
}
