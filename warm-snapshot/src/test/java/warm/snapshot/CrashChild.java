package warm.snapshot;

import java.nio.file.Path;
import java.util.Map;

/** Test-only main run in a child JVM by {@link CrashSafetyTest}: {@code snapshot|restore STORE VOLUME_DIR}. */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    SnapshotStore store = SnapshotStore.open(Path.of(args[1]));
    Map<String, Path> vols = Map.of("data", Path.of(args[2]));
    if (args[0].equals("snapshot")) {
      store.snapshotAsKnownGood(vols, SnapshotTag.of(args[3], null), QuiescenceCheck.assumeQuiet(), Progress.none());
    } else {
      store.restore(vols, QuiescenceCheck.assumeQuiet(), false, Progress.none());
    }
    System.exit(0);
  }
}
