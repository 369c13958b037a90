package warm.core.alert;

import java.util.List;

/**
 * What one delivery pass over the outbox did.
 *
 * @param sent ids of alerts every channel now has (moved to {@code sent/})
 * @param pending ids of alerts still in the outbox (some channel failed, was skipped, or none is configured)
 * @param failures every failed attempt, and every outbox file that could not be read
 * @param note why the pass did less than it could (no channel configured, another process delivering), or null
 */
public record DeliveryReport(List<String> sent, List<String> pending, List<Failure> failures, String note) {
  /** Copies the lists. */
  public DeliveryReport {
    sent = List.copyOf(sent);
    pending = List.copyOf(pending);
    failures = List.copyOf(failures);
  }

  /**
   * One failed delivery.
   *
   * @param alertId the alert (or the outbox file name when the file could not be read)
   * @param channel the channel's description, or {@code outbox} for an unreadable file
   * @param error why
   */
  public record Failure(String alertId, String channel, String error) {}

  /** Whether everything that was pending is now delivered everywhere. */
  public boolean allSent() {
    return pending.isEmpty() && failures.isEmpty();
  }
}
