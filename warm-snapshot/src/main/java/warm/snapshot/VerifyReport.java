package warm.snapshot;

import java.util.List;

/**
 * Outcome of comparing trees against a snapshot's manifest: how many entries were compared, whether content hashes
 * took part, and the differences (empty when identical; capped, with {@code differenceCount} the full number).
 */
public record VerifyReport(String snapshotId, int entriesCompared, boolean contentCompared, int differenceCount,
    List<String> differences) {
  public boolean identical() {
    return differenceCount == 0;
  }
}
