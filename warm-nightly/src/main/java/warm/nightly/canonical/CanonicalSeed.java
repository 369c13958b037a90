package warm.nightly.canonical;

import java.util.List;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/**
 * {@code warm canonical seed}: the first known-good of a canonical at a published release of the operator's choice,
 * through the promotion path on fresh volumes ({@link Promotion#seed}: lock, journal, deploy at the stable domain,
 * the optional check, undeploy, snapshot, known-good, {@code canonical.json}; a failed seed leaves nothing behind).
 * It refuses when a canonical already exists: replacing one is promotion, which only a green cold run on the latest
 * release may do (I1).
 */
public final class CanonicalSeed {
  private final WarmConfig config;
  private final Promotion promotion;

  CanonicalSeed(WarmConfig config, Promotion promotion) {
    this.config = config;
    this.promotion = promotion;
  }

  /** The seed on the configured platform. */
  public static CanonicalSeed create(WarmConfig config) {
    return new CanonicalSeed(config, Promotion.create(config));
  }

  /**
   * Seeds the canonical of {@code recipe} at {@code version}; {@code check} (may be empty) must exit 0.
   *
   * @return the record written
   * @throws WarmException when refused (exit 2) or failed (exit 1 when the check failed, else 4; everything the
   *     seed made was removed, or the journal kept for {@code warm recover} when that failed too)
   */
  public CanonicalRecord seed(String recipe, String version, List<String> check) {
    PromoteResult r = promotion.seed(recipe, version, check);
    if (!r.promoted()) {
      throw new WarmException(r.exit(), "seed of " + recipe + " at " + version + " failed: " + r.reason()
          + (r.restored() ? " (everything it made was removed)" : ""));
    }
    return new StateStore(config.stateRoot()).read(recipe, StateFile.CANONICAL).orElseThrow(() ->
        WarmException.infra("seed of " + recipe + " reported success but there is no canonical.json"));
  }
}
