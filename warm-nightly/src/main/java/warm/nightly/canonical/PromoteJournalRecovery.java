package warm.nightly.canonical;

import warm.core.config.WarmConfig;
import warm.core.recovery.JournalRecovery;

/**
 * Promotion's entry in the recovery registry ({@code warm recover}): a killed promotion or seed is rolled back to the
 * old known-good (a first seed: removed) or, past its commit point, finished ({@link PromoteRollback}). Registered by
 * {@code provides} in module-info and by {@code META-INF/services} for the class path.
 */
public final class PromoteJournalRecovery implements JournalRecovery {
  /** For {@link java.util.ServiceLoader}. */
  public PromoteJournalRecovery() {}

  @Override
  public String kind() {
    return PromoteRollback.OPERATION;
  }

  @Override
  public Recoverer open(WarmConfig config) {
    return Promotion.create(config)::recoverJournal;
  }
}
