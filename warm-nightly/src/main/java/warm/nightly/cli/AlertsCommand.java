package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.alert.DeliveryReport;
import warm.core.alert.OutboxEntry;
import warm.core.process.ProcessRunner;
import warm.quick.cli.Cli;

/**
 * {@code warm alerts}: the alert outbox. Alerts are stored durably before delivery; what a channel could not take is
 * retried by every later run, or right now with {@code warm alerts deliver}.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
    description = {"List undelivered alerts (default), deliver them, or send a test alert through every channel.",
        "Listing exits 0 whatever it lists; deliver and test exit 0 when nothing is left undelivered, 4 when a"
            + " channel failed (the alert stays in the outbox)."},
    subcommands = {AlertsCommand.Deliver.class, AlertsCommand.Test.class})
public final class AlertsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  Cli.Common common;

  @Override
  public Integer call() throws Exception {
    var outbox = Alerts.fromConfig(common.config(), ProcessRunner.system()).outbox();
    var pending = outbox.pending();
    if (common.json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("pending", pending.size());
      var arr = o.putArray("alerts");
      for (OutboxEntry e : pending) {
        arr.add(JSON.valueToTree(e));
      }
      System.out.println(o);
    } else {
      System.out.println(pending.size() + " undelivered alert(s) in " + outbox.outboxDir());
      for (OutboxEntry e : pending) {
        System.out.println("  " + e.alert().summary() + "  (attempts: " + e.attempts() + ")");
      }
    }
    return ExitCode.OK.code();
  }

  static int report(DeliveryReport r, boolean json) throws Exception {
    if (json) {
      System.out.println(JSON.writeValueAsString(r));
    } else {
      System.out.println("sent " + r.sent().size() + ", still pending " + r.pending().size()
          + (r.note() == null || r.note().isEmpty() ? "" : " (" + r.note() + ")"));
      for (DeliveryReport.Failure f : r.failures()) {
        System.out.println("  not delivered: " + f.alertId() + " via " + f.channel() + ": " + f.error());
      }
    }
    return r.pending().isEmpty() && r.failures().isEmpty() ? ExitCode.OK.code() : ExitCode.INFRA.code();
  }

  @Command(name = "deliver", mixinStandardHelpOptions = true,
      description = "Deliver every pending alert through every configured channel now.")
  static final class Deliver implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @Override
    public Integer call() throws Exception {
      return report(Alerts.fromConfig(common.config(), ProcessRunner.system()).deliverPending(), common.json);
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Raise a test alert (stored in the outbox, then delivered) to check the channels.")
  static final class Test implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @Option(names = "--message", paramLabel = "TEXT", defaultValue = "test alert from cc-ci-warm",
        description = "the alert text, not blank (default: ${DEFAULT-VALUE})")
    String message;

    @Override
    public Integer call() throws Exception {
      if (message.isBlank()) {
        // The alert builder would refuse it as an unexpected failure (exit 4) after the configuration was read.
        throw WarmException.usage("--message must not be blank");
      }
      Alert a = Alert.builder("test", null).severity(Alert.Severity.WARNING).message(message).build();
      return report(Alerts.fromConfig(common.config(), ProcessRunner.system()).raise(a).delivery(), common.json);
    }
  }
}
