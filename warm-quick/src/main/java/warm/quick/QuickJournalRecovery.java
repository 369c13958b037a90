package warm.quick;

import warm.core.config.WarmConfig;
import warm.core.recovery.JournalRecovery;

/**
 * The quick lane's entry in the recovery registry: a killed quick run is rolled back (or, past {@code passed},
 * finished) by the lane itself. Registered by {@code provides} in module-info and by
 * {@code META-INF/services} for the class path.
 */
public final class QuickJournalRecovery implements JournalRecovery {
  /** For {@link java.util.ServiceLoader}. */
  public QuickJournalRecovery() {}

  @Override
  public String kind() {
    return QuickLane.OPERATION;
  }

  @Override
  public Recoverer open(WarmConfig config) {
    return QuickLanes.create(config)::recoverJournal;
  }
}
