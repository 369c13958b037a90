package warm.nightly.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.alert.Alert;
import warm.core.alert.AlertOutbox;
import warm.core.alert.Alerts;
import warm.core.config.DiskSettings;

/** The budget arithmetic and the one alert per crossing. */
class DiskBudgetTest {
  @TempDir
  Path root;

  @Test
  void testBudgetBytes_bytesOrShareOfTheFilesystems() {
    assertEquals(Optional.empty(), DiskBudget.budgetBytes(DiskSettings.none(), 1000));
    assertEquals(Optional.of(123L), DiskBudget.budgetBytes(new DiskSettings(123L, null, null), 1_000_000));
    assertEquals(Optional.of(400L), DiskBudget.budgetBytes(new DiskSettings(null, 40, null), 1000));
    // rounded down, never above the share: 33% of 1001 bytes is 330.33
    assertEquals(Optional.of(330L), DiskBudget.budgetBytes(new DiskSettings(null, 33, null), 1001));
    assertEquals(Optional.of(1001L), DiskBudget.budgetBytes(new DiskSettings(null, 100, null), 1001));
    // no overflow on a 9 EB filesystem
    long huge = Long.MAX_VALUE - 7;
    for (int pct : new int[] {1, 33, 50, 99, 100}) {
      long exact = BigInteger.valueOf(huge).multiply(BigInteger.valueOf(pct)).divide(BigInteger.valueOf(100))
          .longValueExact();
      assertEquals(Optional.of(exact), DiskBudget.budgetBytes(new DiskSettings(null, pct, null), huge), "pct " + pct);
    }
  }

  @Test
  void testLevel_overIsExceeded_equalIsNot_warningAtTheShare() {
    assertEquals(DiskBudget.Level.NO_BUDGET, DiskBudget.level(5, Optional.empty(), 80));
    assertEquals(DiskBudget.Level.OK, DiskBudget.level(79, Optional.of(100L), 80));
    assertEquals(DiskBudget.Level.WARNING, DiskBudget.level(80, Optional.of(100L), 80));
    assertEquals(DiskBudget.Level.WARNING, DiskBudget.level(100, Optional.of(100L), 80));
    assertEquals(DiskBudget.Level.EXCEEDED, DiskBudget.level(101, Optional.of(100L), 80));
    assertEquals(DiskBudget.Level.WARNING, DiskBudget.level(1, Optional.of(1L), 100));
    assertEquals(DiskBudget.Level.OK, DiskBudget.level(0, Optional.of(1L), 100));
    long p = 1L << 60;
    assertEquals(DiskBudget.Level.WARNING, DiskBudget.level(p / 10 * 9, Optional.of(p), 80), "no overflow at 1 EiB");
    assertEquals(DiskBudget.Level.OK, DiskBudget.level(p / 10 * 7, Optional.of(p), 80));
  }

  private static Status.Disk disk(long used, long budget) {
    return new Status.Disk(Map.of("volumes", used, "snapshots", 0L), used, 0, true, 10_000, budget, 80,
        DiskBudget.level(used, Optional.of(budget), 80), List.of());
  }

  @Test
  void testAlertOnCrossing_oncePerCrossing() throws Exception {
    AlertOutbox outbox = new AlertOutbox(root);
    Alerts alerts = new Alerts(outbox, List.of());
    assertTrue(DiskBudget.alertOnCrossing(root, disk(50, 100), alerts).isEmpty());
    assertFalse(Files.exists(root.resolve("alerts")), "under the budget with no record: nothing written");

    Optional<Alert> first = DiskBudget.alertOnCrossing(root, disk(150, 100), alerts);
    assertTrue(first.isPresent());
    assertEquals(DiskBudget.ALERT_KIND, first.get().kind());
    assertTrue(first.get().message().contains("150 bytes") && first.get().message().contains("100 bytes"),
        first.get().message());
    assertEquals(1, outbox.pendingCount());

    assertTrue(DiskBudget.alertOnCrossing(root, disk(170, 100), alerts).isEmpty(), "still over: no second alert");
    assertEquals(1, outbox.pendingCount());

    assertTrue(DiskBudget.alertOnCrossing(root, disk(90, 100), alerts).isEmpty(), "back under: no alert");
    assertTrue(DiskBudget.alertOnCrossing(root, disk(120, 100), alerts).isPresent(), "crossed again: alert");
    assertEquals(2, outbox.pendingCount());
    assertEquals(List.of(DiskBudget.ALERT_KIND, DiskBudget.ALERT_KIND),
        outbox.pending().stream().map(e -> e.alert().kind()).toList());
  }

  @Test
  void testAlertOnCrossing_damagedRecordStillAlerts() throws Exception {
    Files.createDirectories(root.resolve("alerts"));
    Files.writeString(root.resolve("alerts").resolve(DiskBudget.MARK), "{not json");
    Alerts alerts = new Alerts(new AlertOutbox(root), List.of());
    assertTrue(DiskBudget.alertOnCrossing(root, disk(150, 100), alerts).isPresent());
    assertTrue(DiskBudget.alertOnCrossing(root, disk(150, 100), alerts).isEmpty());
  }
}
