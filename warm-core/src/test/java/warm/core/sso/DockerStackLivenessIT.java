package warm.core.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.platform.DockerCli;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.testing.Needs;
import warm.core.testing.RealPart;

/** The default liveness check against the real single-node Swarm, through the CLI and through the Engine API. */
@Tag("docker")
class DockerStackLivenessIT {
  private static final String IMAGE = System.getenv().getOrDefault("WARM_TEST_IMAGE", "warm-test/busybox:1");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  @Needs(RealPart.SWARM)
  void testIsAlive_trueWhileStackDeployed_falseAfterRemoval_bothReadPaths(@TempDir Path dir) throws Exception {
    ProcessRunner runner = ProcessRunner.system();
    DockerCli cli = new DockerCli(runner, "docker", TIMEOUT);
    DockerCli api = cli.withEngineApi();
    // The test bed's engine listens on a unix socket: the second check must really read over the API.
    assertEquals("cli", cli.readsVia());
    assertNotEquals("cli", api.readsVia());
    List<DockerStackLiveness> checks = List.of(new DockerStackLiveness(cli), new DockerStackLiveness(api));
    String stack = "warm-sso-live-" + RealmNames.randomRunId();
    Path compose = dir.resolve("compose.yml");
    Files.writeString(compose, "version: \"3.8\"\nservices:\n  app:\n    image: " + IMAGE
        + "\n    command: [\"sleep\", \"3600\"]\n");
    for (DockerStackLiveness liveness : checks) {
      assertFalse(liveness.isAlive(stack), "not deployed yet");
    }
    try {
      runner.run(Command.of("docker", "stack", "deploy", "--resolve-image", "never", "-c", compose.toString(), stack)
          .withTimeout(Duration.ofMinutes(2))).requireSuccess();
      for (DockerStackLiveness liveness : checks) {
        assertTrue(liveness.isAlive(stack), "deployed");
        assertFalse(liveness.isAlive(stack + "-other"), "a stack of a longer name is another stack");
        assertFalse(liveness.isAlive(stack.substring(0, stack.length() - 1)), "a prefix of the name is another stack");
      }
    } finally {
      runner.run(Command.of("docker", "stack", "rm", stack));
    }
    for (DockerStackLiveness liveness : checks) {
      assertFalse(liveness.isAlive(stack), "removed");
    }
  }

  @Test
  void testIsAlive_configuredDockerMissing_infraError() {
    DockerCli missing = new DockerCli(ProcessRunner.system(), "/nonexistent/docker", TIMEOUT);
    // withEngineApi cannot ask a missing executable where it talks to: the reads stay on it and fail, naming nothing
    // alive — a reap must never take "cannot ask" for "the run is gone".
    DockerStackLiveness liveness = new DockerStackLiveness(missing.withEngineApi());
    WarmException e = assertThrows(WarmException.class, () -> liveness.isAlive("x"));
    assertEquals(ExitCode.INFRA, e.exitCode());
  }

  @Test
  void testIsAlive_noStack_infraError() {
    DockerStackLiveness liveness = new DockerStackLiveness(new DockerCli(ProcessRunner.system(), "docker", TIMEOUT));
    assertEquals(ExitCode.INFRA, assertThrows(WarmException.class, () -> liveness.isAlive("")).exitCode());
  }
}
