package warm.nightly.sweep;

/**
 * One recipe's line of the nightly report.
 *
 * @param recipe the enrolled recipe
 * @param cold {@code pass}, {@code fail}, {@code error} (the cold command could not produce a result),
 *     {@code skipped} (an in-flight run held the recipe past the bound), {@code not-reached} (past {@code maxTests})
 * @param version the release the cold run tested, when known
 * @param promoted whether the canonical advanced (null when no promotion was attempted)
 * @param promoteOutcome the promotion's word, or null
 * @param promoteExit the promotion's exit code (1: its check failed, rolled back; 4: it failed), or null
 * @param reason why it is not green and promoted, or null
 * @param coldMillis the cold command's wall time
 * @param promoteMillis the promotion's wall time
 */
public record SweepEntry(String recipe, String cold, String version, Boolean promoted, String promoteOutcome,
    Integer promoteExit, String reason, long coldMillis, long promoteMillis) {
  /** Green and promoted. */
  public boolean ok() {
    return "pass".equals(cold) && Boolean.TRUE.equals(promoted);
  }
}
