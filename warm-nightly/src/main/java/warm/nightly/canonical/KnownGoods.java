package warm.nightly.canonical;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import warm.core.WarmException;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.snapshot.Progress;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;
import warm.snapshot.authority.KnownGoodAuthority;

/**
 * The one writer of known-goods (DESIGN I1). It alone holds the {@link KnownGoodAuthority} the snapshot store asks
 * for (warm.snapshot exports that type to warm.nightly only, so no other module can write a known-good at all), and
 * each method names who may call it: the canonical lifecycle (promotion, whose first run is the seed), the infra
 * reconciler (its pre-upgrade snapshot, next), and an operator's hand snapshot of a plain store or of an app that is
 * neither.
 */
public final class KnownGoods {
  private static final KnownGoodAuthority AUTHORITY = KnownGoodAuthority.grant();

  private final StateStore state;
  private final Set<String> infraApps;

  /**
   * @param state the state root's files (canonical.json tells a canonical)
   * @param infraApps names of the configured infra apps (their known-good is the reconciler's)
   */
  public KnownGoods(StateStore state, Set<String> infraApps) {
    this.state = state;
    this.infraApps = Set.copyOf(infraApps);
  }

  /**
   * The canonical lifecycle's swap ({@link Promotion}, the seed included, and its rollback {@link PromoteRollback}):
   * points the known-good at snapshot {@code id}, complete in the store — the one a promotion just took, or, when
   * it failed or was killed before {@code canonical.json} named the new one, back at the one it replaced.
   */
  void ofPromotion(SnapshotStore store, String id) {
    store.makeKnownGood(AUTHORITY, id);
  }

  /**
   * The infra reconciler's pre-upgrade snapshot of a stateful infra app (DESIGN I1's second writer): the data its
   * rollback restores. Refused for an app that is not a configured infra app, or that is a canonical.
   */
  public SnapshotMeta ofInfraApp(String app, SnapshotStore store, Map<String, Path> volumes, SnapshotTag tag,
      QuiescenceCheck quiet) {
    if (!infraApps.contains(app)) {
      throw WarmException.usage("app " + app + " is not a configured infra app: the reconciler snapshots only those");
    }
    if (state.read(app, StateFile.CANONICAL).isPresent()) {
      throw WarmException.usage("app " + app + " is a canonical: its known-good changes only by promotion");
    }
    return store.snapshotAsKnownGood(AUTHORITY, volumes, tag, quiet, Progress.none());
  }

  /**
   * An operator's snapshot of an app by hand: refused for a canonical (its known-good changes only by promotion)
   * and for an infra app (only the reconciler snapshots it before an upgrade) — before the volumes or the
   * quiescence check (Docker) are even asked for.
   */
  SnapshotMeta byHand(String app, SnapshotStore store, Supplier<Map<String, Path>> volumes, SnapshotTag tag,
      Supplier<QuiescenceCheck> quiet, Progress progress) {
    refuseByHand(app);
    return store.snapshotAsKnownGood(AUTHORITY, volumes.get(), tag, quiet.get(), progress);
  }

  /** Refuses (exit 2) a hand snapshot of a canonical's or an infra app's known-good (I1). */
  void refuseByHand(String app) {
    if (state.read(app, StateFile.CANONICAL).isPresent()) {
      throw WarmException.usage("app " + app + " is a canonical: its known-good changes only by promotion"
          + " ('warm promote'); use --store for a copy elsewhere");
    }
    if (infraApps.contains(app)) {
      throw WarmException.usage("app " + app + " is an infra app: its known-good is the reconciler's pre-upgrade"
          + " snapshot; use --store for a copy elsewhere");
    }
  }

  /** An operator's snapshot into a plain store ({@code warm snapshot --store}): no app, no record beside it. */
  public static SnapshotMeta ofPlainStore(SnapshotStore store, Map<String, Path> volumes, SnapshotTag tag,
      QuiescenceCheck quiet, Progress progress) {
    return store.snapshotAsKnownGood(AUTHORITY, volumes, tag, quiet, progress);
  }

  /**
   * Points a lost {@code known-good} link back at the snapshot {@code canonical.json} names (D2), and returns its id;
   * an existing link is never moved. Not a new known-good: the record already says which one it is.
   */
  Optional<String> repairFromRecord(String app, SnapshotStore store) {
    return state.read(app, StateFile.CANONICAL).map(CanonicalRecord::snapshotId)
        .filter(id -> store.repairKnownGood(AUTHORITY, id));
  }
}
