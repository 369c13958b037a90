package warm.nightly.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.state.AtomicFiles;

/** The last nightly's report, {@code <stateRoot>/nightly.json}: what {@code warm status} shows of it. */
public final class LastNightly {
  private static final Logger LOG = LoggerFactory.getLogger(LastNightly.class);
  /** The file's name under the state root (a file, so never taken for an app's directory). */
  public static final String FILE = "nightly.json";

  private LastNightly() {}

  static void write(Path stateRoot, NightlyReport report) {
    try {
      AtomicFiles.write(stateRoot.resolve(FILE),
          (NightlyJson.of(report).toString() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.warn("could not record the nightly report: {}", e.getMessage());
    }
  }
}
