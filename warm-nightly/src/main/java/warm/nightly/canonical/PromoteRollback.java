package warm.nightly.canonical;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.fs.TreeDeletion;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.state.CanonicalRecord;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotStore;

/**
 * Puts right what a promotion's journal says it left, for the failure path of a running promotion and for the
 * recovery of a killed one alike (one code path, so the crash tests prove the failure path too). The commit point is
 * {@code canonical.json}: when it names the journal's new snapshot the promotion happened and is finished (known-good
 * link, volumes clean at it, old snapshot pruned); otherwise it is rolled back — the known-good link back at the old
 * snapshot, the old known-good restored into the volumes and verified, the new snapshot pruned — or, for a first
 * seed, everything it made removed: stack, volumes, secrets, env file and the state it created.
 */
final class PromoteRollback {
  private static final Logger LOG = LoggerFactory.getLogger(PromoteRollback.class);

  /** The journal kind of a promotion (and of a seed). */
  static final String OPERATION = "promote";
  // Journal data keys; on disk, keep them.
  static final String VERSION = "version";
  static final String COMMIT = "commit";
  static final String DOMAIN = "domain";
  static final String SEED = "seed";
  static final String OLD_SNAPSHOT = "oldSnapshotId";
  static final String NEW_SNAPSHOT = "newSnapshotId";
  /** Whether the seed created {@code <root>/<app>} (then it removes it whole), else which of its files it made. */
  static final String APP_DIR_CREATED = "appDirCreated";
  static final String STORE_CREATED = "storeCreated";

  private final Platform platform;
  private final StateStore state;
  private final KnownGoods knownGoods;

  PromoteRollback(Platform platform, StateStore state, KnownGoods knownGoods) {
    this.platform = platform;
    this.state = state;
    this.knownGoods = knownGoods;
  }

  /** Whether {@code canonical.json} names the journal's new snapshot: the promotion's commit point was passed. */
  boolean committed(Journal j) {
    String next = j.data().get(NEW_SNAPSHOT);
    return next != null && state.read(j.app(), StateFile.CANONICAL).map(CanonicalRecord::snapshotId)
        .filter(next::equals).isPresent();
  }

  /** Finishes a committed promotion, else rolls it back; deletes the journal; says what it did in one line. */
  String settle(Journal j) {
    return committed(j) ? finish(j) : rollBack(j);
  }

  /** The promotion of journal {@code j} happened: tidy up after it. */
  String finish(Journal j) {
    String app = j.app();
    String next = j.data().get(NEW_SNAPSHOT);
    AppRef ref = new AppRef(app, j.data().get(DOMAIN));
    platform.undeploy(ref); // nothing should run after a snapshot; a killed run's leftovers must not
    SnapshotStore store = SnapshotStore.forApp(state.root(), app);
    if (!store.knownGoodId().equals(Optional.of(next))) {
      knownGoods.ofPromotion(store, next);
    }
    CanonicalData data = new CanonicalData(platform, state, store, ref);
    Optional<String> diff = data.differenceFrom(next);
    if (diff.isPresent()) {
      LOG.warn("promotion of {}: restoring the new known-good {} into the volumes: {}", app, next, diff.get());
      data.restoreKnownGood();
    } else {
      state.write(app, StateFile.VOLUME_STATE, VolumeState.clean(next));
    }
    store.prune(new SnapshotRecords(state, app).named());
    state.delete(app, StateFile.JOURNAL);
    return "finished the promotion of " + app + " to " + j.data().get(VERSION) + " (known-good " + next + ")";
  }

  /** The promotion of journal {@code j} did not happen: back to the old known-good, or nothing for a first seed. */
  String rollBack(Journal j) {
    String app = j.app();
    AppRef ref = new AppRef(app, j.data().get(DOMAIN));
    String old = j.data().get(OLD_SNAPSHOT);
    if (old == null) {
      return removeSeed(j, ref);
    }
    platform.undeploy(ref);
    SnapshotStore store = SnapshotStore.forApp(state.root(), app);
    if (!store.knownGoodId().equals(Optional.of(old))) {
      knownGoods.ofPromotion(store, old);
    }
    RestoreOutcome restored = new CanonicalData(platform, state, store, ref).restoreKnownGood();
    store.prune(new SnapshotRecords(state, app).named()); // the new snapshot, if one was taken
    state.delete(app, StateFile.JOURNAL);
    return "rolled back the promotion of " + app + " to " + j.data().get(VERSION) + " from phase " + j.phase()
        + " (old known-good " + old + " restored (" + restored.kind()
        + (restored.fullReason() == null ? "" : ": " + restored.fullReason()) + ", " + restored.entriesTouched()
        + " entries touched) and verified)";
  }

  /** A first seed failed: its stack, volumes, secrets, env file and the state it created go. */
  private String removeSeed(Journal j, AppRef ref) {
    String app = j.app();
    platform.removeApp(ref);
    Path dir = state.appDir(app);
    if (Boolean.parseBoolean(j.data().get(APP_DIR_CREATED))) {
      TreeDeletion.deleteOrFail(dir);
    } else {
      if (Boolean.parseBoolean(j.data().get(STORE_CREATED))) {
        TreeDeletion.deleteOrFail(dir.resolve("snapshots"));
      }
      state.delete(app, StateFile.VOLUME_STATE);
      state.delete(app, StateFile.CANONICAL);
      state.delete(app, StateFile.JOURNAL);
    }
    return "removed the failed first seed of " + app + " (stack, volumes, secrets, env file, state)";
  }
}
