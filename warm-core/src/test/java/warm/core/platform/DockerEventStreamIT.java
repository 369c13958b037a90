package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.naming.Naming;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.testing.Prereq;

/** The health wait's event stream against the real engine: a container labelled with the stack wakes it. */
@Tag("docker")
class DockerEventStreamIT {
  private final ProcessRunner runner = ProcessRunner.system();
  private final List<String> containers = new ArrayList<>();
  private String stack;

  @BeforeEach
  void setUp() {
    Prereq.swarm();
    SampleImage.ensure(runner);
    stack = "events-" + Naming.randomHex() + "_ci_localhost";
  }

  @AfterEach
  void tearDown() {
    for (String c : containers) {
      runner.run(Command.of(List.of("docker", "rm", "-f", c)));
    }
  }

  private void runLabelled(String stackLabel) {
    containers.add(runner.run(Command.of(List.of("docker", "run", "-d", "--label", DockerCli.NAMESPACE + "=" + stackLabel,
        SampleImage.NAME, "sleep", "60"))).requireSuccess().stdout().strip());
  }

  @Test
  void testAwait_aContainerOfTheStackStartingWakesTheWait() throws Exception {
    try (StackEvents events = DockerEventStream.open("docker", stack, Duration.ofMinutes(2))) {
      assertTrue(events.live());
      runLabelled(stack);
      assertTrue(events.await(Duration.ofSeconds(60)), "woken by the container's create/start");
    }
  }

  @Test
  void testAwait_anotherStacksContainerDoesNotWakeIt() throws Exception {
    try (StackEvents events = DockerEventStream.open("docker", stack, Duration.ofMinutes(2))) {
      runLabelled(stack + "_x");
      assertFalse(events.await(Duration.ofSeconds(3)), "no change of " + stack);
    }
  }

  @Test
  void testClose_endsTheStreamAndAWaitThenPolls() throws Exception {
    StackEvents events = DockerEventStream.open("docker", stack, Duration.ofMinutes(2));
    events.close();
    events.await(Duration.ofSeconds(60)); // the stream's end wakes it
    for (int i = 0; i < 100 && events.live(); i++) {
      Thread.sleep(50);
    }
    assertFalse(events.live(), "the stream says it ended");
  }

  @Test
  void testOpen_theStreamEndsByItselfAfterItsBound() throws Exception {
    // Nobody closes it, as when the JVM that started it is killed: `docker events --until` still ends the process.
    StackEvents events = DockerEventStream.open("docker", stack, Duration.ofSeconds(1));
    assertTrue(events.live());
    events.await(Duration.ofSeconds(60)); // the stream's end wakes it
    for (int i = 0; i < 200 && events.live(); i++) {
      Thread.sleep(50);
    }
    assertFalse(events.live(), "the stream ended at its bound without being closed");
    events.close();
  }

  @Test
  void testOpen_aDockerThatCannotStartIsPolling() {
    assertFalse(DockerEventStream.open("/nonexistent/docker", stack, Duration.ofMinutes(2)).live());
  }
}
