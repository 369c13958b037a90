package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution.Run;
import warm.nightly.testing.Distribution;

/**
 * {@code warm canonical seed} through the real distribution on the real Swarm: a bad-input snapshot error during
 * seeding (the canonical's snapshot store is a symlink) is a usage error (exit 2) naming the problem, not an
 * "unexpected" infrastructure failure (exit 4), and no canonical is recorded.
 */
@Tag("docker")
class SeedCliIT {
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private Path root;
  private WarmConfig cfg;

  @AfterEach
  void cleanup() {
    if (cfg != null) {
      try {
        Platforms.create(cfg).removeApp(new AppRef("sample", cfg.canonicalDomain("sample")));
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e.getMessage());
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
  }

  @Test
  void snapshotStoreIsASymlink_exit2_noCanonical() throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    root = Files.createTempDirectory("warm-seed-cli-it-");
    SampleRecipe.materialize(root.resolve("recipes/sample"), RUNNER);
    Path config = Files.writeString(root.resolve("config.json"), """
        {"stateRoot": "%s", "ciDomain": "seedcli-%s.localhost",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "timeouts": {"healthSeconds": 25, "lockWaitSeconds": 60}}
        """.formatted(root.resolve("state"), Naming.randomHex(), root.resolve("recipes"), root.resolve("apps")));
    cfg = ConfigLoader.loadFile(config);
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Path appDir = Files.createDirectories(root.resolve("state/sample"));
    Files.createSymbolicLink(appDir.resolve("snapshots"), elsewhere);

    Run r = Distribution.module(Duration.ofMinutes(4), "warm.nightly", Map.of(), "canonical", "seed",
        "--recipe", "sample", "--recipe-version", "1.0.0+1.0", "--config", config.toString());

    assertEquals(2, r.exit(), r.toString());
    String last = r.errLines().get(r.errLines().size() - 1);
    assertTrue(last.startsWith("error: ") && last.contains("is a symlink"), r.toString());
    assertFalse(last.contains("unexpected"), r.toString());
    assertEquals("", r.out(), r.toString());
    assertFalse(Files.exists(appDir.resolve("canonical.json")), "a canonical was recorded: " + r);
    try (Stream<Path> s = Files.list(elsewhere)) {
      assertEquals(0, s.count(), "the symlink's target was written to");
    }
  }
}
