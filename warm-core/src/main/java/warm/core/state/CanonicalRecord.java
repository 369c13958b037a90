package warm.core.state;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * What a canonical holds ({@code <root>/<recipe>/canonical.json}): the release its known-good snapshot passed a
 * cold run on. Written by promotion only (DESIGN I1).
 *
 * @param recipe the recipe name
 * @param domain the canonical's stable domain
 * @param version the recipe version deployed when it was promoted ({@code <recipe-semver>+<upstream>} or a commit)
 * @param commit the recipe commit the cold run passed on
 * @param promotedAt when the promotion finished
 * @param snapshotId the known-good snapshot taken by that promotion
 */
public record CanonicalRecord(
    String recipe,
    String domain,
    String version,
    String commit,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant promotedAt,
    String snapshotId) {
  /** Every field is required and non-blank. */
  public CanonicalRecord {
    Fields.text(recipe, "recipe");
    Fields.text(domain, "domain");
    Fields.text(version, "version");
    Fields.text(commit, "commit");
    Fields.present(promotedAt, "promotedAt");
    Fields.text(snapshotId, "snapshotId");
  }
}
