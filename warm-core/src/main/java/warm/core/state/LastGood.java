package warm.core.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * The last version an infra app ran healthy at ({@code <root>/<app>/last-good.json}); the reconciler rolls back
 * to it when an upgrade fails.
 *
 * @param version the recipe version
 * @param recordedAt when it was recorded
 */
public record LastGood(
    String version,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant recordedAt) {
  /** Both fields are required. */
  public LastGood {
    Fields.text(version, "version");
    Fields.present(recordedAt, "recordedAt");
  }

  /** The version recorded now. */
  public static LastGood now(String version) {
    return new LastGood(version, Instant.now());
  }
}
