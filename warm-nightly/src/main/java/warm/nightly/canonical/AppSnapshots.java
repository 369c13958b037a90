package warm.nightly.canonical;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import warm.core.WarmException;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.snapshot.Progress;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;
import warm.snapshot.VerifyReport;

/**
 * The snapshot operations an operator runs on an app by hand ({@code warm snapshot|restore|verify|snapshots --app}),
 * with the app's rules around them: each holds the app lock for its whole length (I7: never interleaved with a quick
 * run, a seed or another hand operation); a hand snapshot never replaces a canonical's or an infra app's known-good (I1); a restore of
 * a canonical records its volume state, dirty while it runs and clean at the known-good once verified (I4).
 * Bad input is refused before the lock, so it creates nothing, not even the app's lock file: a hand snapshot of a
 * canonical or an infra app, a restore or verify with no known-good (both without asking Docker), then an app with
 * no volumes on this host (a mistyped name); a prune of an app with neither a store nor a record. The
 * volumes are asked for again under the lock, and that list is the one used; quiescence only under the lock.
 */
public final class AppSnapshots {
  private final StateStore state;
  private final AppLocks locks;
  private final Duration lockWait;
  private final KnownGoods knownGoods;

  /**
   * @param stateRoot the state root the app lives under
   * @param lockWait how long to wait for another operation on the app
   * @param infraApps the configured infra apps (a hand snapshot of one is refused, I1)
   */
  public AppSnapshots(Path stateRoot, Duration lockWait, Set<String> infraApps) {
    this.state = new StateStore(stateRoot);
    this.locks = new AppLocks(stateRoot);
    this.lockWait = lockWait;
    this.knownGoods = new KnownGoods(state, infraApps);
  }

  /** Snapshots the app's volumes as its known-good; refuses a canonical or an infra app ({@link KnownGoods}). */
  public SnapshotMeta snapshot(String app, SnapshotStore store, Supplier<Map<String, Path>> volumes, SnapshotTag tag,
      Supplier<QuiescenceCheck> quiet, Progress progress) {
    knownGoods.refuseByHand(app);
    volumes.get();
    try (LockFile lock = lock(app, "snapshot")) {
      return knownGoods.byHand(app, store, volumes, tag, quiet, progress);
    }
  }

  /** Restores the known-good into the app's volumes and verifies; a canonical's volume state follows (I4). */
  public VerifyReport restore(String app, SnapshotStore store, Supplier<Map<String, Path>> volumes,
      Supplier<QuiescenceCheck> quiet, boolean verifyContent, Progress progress) {
    requireKnownGood(store);
    volumes.get();
    try (LockFile lock = lock(app, "restore")) {
      boolean canonical = state.read(app, StateFile.CANONICAL).isPresent();
      Map<String, Path> vols = volumes.get();
      QuiescenceCheck q = quiet.get();
      // Asked before the state changes too: a busy volume, or a stack still going down after the bound, is refused
      // having changed nothing (the store asks again right before it writes).
      vols.forEach(q::requireQuiet);
      if (canonical) {
        // From the first byte written until verified, the volumes are not at any snapshot.
        state.write(app, StateFile.VOLUME_STATE,
            VolumeState.dirty("restore-" + store.knownGoodId().orElse("none")));
      }
      VerifyReport r = store.restore(vols, q, verifyContent, progress);
      if (canonical) {
        state.write(app, StateFile.VOLUME_STATE, VolumeState.clean(r.snapshotId()));
      }
      return r;
    }
  }

  /** Compares the app's volumes with its known-good; changes nothing. */
  public VerifyReport verify(String app, SnapshotStore store, Supplier<Map<String, Path>> volumes,
      boolean verifyContent) {
    requireKnownGood(store);
    volumes.get();
    try (LockFile lock = lock(app, "verify")) {
      return store.verify(volumes.get(), verifyContent);
    }
  }

  /** Prunes the app's store keeping what its records name, after repairing a lost link from canonical.json (D2). */
  public Pruned prune(String app, SnapshotStore store) {
    if (!Files.exists(store.directory(), LinkOption.NOFOLLOW_LINKS)
        && state.read(app, StateFile.CANONICAL).isEmpty()) {
      throw WarmException.usage("no snapshot store at " + store.directory()); // nor a record to repair one from
    }
    try (LockFile lock = lock(app, "prune")) {
      SnapshotRecords records = new SnapshotRecords(state, app);
      String repaired = knownGoods.repairFromRecord(app, store).orElse(null);
      return new Pruned(repaired, store.prune(records.named()));
    }
  }

  /** What a prune did: the id a lost known-good link was repaired to (or null), and what it removed. */
  public record Pruned(String repairedTo, List<String> removed) {}

  /**
   * Refuses (exit 2) a restore or verify with nothing to compare with, before the lock (the store says the same
   * again under it).
   */
  private static void requireKnownGood(SnapshotStore store) {
    if (!Files.isDirectory(store.directory(), LinkOption.NOFOLLOW_LINKS)) {
      throw WarmException.usage("no snapshot store at " + store.directory());
    }
    if (store.knownGoodId().isEmpty()) {
      throw WarmException.usage("no known-good snapshot in " + store.directory());
    }
  }

  private LockFile lock(String app, String operation) {
    return locks.acquire(app, operation + " (by hand)", lockWait);
  }
}
