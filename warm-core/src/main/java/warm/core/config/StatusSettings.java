package warm.core.config;

import java.nio.file.Path;

/**
 * What {@code warm status} writes besides its own output, JSON key {@code status}.
 *
 * @param textfile where to write the Prometheus textfile (node_exporter's textfile collector directory, a
 *     {@code .prom} name); null writes none
 */
public record StatusSettings(Path textfile) {
  /** No textfile. */
  public static StatusSettings none() {
    return new StatusSettings(null);
  }
}
