package warm.core.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;

/**
 * An infra app held on its current version by the upgrade gate ({@code <root>/<app>/hold.json}): which target, why,
 * and the alert raised for it. One alert per (app, target): a reconcile that finds the same target held again reads
 * this file and raises nothing new; a newer target, or the hold's release, replaces or deletes it.
 *
 * @param current the version the app stays on
 * @param target the version the gate held back
 * @param reasons one line per hold reason (code, version, detail)
 * @param quotes the release-note lines that asked for a manual step, quoted
 * @param since when the hold was first recorded
 * @param alertId the alert raised for this (app, target)
 */
public record InfraHold(
    String current,
    String target,
    List<String> reasons,
    List<String> quotes,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant since,
    String alertId) {
  /** Versions, time and alert id are required; lists are copied. */
  public InfraHold {
    Fields.text(current, "current");
    Fields.text(target, "target");
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    quotes = quotes == null ? List.of() : List.copyOf(quotes);
    Fields.present(since, "since");
    Fields.text(alertId, "alertId");
  }
}
