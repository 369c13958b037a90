package warm.nightly.reconcile;

import warm.core.config.WarmConfig;
import warm.core.recovery.JournalRecovery;

/**
 * The reconciler's entry in the recovery registry: a killed reconcile is finished (committed) or rolled back to its
 * last-good with the pre-upgrade data by {@code warm recover} (and by the next reconcile of the app).
 */
public final class ReconcileRecovery implements JournalRecovery {
  /** For {@link java.util.ServiceLoader}. */
  public ReconcileRecovery() {}

  @Override
  public String kind() {
    return InfraUpgrade.OPERATION;
  }

  @Override
  public Recoverer open(WarmConfig config) {
    return InfraReconciler.create(config)::recover;
  }
}
