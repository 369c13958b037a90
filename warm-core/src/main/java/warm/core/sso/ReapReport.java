package warm.core.sso;

import java.util.List;

/**
 * What a reap did: every realm of this installation with the action taken and why, plus how many realms were
 * left alone because they are not ours ({@code master}, foreign realms, realms of other installations).
 *
 * @param entries one per realm stamped as ours
 * @param notOurs how many realms were not ours and therefore untouched
 * @param dryRun whether nothing was actually deleted
 */
public record ReapReport(List<Entry> entries, int notOurs, boolean dryRun) {
  /**
   * Copies the entries.
   *
   * @param entries one per realm stamped as ours
   * @param notOurs realms left alone
   * @param dryRun whether nothing was deleted
   */
  public ReapReport {
    entries = List.copyOf(entries);
  }

  /** What happened to one realm. */
  public enum Action {
    /** Deleted (or found already gone while deleting). */
    DELETED,
    /** Would be deleted (dry run). */
    WOULD_DELETE,
    /** Kept: its run is alive, or it is too young to judge. */
    KEPT,
    /** Kept because something failed: the liveness check could not tell, or the delete failed. */
    FAILED
  }

  /**
   * One realm's outcome.
   *
   * @param realm the realm
   * @param runId the run stamped on it
   * @param action what was done
   * @param reason why, for people
   */
  public record Entry(String realm, String runId, Action action, String reason) {}

  /**
   * Realms this reap deleted.
   *
   * @return the entries with action {@link Action#DELETED}
   */
  public List<Entry> deleted() {
    return entries.stream().filter(e -> e.action() == Action.DELETED).toList();
  }

  /**
   * Whether any realm could not be handled (the command then exits 4).
   *
   * @return true when some entry {@link Action#FAILED}
   */
  public boolean hasFailures() {
    return entries.stream().anyMatch(e -> e.action() == Action.FAILED);
  }
}
