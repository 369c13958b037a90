package warm.snapshot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** How a snapshot's data was stored. */
public enum Method {
  /** Every regular file cloned with FICLONE: extents shared with the volume. */
  @JsonProperty("reflink") REFLINK,
  /** A directory tree where some files had to be byte-copied (the filesystem refused a clone after the probe). */
  @JsonProperty("copy") COPY,
  /** One tar archive per volume (the filesystem cannot reflink, or store and volume are on different ones). */
  @JsonProperty("tar") TAR;

  /** The lower-case name used in meta.json and JSON output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
