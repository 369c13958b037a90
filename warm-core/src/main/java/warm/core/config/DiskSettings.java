package warm.core.config;

/**
 * The disk budget of warm data (canonicals' volumes and every snapshot), JSON key {@code disk}. At most one of
 * {@code budgetBytes} and {@code budgetPercent} is set; with neither, usage is reported but no budget applies.
 *
 * @param budgetBytes the budget in bytes
 * @param budgetPercent the budget as a share (1–100) of the filesystem(s) holding the state root and the warm volumes
 * @param warnPercent usage at or above this share (1–100) of the budget is a warning (default 80)
 */
public record DiskSettings(Long budgetBytes, Integer budgetPercent, Integer warnPercent) {
  /** Default warning threshold, percent of the budget. */
  public static final int DEFAULT_WARN_PERCENT = 80;

  public DiskSettings {
    warnPercent = warnPercent == null ? DEFAULT_WARN_PERCENT : warnPercent;
  }

  /** No budget (the default): usage is shown, nothing is ever over budget. */
  public static DiskSettings none() {
    return new DiskSettings(null, null, null);
  }

  /** Whether a budget is configured. */
  public boolean hasBudget() {
    return budgetBytes != null || budgetPercent != null;
  }
}
