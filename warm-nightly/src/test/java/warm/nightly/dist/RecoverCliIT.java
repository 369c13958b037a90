package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution.Run;
import warm.nightly.testing.Distribution;

/** {@code warm recover --json} through the real distribution: one JSON object on stdout, whatever happened. */
class RecoverCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private Path config() throws Exception {
    return Files.writeString(tmp.resolve("config.json"), "{\"stateRoot\": \"" + tmp.resolve("state") + "\"}");
  }

  private static JsonNode oneObject(Run r) throws Exception {
    JsonNode n = JSON.readTree(r.out());
    assertTrue(n.isObject(), "one JSON object on stdout: " + r);
    // readTree stops after the first value: nothing but whitespace may follow it
    assertEquals(JSON.writeValueAsString(n), JSON.writeValueAsString(JSON.readTree(r.out().strip())), r.toString());
    assertTrue(r.out().strip().endsWith("}"), "nothing after the object: " + r);
    return n;
  }

  @Test
  void nothingToRecover_json() throws Exception {
    Run r = Distribution.module("warm.nightly", Map.of(), "recover", "--json", "--config", config().toString());
    assertEquals(0, r.exit(), r.toString());
    JsonNode n = oneObject(r);
    assertEquals(0, n.path("apps").size(), r.toString());
    assertEquals(0, n.path("failed").size(), r.toString());
    assertEquals("", r.err(), r.toString());
  }

  @Test
  @Tag("docker")
  void unrecoverableJournal_jsonNamesTheFailure_exit4() throws Exception {
    Prereq.swarm(); // recovery builds the platform, which asks Docker whether Swarm is up
    Path app = Files.createDirectories(tmp.resolve("state/rcli-app"));
    Files.writeString(app.resolve("journal.json"), """
        {"operation": "frobnicate", "runId": "r1", "app": "rcli-app", "phase": "started",
         "startedAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z", "pid": 999999999, "data": {}}
        """);
    Run r = Distribution.module("warm.nightly", Map.of(), "recover", "--json", "--config", config().toString());
    assertEquals(4, r.exit(), r.toString());
    JsonNode n = oneObject(r);
    assertEquals(1, n.path("apps").size(), r.toString());
    JsonNode a = n.path("apps").get(0);
    assertEquals("rcli-app", a.path("app").asText());
    assertEquals("failed", a.path("outcome").asText());
    assertTrue(a.path("detail").asText().contains("'frobnicate'"), r.toString());
    assertEquals("rcli-app", n.path("failed").get(0).asText());
    assertTrue(r.errLines().get(r.errLines().size() - 1).startsWith("error: recovery failed for rcli-app"),
        r.toString());
    assertTrue(Files.exists(app.resolve("journal.json")), "an unrecoverable journal stays for the operator");
  }

  /**
   * {@code java -m warm.quick recover} goes through the same registry and honours {@code --json} too; with the
   * whole distribution on the module path, service binding resolves warm.nightly, so promotion's kind is known too.
   */
  @Test
  void quickModule_unknownKind_json_exit4_journalKept() throws Exception {
    Path app = Files.createDirectories(tmp.resolve("state/rcli-q"));
    Files.writeString(app.resolve("journal.json"), """
        {"operation": "frobnicate", "runId": "r2", "app": "rcli-q", "phase": "started",
         "startedAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z", "pid": 999999999, "data": {}}
        """);
    Run r = Distribution.module("warm.quick", Map.of(), "recover", "--recipe", "rcli-q", "--json",
        "--config", config().toString());
    assertEquals(4, r.exit(), r.toString());
    JsonNode a = oneObject(r).path("apps").get(0);
    assertEquals("failed", a.path("outcome").asText(), r.toString());
    assertTrue(a.path("detail").asText().contains("'frobnicate'")
        && a.path("detail").asText().contains("known kinds: promote, quick"), r.toString());
    assertTrue(Files.exists(app.resolve("journal.json")), "an unknown kind's journal stays for the operator");
  }
}
