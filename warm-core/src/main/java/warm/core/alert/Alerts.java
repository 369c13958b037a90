package warm.core.alert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;

/**
 * Raising alerts: store durably in the outbox, log at ERROR (under systemd the entry modules prefix {@code <3>},
 * so {@code journalctl -p err} finds it), then deliver everything pending. Raising never throws: it happens on
 * failure paths, and must not hide the failure it reports.
 */
public final class Alerts {
  private static final Logger LOG = LoggerFactory.getLogger("warm.alert");

  private final AlertOutbox outbox;
  private final List<AlertChannel> channels;

  /** Alerts stored in that outbox and delivered to those channels (none: they wait in the outbox). */
  public Alerts(AlertOutbox outbox, List<AlertChannel> channels) {
    this.outbox = outbox;
    this.channels = List.copyOf(channels);
  }

  /** The outbox under the configured state root, delivering to the configured channels. */
  public static Alerts fromConfig(WarmConfig config, ProcessRunner runner) {
    return new Alerts(new AlertOutbox(config.stateRoot()), AlertChannel.fromConfig(config, runner));
  }

  /** The outbox. */
  public AlertOutbox outbox() {
    return outbox;
  }

  /**
   * Stores, logs and delivers the alert (and any older pending ones).
   *
   * @return where it was stored and what delivery did
   */
  public Raised raise(Alert alert) {
    Path stored = null;
    String storeError = null;
    try {
      stored = outbox.write(alert);
    } catch (RuntimeException e) {
      storeError = e.getMessage();
    }
    LOG.error("{}", alert.summary());
    if (storeError != null) {
      LOG.error("alert {} could NOT be stored in the outbox ({}); delivering it directly once", alert.id(),
          storeError);
      return new Raised(alert, null, direct(alert, storeError));
    }
    return new Raised(alert, stored, deliverPending());
  }

  /** Delivers what earlier runs could not; call at the start of every run. Never throws. */
  public DeliveryReport deliverPending() {
    try {
      return outbox.deliverPending(channels);
    } catch (RuntimeException e) {
      LOG.warn("alert delivery failed: {}", e.getMessage());
      return new DeliveryReport(List.of(), List.of(), List.of(new DeliveryReport.Failure("*", "outbox",
          String.valueOf(e.getMessage()))), "the outbox could not be read");
    }
  }

  private DeliveryReport direct(Alert alert, String storeError) {
    var failures = new ArrayList<DeliveryReport.Failure>();
    failures.add(new DeliveryReport.Failure(alert.id(), "outbox", storeError));
    for (AlertChannel ch : channels) {
      try {
        ch.deliver(alert);
      } catch (RuntimeException e) {
        failures.add(new DeliveryReport.Failure(alert.id(), ch.describe(), e.getMessage()));
        LOG.warn("alert {} not delivered by {}: {}", alert.id(), ch.describe(), e.getMessage());
      }
    }
    return new DeliveryReport(List.of(), List.of(alert.id()), failures, "not stored: " + storeError);
  }

  /**
   * One raised alert.
   *
   * @param alert the alert
   * @param outboxFile where it was stored, or null when the disk failed us
   * @param delivery what the delivery pass did
   */
  public record Raised(Alert alert, Path outboxFile, DeliveryReport delivery) {
    /** Whether every channel has this alert now. */
    public boolean delivered() {
      return delivery.sent().contains(alert.id());
    }
  }
}
