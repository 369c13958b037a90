package warm.nightly.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.alert.AlertOutbox;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution;
import warm.snapshot.SnapshotStore;

/**
 * {@code warm nightly} on the real Swarm through the built distribution, with two enrolled recipes and the sweep's cold
 * command being {@code warm cold} itself: the green one is cold-run and promoted (its canonical seeded at the latest
 * release, its known-good verifying), the red one's assertions fail and it is not promoted; the run exits 1, the table
 * and the JSON say which, one summary alert is raised, every cold app is gone afterwards; with a budget of one byte,
 * the disk budget's alert is raised after the night.
 */
@Tag("docker")
class NightlyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private static final String GREEN = "ngreen";
  private static final String RED = "nred";

  private static Path root;
  private static Path config;
  private static WarmConfig cfg;
  private static Platform platform;
  /** This class's own CI domain: other classes (and other engineers' runs) have stacks of the same recipes. */
  private static String ci;

  @BeforeAll
  static void bed() throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    root = Files.createTempDirectory("warm-nightly-it-");
    for (String r : List.of(GREEN, RED)) {
      SampleRecipe.materialize(root.resolve("recipes").resolve(r), RUNNER);
    }
    config = root.resolve("config.json");
    ci = "ni-" + Naming.randomHex() + ".localhost";
    List<String> cold = List.of(Distribution.java(), "-p", Distribution.lib().toString(), "-m", "warm.nightly", "cold",
        "--config", config.toString(), "--recipe", "{recipe}", "--result", "{file}", "--",
        "/bin/sh", "-c", "test \"$WARM_RECIPE\" != " + RED);
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "%s",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "recipes": [{"name": "%s"}, {"name": "%s"}],
         "nightly": {"coldCommand": %s, "recipeTimeoutSeconds": 300, "waitSeconds": 30},
         "disk": {"budgetBytes": 1},
         "timeouts": {"healthSeconds": 60, "lockWaitSeconds": 60}}
        """.formatted(root.resolve("state"), ci, root.resolve("recipes"), root.resolve("apps"), GREEN, RED,
        JSON.writeValueAsString(cold)));
    cfg = ConfigLoader.loadFile(config);
    platform = Platforms.create(cfg);
  }

  @AfterAll
  static void cleanup() {
    if (platform != null) {
      for (String r : List.of(GREEN, RED)) {
        try {
          platform.removeApp(new AppRef(r, cfg.canonicalDomain(r)));
        } catch (RuntimeException e) {
          System.err.println("cleanup: " + e.getMessage());
        }
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
  }

  @Test
  void testOneGreenOneRed_promotesTheGreenOnlyAndExitsNonZero() throws Exception {
    Distribution.Run run = Distribution.module(Duration.ofMinutes(10), "warm.nightly", Map.of(), "nightly", "--json",
        "--config", config.toString());
    assertEquals(1, run.exit(), run.toString());
    JsonNode r = JSON.readTree(run.out());
    JsonNode green = r.path("sweep").get(0);
    JsonNode red = r.path("sweep").get(1);
    assertEquals(GREEN, green.path("recipe").asText());
    assertEquals("pass", green.path("cold").asText(), r.toString());
    assertTrue(green.path("promoted").asBoolean(), r.toString());
    assertEquals("2.0.0+2.0", green.path("version").asText());
    assertEquals(RED, red.path("recipe").asText());
    assertEquals("fail", red.path("cold").asText(), r.toString());
    assertTrue(red.path("promoted").isNull());

    StateStore state = new StateStore(cfg.stateRoot());
    CanonicalRecord c = state.read(GREEN, StateFile.CANONICAL).orElseThrow();
    assertEquals("2.0.0+2.0", c.version());
    SnapshotStore store = SnapshotStore.forApp(cfg.stateRoot(), GREEN);
    assertEquals(c.snapshotId(), store.knownGoodId().orElseThrow());
    assertFalse(state.read(RED, StateFile.CANONICAL).isPresent(), "the red recipe is not promoted");
    assertEquals("promoted", state.read(GREEN, StateFile.LAST_PROMOTE).orElseThrow().outcome());
    assertEquals("2.0.0+2.0", state.read(GREEN, StateFile.LAST_PROMOTE).orElseThrow().version());
    assertEquals(1, new AlertOutbox(cfg.stateRoot()).pending().stream()
        .filter(a -> a.alert().kind().equals("nightly-failed")).count());
    assertEquals(1, new AlertOutbox(cfg.stateRoot()).pending().stream()
        .filter(a -> a.alert().kind().equals("disk-budget-exceeded")).count(), "the nightly checks the disk budget");
    JsonNode last = JSON.readTree(cfg.stateRoot().resolve(LastNightly.FILE).toFile());
    assertEquals(1, last.path("exit").asInt());
    // Every cold app was removed: only the canonical's stack name may remain of these recipes under this class's CI
    // domain (stacks of the same recipes under other domains belong to runs beside this one on the shared Swarm).
    String stacks = RUNNER.run(Command.of("docker", "stack", "ls", "--format", "{{.Name}}")).requireSuccess().stdout();
    String ours = "_" + ci.replace('.', '_');
    assertFalse(stacks.lines().filter(s -> s.endsWith(ours))
        .anyMatch(s -> s.startsWith(GREEN + "-") || s.startsWith(RED + "-")), stacks);

    Distribution.Run table = Distribution.module(Duration.ofMinutes(10), "warm.nightly", Map.of(), "nightly",
        "--config", config.toString());
    assertTrue(table.exit() != 0, "the red recipe fails every night: " + table);
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith(RED) && l.contains("fail")), table.out());
  }
}
