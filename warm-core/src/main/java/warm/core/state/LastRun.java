package warm.core.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * How the last run of one kind on a canonical ended ({@code <root>/<recipe>/last-quick.json},
 * {@code last-promote.json}), for {@code warm status} and monitoring. Written at the end of the run, under its lock;
 * losing it loses a figure, never data.
 *
 * @param outcome the run's word ({@code pass}, {@code fail}, {@code promoted}, {@code failed}, …)
 * @param runId the run's id, or null
 * @param version the release it ran at (the known-good's for a quick run, the target for a promotion), or null
 * @param reason why it did not succeed, or null
 * @param finishedAt when it ended
 */
public record LastRun(
    String outcome,
    String runId,
    String version,
    String reason,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant finishedAt) {
  /** Outcome and time are required. */
  public LastRun {
    Fields.text(outcome, "outcome");
    Fields.present(finishedAt, "finishedAt");
  }
}
