package warm.quick;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import warm.snapshot.RestoreOutcome;

/**
 * The result of a quick run, written as JSON for the CI runner ({@code --json FILE}).
 *
 * @param mode always {@code quick}
 * @param confidence always {@code lower}: a quick run upgrades a warm canonical, it does not replace a cold run
 * @param outcome {@code pass}, {@code fail}, {@code no-canonical} or {@code error}
 * @param recipe the recipe
 * @param runId the run's unique id
 * @param domain the canonical's domain the run used
 * @param canonical version, commit and snapshot id of the known-good the run started from
 * @param restored whether the known-good was restored into the volumes during the run (before or after)
 * @param reason why it failed, when it did
 * @param timingsMillis wall time per phase
 * @param restores each restore of the run ({@code beforeRun}: I4's restore before the deploy; {@code rollback}: a
 *     FAIL's) — which kind ran ({@code delta}, or {@code full} and why) and how many entries it touched; for a
 *     delta, the first paths it put back: what the previous run changed in the data
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuickResult(String mode, String confidence, String outcome, String recipe, String runId, String domain,
    Map<String, String> canonical, boolean restored, String reason, Map<String, Long> timingsMillis,
    Map<String, RestoreOutcome> restores) {

  /** A result without restores to report. */
  public QuickResult(String mode, String confidence, String outcome, String recipe, String runId, String domain,
      Map<String, String> canonical, boolean restored, String reason, Map<String, Long> timingsMillis) {
    this(mode, confidence, outcome, recipe, runId, domain, canonical, restored, reason, timingsMillis, null);
  }
}
