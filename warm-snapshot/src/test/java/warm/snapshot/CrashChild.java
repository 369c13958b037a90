package warm.snapshot;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import warm.snapshot.authority.KnownGoodAuthority;

/** Test-only main run in a child JVM by {@link CrashSafetyIT}: {@code snapshot|restore STORE VOLUME_DIR}. */
public final class CrashChild {
  private CrashChild() {}

  /**
   * Starts {@code op} in a child JVM that pauses (holding the store's lock) once it reaches {@code step}; returns
   * when it has, with the child still running.
   */
  static Process startPaused(String step, String op, Path snaps, Path vol, Path work) throws Exception {
    Path marker = work.resolve("marker-" + op + "-" + step);
    Path log = work.resolve("child-" + op + "-" + step + ".log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dwarm.snapshot.pauseAt=" + step, "-Dwarm.snapshot.pauseMarker=" + marker,
        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), op, snaps.toString(),
        vol.toString(), "new"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(marker)) {
      if (!p.isAlive()) {
        fail(op + " finished without reaching step " + step + ": " + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        fail("timeout waiting for step " + step);
      }
      Thread.sleep(20);
    }
    return p;
  }

  public static void main(String[] args) {
    SnapshotStore store = SnapshotStore.open(Path.of(args[1]));
    Map<String, Path> vols = Map.of("data", Path.of(args[2]));
    if (args[0].equals("snapshot")) {
      store.snapshotAsKnownGood(KnownGoodAuthority.grant(), vols, SnapshotTag.of(args[3], null), QuiescenceCheck.assumeQuiet(), Progress.none());
    } else {
      store.restore(vols, QuiescenceCheck.assumeQuiet(), false, Progress.none());
    }
    System.exit(0);
  }
}
