package warm.nightly.prune;

import java.util.List;
import warm.core.ExitCode;

/**
 * What a prune did.
 *
 * @param plan what it set out to do (for a dry run, all it did)
 * @param dryRun whether nothing was changed
 * @param removed the candidates removed
 * @param skipped candidates left because the situation changed since the plan (a run took its lock again)
 * @param failed candidates whose removal failed, with the error
 * @param freedBytes what the removed candidates held
 */
public record PruneReport(PrunePlan plan, boolean dryRun, List<Candidate> removed, List<Kept> skipped,
    List<Failure> failed, long freedBytes) {
  public PruneReport {
    removed = List.copyOf(removed);
    skipped = List.copyOf(skipped);
    failed = List.copyOf(failed);
  }

  /** A removal that failed. */
  public record Failure(Candidate candidate, String error) {}

  /** 0 when everything planned was done (even nothing), 4 when a removal failed or something could not be judged. */
  public ExitCode exitCode() {
    return failed.isEmpty() && plan.problems().isEmpty() ? ExitCode.OK : ExitCode.INFRA;
  }
}
