package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The early JNA binding (issue 15, row 3) runs on its own daemon thread, and a store used at the same time on the
 * caller's thread works as before: the two meet at the binding's class initialisation, without a deadlock.
 */
class NativeWarmUpTest {
  @TempDir
  Path tmp;

  @Test
  void bindsOnADaemonThreadWhileTheStoreIsUsed() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol/dir"));
    Files.writeString(vol.resolve("f"), "x");
    Thread t = NativeWarmUp.start();
    assertTrue(t.isDaemon(), "the binding must never keep the JVM alive");
    assertEquals("warm-native-init", t.getName());
    SnapshotMeta meta = SnapshotStore.open(tmp.resolve("store")).snapshot(Map.of("data", tmp.resolve("vol")),
        SnapshotTag.of(null, null), QuiescenceCheck.assumeQuiet(), Progress.none());
    t.join(30_000);
    assertFalse(t.isAlive(), "the binding did not finish");
    assertEquals(1, meta.volumes().size());
    assertTrue(Files.isDirectory(tmp.resolve("store/snap-" + meta.id() + "/data")), "snapshot written");
  }
}
