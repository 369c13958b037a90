package warm.nightly.canonical;

import java.util.LinkedHashMap;
import java.util.Map;
import warm.core.ExitCode;

/**
 * What a promotion (or seed) did, derived from what is on disk afterwards ({@link PromoteVerdict}).
 *
 * @param recipe the recipe
 * @param outcome {@code promoted} (canonical.json names the target and the new known-good verifies) or
 *     {@code failed} (rolled back, or its rollback failed: see {@code restored})
 * @param seed whether this was the first seed (no canonical before)
 * @param version the target release
 * @param commit the commit of the target release
 * @param snapshotId the known-good afterwards (null when a failed seed left none)
 * @param previousSnapshotId the known-good before (null for a seed)
 * @param restored for a failure: whether the rollback completed (old known-good restored and verified, or the failed
 *     seed removed)
 * @param reason why it failed (null when promoted)
 * @param exit the exit status: 0 promoted, 1 the check command failed (rolled back), 4 anything else
 */
public record PromoteResult(String recipe, String outcome, boolean seed, String version, String commit,
    String snapshotId, String previousSnapshotId, boolean restored, String reason, ExitCode exit) {

  /** Whether the canonical advanced. */
  public boolean promoted() {
    return "promoted".equals(outcome);
  }

  /** The {@code --json} object. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", "promote");
    m.put("recipe", recipe);
    m.put("outcome", outcome);
    m.put("seed", seed);
    m.put("version", version);
    m.put("commit", commit);
    m.put("snapshotId", snapshotId);
    m.put("previousSnapshotId", previousSnapshotId);
    m.put("restored", restored);
    m.put("reason", reason);
    m.put("exit", exit.code());
    return m;
  }
}
