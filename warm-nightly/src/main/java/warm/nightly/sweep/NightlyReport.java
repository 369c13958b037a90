package warm.nightly.sweep;

import java.util.List;
import warm.nightly.reconcile.ReconcileResult;

/**
 * What one {@code warm nightly} did: the rebuild (each infra app's reconcile, or the rebuild command's exit), the
 * sweep (one entry per enrolled recipe), and the exit code that sums it up.
 *
 * @param infra the infra apps' reconcile results (empty when a rebuild command ran instead)
 * @param rebuildCommandExit the rebuild command's exit status, or null when the nightly reconciled itself
 * @param sweep one entry per enrolled recipe, in enrolment order
 * @param exit 0 all green and promoted; 1 a recipe red, skipped or not promoted, or an infra upgrade rolled back;
 *     2 nothing to sweep (zero enrolled, no cold command); 4 an infra rollback or promotion failed, or the rebuild
 *     command failed; 5 another nightly is running
 * @param error a run-level failure, or null
 * @param alertId the summary alert raised when anything failed, or null
 * @param millis the whole run's wall time
 */
public record NightlyReport(List<ReconcileResult> infra, Integer rebuildCommandExit, List<SweepEntry> sweep, int exit,
    String error, String alertId, long millis) {
  public NightlyReport {
    infra = List.copyOf(infra);
    sweep = List.copyOf(sweep);
  }
}
