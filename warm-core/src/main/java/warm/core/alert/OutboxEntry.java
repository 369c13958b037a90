package warm.core.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert file in {@code <root>/alerts/outbox/} (and, once delivered everywhere, {@code alerts/sent/}): the alert
 * plus its delivery record, so a retry resends only to the channels that do not have it yet.
 *
 * @param alert the alert document, exactly what channels receive
 * @param deliveredTo channel id ({@link AlertChannel#id()}) → ISO time it confirmed delivery
 * @param attempts delivery passes that tried this alert
 * @param lastAttemptAt ISO time of the last pass, null before the first
 * @param lastErrors channel description → why its last attempt failed (cleared once it delivers)
 */
public record OutboxEntry(Alert alert, Map<String, String> deliveredTo, int attempts, String lastAttemptAt,
    Map<String, String> lastErrors) {
  /** Checks the alert is there and copies the maps (sorted, for stable files). */
  public OutboxEntry {
    if (alert == null) {
      throw new IllegalArgumentException("outbox entry has no 'alert'");
    }
    deliveredTo = deliveredTo == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(deliveredTo));
    lastErrors = lastErrors == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(lastErrors));
  }

  static OutboxEntry fresh(Alert alert) {
    return new OutboxEntry(alert, Map.of(), 0, null, Map.of());
  }

  /** Whether that channel already confirmed this alert. */
  public boolean deliveredTo(AlertChannel channel) {
    return deliveredTo.containsKey(channel.id());
  }

  OutboxEntry afterPass(Map<String, String> newlyDelivered, Map<String, String> errors, Instant at) {
    var d = new TreeMap<>(deliveredTo);
    d.putAll(newlyDelivered);
    return new OutboxEntry(alert, d, attempts + 1, at.toString(), errors);
  }
}
