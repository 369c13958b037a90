package warm.nightly.prune;

import java.util.List;

/**
 * What a prune would do: the candidates with their reasons, what it keeps and why, what it could not judge, and the
 * de-enrolment markers to write or clear.
 *
 * @param candidates what would be removed
 * @param kept what was looked at and stays
 * @param problems what could not be judged (the run then exits 4; nothing of it is removed)
 * @param deenrolledNow canonicals and infra apps' states first seen unconfigured now: their {@code deenrolled.json}
 *     starts the grace period
 * @param reenrolled configured apps (enrolled recipes, infra apps) that still carry a {@code deenrolled.json}: it is
 *     cleared
 */
public record PrunePlan(List<Candidate> candidates, List<Kept> kept, List<String> problems,
    List<String> deenrolledNow, List<String> reenrolled) {
  public PrunePlan {
    candidates = List.copyOf(candidates);
    kept = List.copyOf(kept);
    problems = List.copyOf(problems);
    deenrolledNow = List.copyOf(deenrolledNow);
    reenrolled = List.copyOf(reenrolled);
  }

  /** What the candidates hold, in bytes. */
  public long bytes() {
    return candidates.stream().mapToLong(Candidate::bytes).sum();
  }
}
