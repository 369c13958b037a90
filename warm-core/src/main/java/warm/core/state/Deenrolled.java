package warm.core.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * When {@code warm prune} first saw a canonical whose recipe is no longer enrolled, or the state of an infra app no
 * longer in {@code infra[]} ({@code <root>/<app>/deenrolled.json}). The configuration keeps no history, so this marker
 * is the de-configuration time the grace period counts from; prune deletes it when it finds the app configured again.
 *
 * @param since when prune first saw the recipe missing from {@code recipes[]} (or the app from {@code infra[]})
 */
public record Deenrolled(
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant since) {
  /** The time is required. */
  public Deenrolled {
    Fields.present(since, "since");
  }
}
