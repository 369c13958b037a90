package warm.core.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a canonical's volumes are known to equal a snapshot ({@code clean@<snapshot id>}) or may have been
 * changed by a run ({@code dirty@<run id>}); a quick run restores first unless they are clean at the current
 * known-good (DESIGN I4). Stored as {@code {"state": "clean@snap-…", "since": "…"}} in
 * {@code <root>/<app>/volume-state.json}.
 *
 * @param kind clean or dirty
 * @param id the snapshot id (clean) or the run id (dirty)
 * @param since when the state was recorded
 */
@JsonPropertyOrder({"state", "since"})
public record VolumeState(
    @JsonIgnore Kind kind,
    @JsonIgnore String id,
    @JsonSerialize(using = StateJson.InstantSerializer.class) Instant since) {

  /** The two states a canonical's volumes can be in. */
  public enum Kind {
    /** Byte-equal to the named snapshot. */
    CLEAN,
    /** Possibly changed by the named run (or a crash during it). */
    DIRTY;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** All fields are required; the id has no spaces or control characters. */
  public VolumeState {
    Fields.present(kind, "kind");
    Fields.text(id, "id");
    if (id.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == ' ')) {
      throw new IllegalArgumentException("volume state id '" + id.replaceAll("\\p{Cntrl}", "?")
          + "' contains spaces or control characters");
    }
    Fields.present(since, "since");
  }

  /** Volumes equal to that snapshot, as of now. */
  public static VolumeState clean(String snapshotId) {
    return new VolumeState(Kind.CLEAN, snapshotId, Instant.now());
  }

  /** Volumes possibly changed by that run, as of now. */
  public static VolumeState dirty(String runId) {
    return new VolumeState(Kind.DIRTY, runId, Instant.now());
  }

  /** Parses {@code clean@<snapshot id>} or {@code dirty@<run id>}. */
  public static VolumeState parse(String state, Instant since) {
    Fields.text(state, "state");
    int at = state.indexOf('@');
    String kind = at < 0 ? "" : state.substring(0, at);
    Kind k = switch (kind) {
      case "clean" -> Kind.CLEAN;
      case "dirty" -> Kind.DIRTY;
      default -> throw new IllegalArgumentException("'state' must be clean@<snapshot id> or dirty@<run id>, got '"
          + state.replaceAll("\\p{Cntrl}", "?") + "'");
    };
    return new VolumeState(k, state.substring(at + 1), since);
  }

  @JsonCreator
  static VolumeState fromJson(@JsonProperty(value = "state", required = true) String state,
      @JsonProperty(value = "since", required = true)
      @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant since) {
    return parse(state, since);
  }

  /** {@code clean@<snapshot id>} or {@code dirty@<run id>}. */
  @JsonProperty("state")
  public String state() {
    return kind.label() + "@" + id;
  }

  /** Whether the volumes equal exactly this snapshot. */
  public boolean isCleanAt(String snapshotId) {
    return kind == Kind.CLEAN && id.equals(snapshotId);
  }

  /** The snapshot the volumes equal, when clean. */
  public Optional<String> snapshotId() {
    return kind == Kind.CLEAN ? Optional.of(id) : Optional.empty();
  }

  /** The run that may have changed the volumes, when dirty. */
  public Optional<String> runId() {
    return kind == Kind.DIRTY ? Optional.of(id) : Optional.empty();
  }

  @Override
  public String toString() {
    return state();
  }
}
