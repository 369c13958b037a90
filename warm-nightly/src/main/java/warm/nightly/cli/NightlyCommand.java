package warm.nightly.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import warm.core.WarmException;
import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;
import warm.nightly.canonical.PromoteResult;
import warm.nightly.canonical.Promotion;
import warm.nightly.reconcile.InfraReconciler;
import warm.nightly.sweep.Nightly;
import warm.nightly.sweep.NightlyJson;
import warm.nightly.sweep.NightlyReport;
import warm.nightly.sweep.PromoteStep;
import warm.quick.cli.Cli;

/** {@code warm nightly}: rebuild (infra → latest, gated) → serial cold sweep → promote on green → report. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = {"Rebuild the infra apps, then cold-run every enrolled recipe and promote each green one.",
        "Rebuild: every infra app to its latest gated release. Sweep: each recipe through nightly.coldCommand, one"
            + " at a time; waits for a recipe's in-flight run (bounded by nightly.waitSeconds) and skips it with an"
            + " alert past the bound. Prints a table (or --json).",
        "Exit 0 all green and promoted; 1 a recipe red/skipped/not promoted, or an infra upgrade rolled back;",
        "2 zero enrolled recipes or no cold command; 4 an infra rollback, a promotion or a cold command failed;",
        "5 another nightly is running."})
public final class NightlyCommand implements Callable<Integer> {
  @Mixin Cli.Common common;

  @Override
  public Integer call() {
    WarmConfig config = common.config();
    ProcessRunner runner = ProcessRunner.system();
    Nightly nightly = new Nightly(config, runner, Alerts.fromConfig(config, runner), InfraReconciler.create(config),
        promoteStep(config));
    NightlyReport r = nightly.run();
    DiskBudgetCheck.after("nightly", config);
    System.out.print(common.json ? NightlyJson.of(r).toString() + "\n" : NightlyJson.table(r));
    System.out.flush();
    return r.exit();
  }

  /** The lifecycle's promotion on the cold result, as the sweep asks for it (no check: the cold run was the test). */
  static PromoteStep promoteStep(WarmConfig config) {
    return (recipe, coldResult) -> {
      try {
        PromoteResult r = Promotion.create(config).promote(recipe, Optional.empty(), Optional.of(coldResult),
            List.of());
        return new PromoteStep.Promoted(r.promoted(), r.outcome(), r.exit().code(),
            r.promoted() ? r.version() + " known-good " + r.snapshotId() : r.reason());
      } catch (WarmException e) {
        return new PromoteStep.Promoted(false, "refused", e.exitCode().code(), e.getMessage());
      }
    };
  }
}
