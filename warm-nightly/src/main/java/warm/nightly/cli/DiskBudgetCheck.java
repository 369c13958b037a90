package warm.nightly.cli;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;
import warm.nightly.status.DiskBudget;
import warm.nightly.status.Status;

/**
 * The disk budget checked after the commands that change how much warm data there is (the nightly, prune): a
 * crossing of the budget raises its alert once (issue 13). The check never fails the command it follows.
 */
final class DiskBudgetCheck {
  private static final Logger LOG = LoggerFactory.getLogger(DiskBudgetCheck.class);

  private DiskBudgetCheck() {}

  static void after(String command, WarmConfig config) {
    if (!config.disk().hasBudget()) {
      return;
    }
    try {
      ProcessRunner runner = ProcessRunner.system();
      Status.Disk d = DiskBudget.check(config, Optional.of(Platforms.create(config, runner)),
          Alerts.fromConfig(config, runner));
      LOG.info("{}: warm data uses {} bytes of a budget of {} ({})", command, d.usedBytes(), d.budgetBytes(),
          d.level().label());
    } catch (RuntimeException e) {
      LOG.warn("{}: the disk budget could not be checked: {}", command, e.getMessage());
    }
  }
}
