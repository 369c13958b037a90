package warm.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Outcome of comparing trees against a snapshot's manifest: how many entries were compared, whether content hashes
 * took part, and the differences (empty when identical; capped, with {@code differenceCount} the full number). After
 * a restore, {@code restore} says which kind ran and what it touched (null for a plain verify).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyReport(String snapshotId, int entriesCompared, boolean contentCompared, int differenceCount,
    List<String> differences, RestoreOutcome restore) {

  public VerifyReport(String snapshotId, int entriesCompared, boolean contentCompared, int differenceCount,
      List<String> differences) {
    this(snapshotId, entriesCompared, contentCompared, differenceCount, differences, null);
  }

  public boolean identical() {
    return differenceCount == 0;
  }

  public VerifyReport withRestore(RestoreOutcome outcome) {
    return new VerifyReport(snapshotId, entriesCompared, contentCompared, differenceCount, differences, outcome);
  }
}
