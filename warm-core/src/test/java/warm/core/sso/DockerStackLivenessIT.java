package warm.core.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.testing.Needs;
import warm.core.testing.RealPart;

/** The default liveness check against the real single-node Swarm. */
@Tag("docker")
class DockerStackLivenessIT {
  private static final String IMAGE = System.getenv().getOrDefault("WARM_TEST_IMAGE", "warm-test/busybox:1");

  @Test
  @Needs(RealPart.SWARM)
  void testIsAlive_trueWhileStackDeployed_falseAfterRemoval(@TempDir Path dir) throws Exception {
    ProcessRunner runner = ProcessRunner.system();
    String stack = "warm-sso-live-" + RealmNames.randomRunId();
    Path compose = dir.resolve("compose.yml");
    Files.writeString(compose, "version: \"3.8\"\nservices:\n  app:\n    image: " + IMAGE
        + "\n    command: [\"sleep\", \"3600\"]\n");
    DockerStackLiveness liveness = new DockerStackLiveness(runner);
    assertFalse(liveness.isAlive(stack), "not deployed yet");
    try {
      runner.run(Command.of("docker", "stack", "deploy", "--resolve-image", "never", "-c", compose.toString(), stack)
          .withTimeout(Duration.ofMinutes(2))).requireSuccess();
      assertTrue(liveness.isAlive(stack), "deployed");
      assertFalse(liveness.isAlive(stack + "-other"), "a stack of a longer name is another stack");
    } finally {
      runner.run(Command.of("docker", "stack", "rm", stack));
    }
    assertFalse(liveness.isAlive(stack), "removed");
  }

  @Test
  void testIsAlive_dockerMissing_infraError() {
    DockerStackLiveness liveness = new DockerStackLiveness(ProcessRunner.system(), "/nonexistent/docker");
    WarmException e = assertThrows(WarmException.class, () -> liveness.isAlive("x"));
    assertEquals(ExitCode.INFRA, e.exitCode());
  }
}
