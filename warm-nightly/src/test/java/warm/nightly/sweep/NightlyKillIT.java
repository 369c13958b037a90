package warm.nightly.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.QuickBed;

/**
 * {@code warm nightly} SIGKILLed with its whole process tree (what systemd does to the unit's cgroup on a stop past its
 * bound, or the OOM killer) while a cold run's check runs: the cold app is left deployed with its run lock free, so
 * {@code warm prune} removes it (and nothing else); the next nightly is not blocked by the dead one and runs green.
 */
@Tag("docker")
class NightlyKillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private static final String RECIPE = "nkill";

  private static Path root;
  private static Path config;
  private static Path marker;
  private static WarmConfig cfg;
  private static Platform platform;
  private static String ci;

  @BeforeAll
  static void bed() throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    root = Files.createTempDirectory("warm-nightly-kill-it-");
    SampleRecipe.materialize(root.resolve("recipes").resolve(RECIPE), RUNNER);
    config = root.resolve("config.json");
    marker = root.resolve("check-started");
    ci = "nk-" + Naming.randomHex() + ".localhost";
    // The first night's check marks its start and hangs (it is killed there); the next night's passes at once.
    List<String> cold = List.of(Distribution.java(), "-p", Distribution.lib().toString(), "-m", "warm.nightly", "cold",
        "--config", config.toString(), "--recipe", "{recipe}", "--result", "{file}", "--",
        "/bin/sh", "-c", "test -e " + marker + " && exit 0; touch " + marker + "; exec sleep 600");
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "%s",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "recipes": [{"name": "%s"}],
         "nightly": {"coldCommand": %s, "recipeTimeoutSeconds": 900, "waitSeconds": 30},
         "prune": {"imagePruneAbovePercent": 100},
         "timeouts": {"healthSeconds": 60, "lockWaitSeconds": 60}}
        """.formatted(root.resolve("state"), ci, root.resolve("recipes"), root.resolve("apps"), RECIPE,
        JSON.writeValueAsString(cold)));
    cfg = ConfigLoader.loadFile(config);
    platform = Platforms.create(cfg);
  }

  @AfterAll
  static void cleanup() {
    if (platform != null) {
      try {
        platform.removeApp(new AppRef(RECIPE, cfg.canonicalDomain(RECIPE)));
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e.getMessage());
      }
      for (String stack : coldStacks()) {
        RUNNER.run(Command.of("docker", "stack", "rm", stack));
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
  }

  /** This class's cold stacks on the shared Swarm (its own CI domain, its recipe's per-run prefix). */
  private static List<String> coldStacks() {
    String ours = "_" + ci.replace('.', '_');
    String stacks = RUNNER.run(Command.of("docker", "stack", "ls", "--format", "{{.Name}}")).requireSuccess().stdout();
    return stacks.lines().filter(s -> s.endsWith(ours) && s.startsWith(RECIPE + "-")).toList();
  }

  @Test
  void killedMidColdRun_pruneReapsItsApp_nextNightlyRuns() throws Exception {
    // The nights' own temp directory, so the work directory the killed one leaves is this test's to look for.
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    List<String> argv = new ArrayList<>(List.of(Distribution.java(), "-Djava.io.tmpdir=" + tmp, "-p",
        Distribution.lib().toString(), "-m", "warm.nightly", "nightly", "--json", "--config", config.toString()));
    Path err = root.resolve("killed-nightly.err");
    Process p = new ProcessBuilder(argv).redirectOutput(root.resolve("killed-nightly.out").toFile())
        .redirectError(err.toFile()).start();
    try {
      QuickBed.waitFor(() -> Files.exists(marker) || !p.isAlive(), Duration.ofMinutes(6), "the cold check to start");
      assertTrue(p.isAlive(), "the nightly ended before its cold check: " + Files.readString(err));
    } finally {
      // The whole tree, as a cgroup kill: the cold command and its check too, so nothing tidies up after itself.
      List<ProcessHandle> tree = p.descendants().toList();
      p.destroyForcibly();
      tree.forEach(ProcessHandle::destroyForcibly);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(1, coldStacks().size(), "the killed night's cold app is left deployed: " + coldStacks());
    List<String> left = workDirs(tmp);
    assertEquals(1, left.size(), "the killed night's work directory is left: " + left);
    assertTrue(left.get(0).startsWith("warm-nightly-" + p.pid() + "-"), left.toString());
    StateStore state = new StateStore(cfg.stateRoot());
    assertFalse(state.read(RECIPE, StateFile.CANONICAL).isPresent(), "nothing was promoted");

    Distribution.Run prune = Distribution.module(Duration.ofMinutes(5), "warm.nightly", Map.of(), "prune", "--json",
        "--config", config.toString());
    assertEquals(0, prune.exit(), prune.toString());
    JsonNode removed = JSON.readTree(prune.out()).path("removed");
    assertEquals(1, removed.size(), prune.out());
    assertTrue(removed.get(0).asText().startsWith(RECIPE + "-"), "the killed run's cold app: " + prune.out());
    QuickBed.waitFor(() -> coldStacks().isEmpty(), Duration.ofMinutes(2), "the cold stack to go");

    Distribution.Run next = Distribution.module(Duration.ofMinutes(10), "warm.nightly",
        Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp), "nightly", "--json", "--config", config.toString());
    assertEquals(0, next.exit(), next.toString());
    JsonNode entry = JSON.readTree(next.out()).path("sweep").get(0);
    assertEquals("pass", entry.path("cold").asText(), next.out());
    assertTrue(entry.path("promoted").asBoolean(), next.out());
    assertTrue(coldStacks().isEmpty(), "the next night's cold app is gone: " + coldStacks());
    assertEquals(List.of(), workDirs(tmp), "the next night removed the killed night's work directory, then its own");
  }

  private static List<String> workDirs(Path tmp) throws Exception {
    try (var s = Files.list(tmp)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("warm-nightly-")).sorted().toList();
    }
  }
}
