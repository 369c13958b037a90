package warm.nightly.reconcile;

import java.util.List;
import java.util.Map;
import warm.gate.GateDecision;

/**
 * What one reconcile did (or, with {@code dryRun}, would do): the outcome, the versions, the gate's decision, the
 * steps in order and how long each part took. Never carries a secret (I10).
 *
 * @param app the infra app's name
 * @param recipe its recipe
 * @param outcome what happened
 * @param dryRun whether this is only the plan
 * @param from the version it ran before (null when it was not deployed)
 * @param to the version it was meant to end at (the latest release, or the version redeployed), or null
 * @param running the version it runs now as far as this run knows (null when nothing runs)
 * @param lastGood the last-good version recorded now, or null
 * @param gate the upgrade gate's decision, or null when the gate was not asked
 * @param snapshotId the pre-upgrade snapshot taken (stateful apps), or null
 * @param reason why: the failure, the hold, the lock holder; null on plain success
 * @param alertId the alert raised, or null
 * @param steps what was done (or planned), in order
 * @param timings milliseconds per part ({@code total}, {@code gate}, {@code snapshot}, {@code deploy}, {@code health},
 *     {@code rollback}), only those that ran
 */
public record ReconcileResult(String app, String recipe, ReconcileOutcome outcome, boolean dryRun, String from,
    String to, String running, String lastGood, GateDecision gate, String snapshotId, String reason, String alertId,
    List<String> steps, Map<String, Long> timings) {
  public ReconcileResult {
    steps = List.copyOf(steps);
    timings = Map.copyOf(timings);
  }

  /** The exit code of this result alone. */
  public int exitCode() {
    return outcome.exitCode();
  }

  /** The exit code of several results: the worst one's (see {@link ReconcileOutcome}). */
  public static int exitCodeOf(List<ReconcileResult> results) {
    return ReconcileOutcome.worstExit(results.stream().map(ReconcileResult::exitCode).toList());
  }
}
