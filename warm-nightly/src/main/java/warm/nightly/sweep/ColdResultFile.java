package warm.nightly.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import warm.core.state.AtomicFiles;

/**
 * The cold-result JSON a cold run writes and {@code warm promote --cold-result} reads (docs/promote.md):
 * {@code {"recipe", "version", "commit", "mode": "cold", "outcome": "pass"|"fail"|"error", …}}, written atomically so
 * a reader never sees half of it.
 *
 * @param recipe the recipe
 * @param version the release deployed
 * @param commit the commit of that release
 * @param outcome {@code pass}, {@code fail} (the assertions failed) or {@code error} (the run could not be made)
 * @param domain the per-run domain, or null when no app was made
 * @param checkExit the assertions' exit status, -1 when they did not run
 * @param millis the whole run's wall time
 * @param reason why it is not a pass, or null
 */
public record ColdResultFile(String recipe, String version, String commit, String outcome, String domain,
    int checkExit, long millis, String reason) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the run is green. */
  public boolean passed() {
    return "pass".equals(outcome);
  }

  /** Writes the JSON to {@code file} (temp file, fsync, rename). */
  public void write(Path file) {
    ObjectNode o = JSON.createObjectNode();
    o.put("recipe", recipe);
    o.put("version", version);
    o.put("commit", commit);
    o.put("mode", "cold");
    o.put("outcome", outcome);
    o.put("domain", domain);
    o.put("checkExit", checkExit);
    o.put("millis", millis);
    o.put("reason", reason);
    AtomicFiles.write(file, (o.toString() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The JSON text (for {@code --json}). */
  public String json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("recipe", recipe);
    o.put("version", version);
    o.put("commit", commit);
    o.put("mode", "cold");
    o.put("outcome", outcome);
    o.put("domain", domain);
    o.put("checkExit", checkExit);
    o.put("millis", millis);
    o.put("reason", reason);
    return o.toString();
  }
}
