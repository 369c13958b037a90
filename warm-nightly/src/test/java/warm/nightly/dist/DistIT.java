package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * The distribution works on the module path: entry modules resolve, picocli and Jackson reach what the module
 * descriptors open to them, and the launcher script finds the lib folder.
 */
class DistIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void quickModuleHelp() throws Exception {
    Run r = Distribution.module("warm.quick", Map.of(), "--help");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("Usage: warm.quick"), r.toString());
    assertTrue(r.out().contains("4 infrastructure failure"), r.toString());
    assertEquals("", r.err());
  }

  @Test
  void launcherHelp() throws Exception {
    Run r = Distribution.binWarm("--help");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("Usage: warm"), r.toString());
    for (String cmd : new String[] {"config", "gate", "platform"}) {
      assertTrue(r.out().contains("  " + cmd + " "), "lists '" + cmd + "': " + r.out());
    }
    // Every code of the documented table is named (5, reconcile's and the nightly's skip, was missing).
    String codes = r.out().substring(r.out().indexOf("Exit codes:"), r.out().indexOf("-h, --help"));
    java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| (\\d) \\|");
    int rows = 0;
    for (String line : Files.readAllLines(Distribution.repoRoot().resolve("docs/exit-codes.md"))) {
      java.util.regex.Matcher m = row.matcher(line);
      if (m.find()) {
        rows++;
        assertTrue(codes.contains(m.group(1) + " "), "help names exit code " + m.group(1) + ": " + codes);
      }
    }
    assertEquals(6, rows, "docs/exit-codes.md has one row per code, 0-5");
  }

  @Test
  void configCheckOnTheModulePathPrintsAReloadableConfig() throws Exception {
    Path example = Distribution.repoRoot().resolve("docs/config.example.json");
    Run r = Distribution.module("warm.nightly", Map.of(), "config", "check", "--config", example.toString());
    assertEquals(0, r.exit(), r.toString());
    JsonNode printed = JSON.readTree(r.out());
    assertEquals("/var/lib/ci-warm", printed.path("stateRoot").asText(), "a plain path, not a file: URI");
    assertEquals("/var/lib/ci-warm/abra", printed.path("abra").path("abraDir").asText());
    assertEquals("/run/secrets/cc-ci-warm-keycloak", printed.path("keycloak").path("secretFile").asText());
    assertEquals("/run/current-system/sw/bin/docker", printed.path("docker").asText());
    assertFalse(r.out().contains("file:"), r.out());
    // What config check prints is itself a valid configuration that prints the same.
    Path again = Files.writeString(tmp.resolve("printed.json"), r.out());
    Run r2 = Distribution.module("warm.nightly", Map.of(), "config", "check", "--config", again.toString());
    assertEquals(0, r2.exit(), r2.toString());
    assertEquals(r.out(), r2.out());
  }

  @Test
  void configCheckWithEmbeddedDefaults() throws Exception {
    // No --config and no WARM_CONFIG: the default path if present, else the embedded default.
    Run r = Distribution.module("warm.nightly", Map.of(), "config", "check");
    if (!Files.exists(Path.of("/etc/cc-ci-warm/config.json"))) {
      assertEquals(0, r.exit(), r.toString());
      assertEquals("/var/lib/ci-warm", JSON.readTree(r.out()).path("stateRoot").asText());
      assertEquals("docker", JSON.readTree(r.out()).path("docker").asText());
    }
  }

  @Test
  void unknownSubcommandIsUsage() throws Exception {
    Run r = Distribution.binWarm("no-such-command");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().startsWith("error: "), r.toString());
  }

  @Test
  @Tag("docker")
  void platformCheckOnTheRealEngine() throws Exception {
    Prereq.swarm();
    Path c = Files.writeString(tmp.resolve("c.json"), "{\"stateRoot\": \"" + tmp.resolve("state") + "\"}");
    Run r = Distribution.module("warm.nightly", Map.of(), "platform", "check", "--json", "--config", c.toString());
    assertEquals(0, r.exit(), r.toString());
    JsonNode n = JSON.readTree(r.out());
    assertEquals("swarm", n.path("platform").asText());
    assertEquals("active", n.path("swarm").path("state").asText());
    assertFalse(n.path("swarm").path("nodeId").asText().isEmpty(), r.out());
    // The test bed's CLI talks to the engine's unix socket: the reads go there (docs/configuration.md).
    assertEquals("unix:///var/run/docker.sock", n.path("reads").asText(), r.out());
    assertFalse(Files.exists(tmp.resolve("state")), "a read-only check created the state root");
    Run text = Distribution.module("warm.nightly", Map.of(), "platform", "check", "--config", c.toString());
    assertEquals(0, text.exit(), text.toString());
    assertTrue(text.out().contains("platform: swarm") && text.out().contains("swarm:    active")
        && text.out().contains("reads:    unix:///"), text.out());
  }
}
