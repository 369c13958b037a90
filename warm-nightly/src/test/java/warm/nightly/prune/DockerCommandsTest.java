package warm.nightly.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * The exact docker command lines prune runs (the real ones: PruneIT), in jib's CliDockerClientTest style: dangling
 * images only — never {@code --all}, never volumes — and stacks found by their services, volumes, secrets and networks
 * (a stack left with only its network is a stack).
 */
class DockerCommandsTest {
  private final List<List<String>> calls = new ArrayList<>();

  private ProcessRunner answering(Map<String, String> stdoutByArgs) {
    return c -> {
      calls.add(c.argv());
      String out = stdoutByArgs.getOrDefault(String.join(" ", c.argv()), "");
      return new ProcessResult(c, 0, out, "", Duration.ZERO, false);
    };
  }

  @Test
  void pruneDangling_isImagePruneForce_only() {
    new DockerImages(answering(Map.of()), "docker", Duration.ofSeconds(5)).pruneDangling();
    assertEquals(List.of(List.of("docker", "image", "prune", "--force")), calls);
    assertFalse(calls.get(0).contains("--all") || calls.get(0).contains("-a") || calls.get(0).contains("--volumes"));
  }

  @Test
  void dangling_listsAndSizesOnlyDanglingOnes() {
    List<Images.Dangling> d = new DockerImages(answering(Map.of(
        "docker image ls -q --no-trunc --filter dangling=true", "sha256:aa\nsha256:aa\nsha256:bb\n",
        "docker image inspect --format {{.Id}} {{.Size}} sha256:aa sha256:bb", "sha256:aa 100\nsha256:bb 23\n")),
        "docker", Duration.ofSeconds(5)).dangling();
    assertEquals(List.of(new Images.Dangling("sha256:aa", 100), new Images.Dangling("sha256:bb", 23)), d);
  }

  @Test
  void stacks_fromServicesVolumesSecretsAndNetworks_oldestCreationWins() {
    String rfc = "\"2006-01-02T15:04:05Z07:00\"";
    List<StackInventory.Stack> s = new DockerStacks(answering(Map.of(
        "docker service ls -q --filter label=com.docker.stack.namespace", "s1\n",
        "docker service inspect --format {{index .Spec.Labels \"com.docker.stack.namespace\"}} {{.CreatedAt.Format "
            + rfc + "}} s1", "web-abcdef_ci 2026-11-30T10:00:00Z\n",
        "docker volume ls -q --filter label=com.docker.stack.namespace", "v1\nv2\n",
        "docker volume inspect --format {{index .Labels \"com.docker.stack.namespace\"}} {{.CreatedAt}} v1 v2",
        "web-abcdef_ci 2026-11-30T09:00:00Z\nold-123456_ci 2026-11-01T00:00:00Z\n",
        "docker secret ls -q --filter label=cc-ci-warm.stack", "x1\n",
        "docker secret inspect --format {{index .Spec.Labels \"cc-ci-warm.stack\"}} {{.CreatedAt.Format " + rfc
            + "}} x1", "lone-aaaaaa_ci garbage\n",
        "docker network ls -q --filter label=com.docker.stack.namespace", "n1\n",
        "docker network inspect --format {{index .Labels \"com.docker.stack.namespace\"}} {{.Created.Format " + rfc
            + "}} n1", "half-bbbbbb_ci 2026-11-29T00:00:00Z\n")), "docker", Duration.ofSeconds(5)).stacks();
    assertEquals(List.of(
        new StackInventory.Stack("half-bbbbbb_ci", Instant.parse("2026-11-29T00:00:00Z"), false),
        new StackInventory.Stack("lone-aaaaaa_ci", null, false),
        new StackInventory.Stack("old-123456_ci", Instant.parse("2026-11-01T00:00:00Z"), false),
        new StackInventory.Stack("web-abcdef_ci", Instant.parse("2026-11-30T09:00:00Z"), true)), s);
    assertNull(DockerStacks.parse("yesterday"), "an unreadable time is unknown, never 'old'");
  }
}
