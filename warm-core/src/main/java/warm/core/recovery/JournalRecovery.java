package warm.core.recovery;

import warm.core.config.WarmConfig;
import warm.core.state.Journal;

/**
 * How one kind of multi-step operation finishes or rolls back what a killed run of it left (DESIGN I5): a service
 * ({@code provides warm.core.recovery.JournalRecovery with …}) that the module owning the operation registers, so
 * {@code warm recover} dispatches by the journal's {@link Journal#operation() kind} without knowing the operations.
 *
 * <p>A provider is loaded by {@link java.util.ServiceLoader}: it needs a public no-argument constructor and does no
 * work until {@link #open} is called.
 */
public interface JournalRecovery {
  /**
   * The journal kind this recovers: the {@link Journal#operation()} its operation writes ({@code quick}, …).
   *
   * @return the kind, unique among the installed providers
   */
  String kind();

  /**
   * The recoverer of this kind for one configuration (it may build adapters, so it is opened once per command).
   *
   * @param config the configuration of the state root the journals are under
   * @return the recoverer
   */
  Recoverer open(WarmConfig config);

  /** Finishes or rolls back one app's journal of this kind. */
  @FunctionalInterface
  interface Recoverer {
    /**
     * Called with the app's lock held and the journal just read under it; deletes the journal when done, keeps it
     * (and throws) when it cannot recover.
     *
     * @param journal the app's journal, of this recoverer's kind
     * @return what was done, one line for the operator
     * @throws warm.core.WarmException when the recovery failed (the journal stays)
     */
    String recover(Journal journal);
  }
}
