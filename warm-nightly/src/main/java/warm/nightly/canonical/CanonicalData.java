package warm.nightly.canonical;

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
import warm.quick.PlatformQuiescence;
import warm.snapshot.Progress;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotException;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.VerifyReport;

/**
 * A canonical's volumes against its known-good, for promotion: whether they are at it, and the restore (verified)
 * that puts them back. The quick lane has its own ({@code warm.quick.CanonicalVolumes}, package-private there); a
 * promotion's rollback differs on purpose: a volume that vanished is recreated and restored into, since putting the
 * old known-good back is the whole point of the rollback.
 */
final class CanonicalData {
  private final Platform platform;
  private final StateStore state;
  private final SnapshotStore snaps;
  private final AppRef app;

  CanonicalData(Platform platform, StateStore state, SnapshotStore snaps, AppRef app) {
    this.platform = platform;
    this.state = state;
    this.snaps = snaps;
    this.app = app;
  }

  /** The stack's volumes now, by name. */
  Map<String, Path> current() {
    Map<String, Path> m = new LinkedHashMap<>();
    for (VolumeInfo v : platform.volumes(app)) {
      m.put(v.name(), v.mountpoint());
    }
    return m;
  }

  /**
   * Why the volumes are not at snapshot {@code kg}, or empty when they are: recorded {@code clean@kg}, every volume of
   * the snapshot present, and a metadata comparison with its manifest finds no difference. Needs the
   * stack undeployed.
   */
  Optional<String> driftFrom(String kg) {
    Optional<VolumeState> vs = state.read(app.recipe(), StateFile.VOLUME_STATE);
    if (vs.map(v -> !v.isCleanAt(kg)).orElse(true)) {
      return Optional.of("the volumes are " + vs.map(VolumeState::state).orElse("in an unknown state"));
    }
    return differenceFrom(kg);
  }

  /**
   * Why the volumes differ from the known-good {@code kg} whatever the recorded state says, or empty when every
   * volume of the snapshot is present and a metadata comparison with its manifest finds no difference. Needs the
   * stack undeployed.
   */
  Optional<String> differenceFrom(String kg) {
    if (!snaps.knownGoodId().equals(Optional.of(kg))) {
      // verify() compares with the known-good: a question about another snapshot would get the wrong answer
      throw new IllegalStateException("snapshot " + kg + " is not the known-good of " + app.recipe());
    }
    SnapshotMeta meta = snaps.meta(kg);
    Map<String, Path> now = new LinkedHashMap<>(current());
    if (!now.keySet().containsAll(meta.volumes().keySet())) {
      return Optional.of("volume(s) of the known-good are missing: the stack has " + now.keySet()
          + ", the snapshot " + meta.volumes().keySet());
    }
    now.keySet().retainAll(meta.volumes().keySet());
    VerifyReport r = snaps.verify(now, false);
    if (!r.identical()) {
      return Optional.of("the volumes differ from the known-good (" + r.differenceCount() + " differences; first: "
          + r.differences().get(0) + ")");
    }
    return Optional.empty();
  }

  /**
   * Undeployed stack required: restores the known-good into the volumes (recreating any that is gone), verifies
   * the result against its manifest (the store fails when it differs) and marks them {@code clean@<id>}. Journals
   * them dirty first, so a crash mid-restore is never taken for clean.
   *
   * @return which kind of restore ran (delta or full, and why) and what it touched
   */
  RestoreOutcome restoreKnownGood() {
    // Before anything is written: a stack that never finishes going down fails here, having changed nothing.
    platform.awaitUndeployed(app);
    SnapshotMeta meta = snaps.knownGood().orElseThrow(() -> WarmException.infra("canonical " + app.recipe()
        + " has no known-good snapshot in " + snaps.directory()));
    Map<String, Path> now = current();
    List<String> missing = new ArrayList<>();
    for (String name : meta.volumes().keySet()) {
      if (!now.containsKey(name)) {
        missing.add(name);
      }
    }
    for (String name : missing) {
      platform.recreateVolume(app, name);
    }
    state.write(app.recipe(), StateFile.VOLUME_STATE, VolumeState.dirty("restore-" + meta.id()));
    RestoreOutcome outcome;
    try {
      // Only the snapshot's volumes: one that a failed newer release added is not the old known-good's to fill.
      Map<String, Path> vols = new LinkedHashMap<>(current());
      vols.keySet().retainAll(meta.volumes().keySet());
      outcome = snaps.restore(vols, new PlatformQuiescence(platform, app), false, Progress.none()).restore();
    } catch (SnapshotException e) {
      throw WarmException.infra("restore of the known-good " + meta.id() + " of " + app.recipe() + " failed: "
          + e.getMessage(), e);
    }
    state.write(app.recipe(), StateFile.VOLUME_STATE, VolumeState.clean(meta.id()));
    return outcome;
  }
}
