package warm.quick;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import warm.core.WarmException;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.snapshot.Progress;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.VerifyReport;

/**
 * A canonical's volumes measured against its known-good (DESIGN I4): whether they may be used as they are, and the
 * restore that makes them so. The recorded {@code clean@} state alone is not trusted (D4): a volume can be removed
 * ({@code docker volume rm}) or written by a foreign container without the state file knowing.
 */
final class CanonicalVolumes {
  private final Platform platform;
  private final StateStore store;
  private final SnapshotStore snaps;
  private final AppRef app;

  CanonicalVolumes(Platform platform, StateStore store, SnapshotStore snaps, AppRef app) {
    this.platform = platform;
    this.store = store;
    this.snaps = snaps;
    this.app = app;
  }

  /**
   * Why the volumes must be restored before use, or empty when they are at known-good {@code kg}: recorded clean at
   * it, every volume of the snapshot present, and a metadata comparison (sizes, mtimes, modes; no content hashes,
   * to stay cheap) finds no difference. Needs the stack undeployed (a running app changes its files).
   */
  Optional<String> driftFrom(String kg) {
    Optional<VolumeState> state = store.read(app.recipe(), StateFile.VOLUME_STATE);
    if (state.map(v -> !v.isCleanAt(kg)).orElse(true)) {
      return Optional.of("the volumes are " + state.map(VolumeState::state).orElse("in an unknown state"));
    }
    List<String> missing = missing(knownGood());
    if (!missing.isEmpty()) {
      return Optional.of("volume(s) " + missing + " are missing although recorded clean@" + kg);
    }
    VerifyReport r = snaps.verify(current(), false);
    if (!r.identical()) {
      return Optional.of("the volumes differ from the known-good although recorded clean@" + kg + " ("
          + r.differenceCount() + " differences; first: " + r.differences().get(0) + ")");
    }
    return Optional.empty();
  }

  /**
   * Undeployed stack required: restores the known-good into the volumes, first recreating any the snapshot has that
   * is gone (a removed volume is repaired by a restore, not a re-seed: the seed refuses an existing canonical), and
   * marks them clean. Journals the volumes dirty first, so a crash mid-restore is never taken for clean.
   *
   * @return the volumes that were gone and had to be recreated, and which kind of restore ran
   */
  Restored restore() {
    // Before anything is written: a stack that never finishes going down fails here, having changed nothing.
    platform.awaitUndeployed(app);
    SnapshotMeta meta = knownGood();
    List<String> recreated = missing(meta);
    for (String name : recreated) {
      platform.recreateVolume(app, name);
    }
    store.write(app.recipe(), StateFile.VOLUME_STATE, VolumeState.dirty("restore-" + meta.id()));
    VerifyReport r = snaps.restore(current(), new PlatformQuiescence(platform, app), false, Progress.none());
    store.write(app.recipe(), StateFile.VOLUME_STATE, VolumeState.clean(meta.id()));
    return new Restored(recreated, r.restore());
  }

  /** What {@link #restore()} did: volumes it had to recreate, and the kind of restore (delta or full, and why). */
  record Restored(List<String> recreated, RestoreOutcome outcome) {}

  private SnapshotMeta knownGood() {
    return snaps.knownGood().orElseThrow(() -> WarmException.infra("canonical " + app.recipe()
        + " has no known-good snapshot in " + snaps.directory()));
  }

  private List<String> missing(SnapshotMeta meta) {
    Map<String, Path> now = current();
    List<String> out = new ArrayList<>();
    for (String name : meta.volumes().keySet()) {
      if (!now.containsKey(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /** The stack's volumes now, by name. */
  Map<String, Path> current() {
    Map<String, Path> m = new LinkedHashMap<>();
    for (VolumeInfo v : platform.volumes(app)) {
      m.put(v.name(), v.mountpoint());
    }
    return m;
  }
}
