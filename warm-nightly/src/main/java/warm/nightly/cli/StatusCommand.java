package warm.nightly.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;
import warm.nightly.status.DiskBudget;
import warm.nightly.status.JsonRenderer;
import warm.nightly.status.PrometheusTextfile;
import warm.nightly.status.Status;
import warm.nightly.status.StatusCollector;
import warm.nightly.status.TextRenderer;
import warm.quick.cli.Cli;

/**
 * {@code warm status}: canonicals, infra apps, undelivered alerts and disk against the budget, read without taking
 * any lock. Besides reading, it raises the disk-budget alert on a crossing (once per crossing) and rewrites the
 * Prometheus textfile when one is configured or named.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show canonicals, infra apps, undelivered alerts and warm data on disk against the budget.",
        "Canonicals: known-good, age, size, volume state, journals. Infra apps: running, last-good, hold, last"
            + " reconcile.",
        "Raises the disk-budget-exceeded alert once per crossing; writes the Prometheus textfile when configured",
        "(status.textfile) or given (--textfile). Changes no app and takes no lock.",
        "Exit 0 when all is well, 4 when something needs the operator (listed under 'needs attention'),",
        "2 on a configuration error."})
public final class StatusCommand implements Callable<Integer> {
  @Mixin
  Cli.Common common;

  @Option(names = "--textfile", paramLabel = "FILE",
      description = "write the Prometheus textfile here, an absolute path (overrides status.textfile)")
  Path textfile;

  @Override
  public Integer call() {
    // Checked before anything runs (the disk check may raise an alert): a relative path would land in the working
    // directory of whoever runs it (a systemd unit's is /), and status.textfile must be absolute for the same reason.
    if (textfile != null && (!textfile.isAbsolute() || textfile.getFileName() == null)) {
      throw WarmException.usage("--textfile must be an absolute path of a file, got '" + textfile + "'");
    }
    WarmConfig config = common.config();
    StatusCollector collector = StatusCollector.forConfig(config);
    Status.Disk disk = DiskBudget.check(config, collector.platform(),
        Alerts.fromConfig(config, ProcessRunner.system()));
    Status status = collector.collect(disk);
    if (common.json) {
      System.out.println(JsonRenderer.render(status));
    } else {
      System.out.print(TextRenderer.render(status));
    }
    System.out.flush();
    // After the output: a textfile that cannot be written still leaves the operator the status (then exit 4).
    Path target = textfile != null ? textfile : config.status().textfile();
    if (target != null) {
      PrometheusTextfile.write(target, PrometheusTextfile.render(status));
    }
    return status.attention().isEmpty() ? ExitCode.OK.code() : ExitCode.INFRA.code();
  }
}
