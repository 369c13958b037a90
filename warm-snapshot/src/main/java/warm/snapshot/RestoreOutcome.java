package warm.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which kind of restore ran (issue 17) and what it touched: {@code delta} put back only what changed since the
 * volumes last equalled the known-good; {@code full} emptied and rewrote them, {@code fullReason} saying why (no or
 * untrusted change record, another known-good, a recreated volume, too many changes, a delta whose result differed).
 * {@code entriesTouched} counts entries removed, created and directories fixed (for a full restore: every entry of
 * the known-good); {@code changed} names up to {@link #MAX_LISTED} of the paths a delta removed or put back
 * ({@code volume: path}), the start of a "what did the run change in the data" report. {@code millis} is the
 * restore's wall time under the store's lock: planning, copying, verifying and recording.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreOutcome(String kind, String fullReason, int entriesTouched, List<String> changed, long millis) {
  public static final String DELTA = "delta";
  public static final String FULL = "full";
  public static final int MAX_LISTED = 50;

  public RestoreOutcome {
    changed = changed == null ? List.of() : List.copyOf(changed);
  }

  public RestoreOutcome(String kind, String fullReason, int entriesTouched, List<String> changed) {
    this(kind, fullReason, entriesTouched, changed, 0);
  }

  public RestoreOutcome withMillis(long ms) {
    return new RestoreOutcome(kind, fullReason, entriesTouched, changed, ms);
  }

  public boolean delta() {
    return DELTA.equals(kind);
  }
}
