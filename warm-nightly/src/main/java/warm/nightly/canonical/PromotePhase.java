package warm.nightly.canonical;

import java.util.Locale;
import java.util.Optional;

/**
 * The steps of a promotion (and of a seed, the same path on fresh volumes), in order. Each is written to the journal
 * (kind {@code promote}) before it acts, so a killed run is rolled back from where it stopped (DESIGN I5).
 */
enum PromotePhase {
  /** Journal written; nothing changed yet. */
  STARTED,
  /** Restoring the old known-good into the canonical's volumes first (I4). */
  RESTORING,
  /** Deploying the new release over the canonical's volumes (they are dirty from here on). */
  DEPLOYING,
  /** Running the recipe's check command against the deployed canonical. */
  CHECKING,
  /** Undeploying and waiting until no task holds the volumes. */
  UNDEPLOYING,
  /** Snapshotting the volumes (a snapshot beside the known-good, not yet it). */
  SNAPSHOTTING,
  /** The new snapshot exists (its id is in the journal); the known-good link is being swapped to it. */
  SWAPPING,
  /** {@code canonical.json} names the new snapshot: the promotion happened; only tidying is left. */
  COMMITTED;

  /** The name in the journal and for the pause hook. */
  String journalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The phase of a journal's name; empty for a name this version does not know (rolled back, the safe side). */
  static Optional<PromotePhase> parse(String name) {
    for (PromotePhase p : values()) {
      if (p.journalName().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
