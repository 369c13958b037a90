package warm.core.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * The last reconcile of an infra app ({@code <root>/<app>/reconcile.json}), for {@code warm status} and monitoring.
 *
 * @param outcome what happened ({@code applied}, {@code no-op}, {@code held}, {@code rolled-back}, …)
 * @param from the version the app ran before, or null when it was not deployed
 * @param to the version it was meant to end at, or null
 * @param running the version it runs now, or null when nothing runs
 * @param reason one line on why (the failure, the hold), or null
 * @param finishedAt when the reconcile ended
 * @param millis how long it took
 * @param domain the domain the app is deployed at; prune asks the Swarm by it whether an app removed from
 *     {@code infra[]} still runs before it removes the state. Null in records written before it was kept
 */
public record ReconcileRecord(
    String outcome,
    String from,
    String to,
    String running,
    String reason,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant finishedAt,
    long millis,
    String domain) {
  /** Outcome and time are required. */
  public ReconcileRecord {
    Fields.text(outcome, "outcome");
    Fields.present(finishedAt, "finishedAt");
  }
}
