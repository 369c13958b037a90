package warm.nightly.canonical;

import java.util.Set;
import java.util.TreeSet;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;

/**
 * What an app's state files say about its snapshots. The snapshot store knows only its own directory; the records
 * beside it ({@code canonical.json}, {@code volume-state.json}) name snapshots too, and a prune must never remove
 * one of those (D2). Repairing a lost link is {@link KnownGoods#repairFromRecord}.
 */
public final class SnapshotRecords {
  private final StateStore state;
  private final String app;

  public SnapshotRecords(StateStore state, String app) {
    this.state = state;
    this.app = app;
  }

  /** Every snapshot id a record of the app names. */
  public Set<String> named() {
    Set<String> ids = new TreeSet<>();
    state.read(app, StateFile.CANONICAL).map(CanonicalRecord::snapshotId).ifPresent(ids::add);
    state.read(app, StateFile.VOLUME_STATE).flatMap(VolumeState::snapshotId).ifPresent(ids::add);
    return ids;
  }
}
