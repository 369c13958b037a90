package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import warm.core.WarmException;
import warm.core.platform.RecordingRunner.Reply;

/** The convergence wait against canned {@code docker} output (the real-Swarm proof is in SwarmPlatformIT). */
class StackHealthTest {
  private static final String STACK = "pr-nope_ci_localhost";
  private static final String SERVICE = "{\"ID\":\"svc1\",\"Spec\":{\"Name\":\"" + STACK + "_app\",\"Labels\":{},"
      + "\"Mode\":{\"Replicated\":{\"Replicas\":1}},\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"warm-test/nope:1\"}}}}";

  /** A `docker service ps --format '{{json .}}'` row as Swarm 20.10 prints it. */
  private static String row(String state, String desired, String error, String image) {
    return "{\"CurrentState\":\"" + state + "\",\"DesiredState\":\"" + desired + "\",\"Error\":\""
        + error.replace("\"", "\\\"") + "\",\"ID\":\"z9q9krw8gozjtaxacoutpchzz\",\"Image\":\"" + image + "\","
        + "\"Name\":\"" + STACK + "_app.1\",\"Node\":\"vm\",\"Ports\":\"\"}\n";
  }

  private static final String NO_SUCH = "\"No such image: warm-test/nope:1\"";

  private static RecordingRunner swarm(String taskRows) {
    return new RecordingRunner(args -> {
      if (args.startsWith("service ls -q")) {
        return Reply.ok("svc1\n");
      }
      if (args.startsWith("service inspect")) {
        return Reply.ok(SERVICE + "\n");
      }
      if (args.startsWith("ps -q --no-trunc --filter label=com.docker.swarm.service.name=")) {
        return Reply.ok("");
      }
      if (args.startsWith("service ps --no-trunc --format {{json .}} " + STACK + "_app")) {
        return Reply.ok(taskRows);
      }
      return null;
    });
  }

  @Test
  void testAwaitHealthy_noSuchImageFailsAtOnceNamingTheImage() {
    // docker lists each slot's tasks newest first: a retry is being prepared, the attempt before was rejected.
    RecordingRunner runner = swarm(row("Preparing less than a second ago", "Ready", "", "warm-test/nope:1")
        + row("Rejected 4 seconds ago", "Shutdown", NO_SUCH, "warm-test/nope:1")
        + row("Rejected 5 seconds ago", "Shutdown", NO_SUCH, "warm-test/nope:1"));
    StackHealth health = new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)));
    long t0 = System.nanoTime();
    WarmException e = assertThrows(WarmException.class,
        () -> health.awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty()));
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(5)) < 0, "did not wait");
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("image warm-test/nope:1 does not exist"), e.getMessage());
    assertEquals(1, runner.count("service ls"), "one look was enough");
  }

  @Test
  void testObserve_aRejectionOfAnOlderImageIsNotTerminal() {
    // The service now wants warm-test/nope:1 and is starting it; the rejection was of the previous spec's image.
    StackHealth health = new StackHealth(new DockerCli(swarm(
        row("Starting 1 second ago", "Running", "", "warm-test/nope:1")
        + row("Rejected 9 seconds ago", "Shutdown", "\"No such image: warm-test/old:1\"", "warm-test/old:1")),
        "docker", Duration.ofSeconds(5)));
    StackHealth.Observation o = health.observe(STACK);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
    assertTrue(o.reason().contains("0/1 running"), o.reason());
  }

  @Test
  void testObserve_anOlderRejectionFollowedByACompletedAttemptIsNotTerminal() {
    // The image exists now: the newest finished attempt of the slot failed for another reason and Swarm retries.
    StackHealth health = new StackHealth(new DockerCli(swarm(
        row("Failed 1 second ago", "Shutdown", "task: non-zero exit (1)", "warm-test/nope:1")
        + row("Rejected 9 seconds ago", "Shutdown", NO_SUCH, "warm-test/nope:1")),
        "docker", Duration.ofSeconds(5)));
    assertTrue(!health.observe(STACK).terminal());
  }
}
