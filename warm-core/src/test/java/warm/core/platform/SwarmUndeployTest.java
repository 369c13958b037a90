package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.config.AbraSettings;
import warm.core.config.Timeouts;
import warm.core.platform.RecordingRunner.Reply;

/**
 * Undeploy (both adapters) against a fake {@code docker}: the errors Swarm reports while its own removal is in
 * progress are progress (D11); anything else fails with docker's message.
 */
class SwarmUndeployTest {
  private static final AppRef APP = new AppRef("sample", "sample-d11.ci.localhost");
  private static final String STACK = APP.stack();
  private static final String NS = "label=com.docker.stack.namespace=" + STACK;
  /** What `docker stack rm` printed in the failed demo run (D11): the task had not been told to stop yet. */
  private static final String IN_USE_BY_TASK = "Removing service " + STACK + "_app\n"
      + "Removing network " + STACK + "_default\n"
      + "Failed to remove network q3dn4qv0xv9p7tmw8cjhbtgxn: Error response from daemon: rpc error: code = "
      + "FailedPrecondition desc = network q3dn4qv0xv9p7tmw8cjhbtgxn is in use by task "
      + "wnd1yl7kpo8sknj4fnj0r0oqkfailed to remove some resources from stack: " + STACK + "\n";
  /** What a second `docker stack rm` prints on the real Swarm while the first one's removal is in progress. */
  private static final String NOT_FOUND = "Removing network " + STACK + "_default\n"
      + "Failed to remove network z7ekm48b0o0ornrstrk9rshdg: Error response from daemon: network "
      + "z7ekm48b0o0ornrstrk9rshdg not foundfailed to remove some resources from stack: " + STACK + "\n";

  /** A fake Swarm: one service and one network until removed; `stack rm` answers with the given reply. */
  private static final class FakeSwarm {
    final AtomicBoolean servicesGone = new AtomicBoolean();
    final AtomicBoolean networkGone = new AtomicBoolean();
    final RecordingRunner runner;

    FakeSwarm(Reply stackRm, boolean networkGoesAwayByItself) {
      runner = new RecordingRunner(args -> {
        if (args.equals("service ls -q --filter " + NS)) {
          return Reply.ok(servicesGone.get() ? "" : "svc1\n");
        }
        if (args.startsWith("service inspect --format {{json .}} svc1")) {
          return Reply.ok("{\"ID\":\"svc1\",\"Spec\":{\"Name\":\"" + STACK + "_app\",\"Labels\":{}}}\n");
        }
        if (args.equals("stack rm " + STACK) || args.startsWith("app undeploy")) {
          servicesGone.set(true); // the services are deleted; the failure is about the network
          if (networkGoesAwayByItself) {
            networkGone.set(true);
          }
          return stackRm;
        }
        if (args.equals("network ls -q --filter " + NS)) {
          return Reply.ok(networkGone.get() ? "" : "q3dn4qv0xv9p7tmw8cjhbtgxn\n");
        }
        if (args.equals("network rm q3dn4qv0xv9p7tmw8cjhbtgxn")) {
          networkGone.set(true);
          return Reply.ok("q3dn4qv0xv9p7tmw8cjhbtgxn\n");
        }
        if (args.startsWith("ps -aq --no-trunc --filter " + NS) || args.startsWith("ps -a -q --no-trunc --filter " + NS)
            || args.startsWith("ps -q -a --no-trunc --filter " + NS)) {
          return Reply.ok("");
        }
        return null;
      });
    }

    SwarmPlatform swarm(Path dir) {
      DockerCli docker = new DockerCli(runner, "docker", Duration.ofSeconds(5));
      return new SwarmPlatform(dir.resolve("recipes"), dir.resolve("apps"), runner, docker, timeouts(),
          RecipeProbes.none());
    }
  }

  private static Timeouts timeouts() {
    return new Timeouts(null, 5, null, null, null, null);
  }

  @Test
  void testUndeploy_networkInUseByTaskIsProgressAndTheNetworkIsRemovedAgain(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.fail(IN_USE_BY_TASK), false);
    swarm.swarm(dir).undeploy(APP);
    assertEquals(1, swarm.runner.count("stack rm"));
    // Swarm never removes a network whose removal failed: the wait removes it again.
    assertTrue(swarm.runner.count("network rm") >= 1, swarm.runner.calls().toString());
    assertTrue(swarm.networkGone.get());
  }

  @Test
  void testUndeploy_networkNotFoundDuringRemovalIsProgress(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.fail(NOT_FOUND), true);
    swarm.swarm(dir).undeploy(APP);
    assertEquals(1, swarm.runner.count("stack rm"));
  }

  /**
   * Swarm's own removal in progress is waited for quietly: nothing at info or above (the demo's teardown printed
   * docker's "network … not found" each time), what docker said only at debug ({@code -v}).
   */
  @Test
  void testUndeploy_removalInProgressIsQuietBelowDebug(@TempDir Path dir) {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger log = (Logger) LoggerFactory.getLogger(SwarmRemoval.class);
    logs.start();
    log.addAppender(logs);
    try {
      new FakeSwarm(Reply.fail(NOT_FOUND), true).swarm(dir).undeploy(APP);
      new FakeSwarm(Reply.fail(IN_USE_BY_TASK), false).swarm(dir).undeploy(APP);
    } finally {
      log.detachAppender(logs);
    }
    List<String> loud = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(List.of(), loud);
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("not found")), logs.list.toString());
  }

  @Test
  void testUndeploy_unknownErrorFailsWithDockersMessageAndDoesNotWait(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.fail(
        "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\"\n"), false);
    WarmException e = assertThrows(WarmException.class, () -> swarm.swarm(dir).undeploy(APP));
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("This node is not a swarm manager"), e.getMessage());
    assertTrue(e.getMessage().contains("stack rm " + STACK), e.getMessage());
    assertEquals("stack rm " + STACK, swarm.runner.calls().get(swarm.runner.calls().size() - 1), "no wait after it");
  }

  @Test
  void testUndeploy_progressMixedWithAnUnknownErrorFails(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.fail(IN_USE_BY_TASK.replace("failed to remove some",
        "Failed to remove service abc: Error response from daemon: permission deniedfailed to remove some")), false);
    WarmException e = assertThrows(WarmException.class, () -> swarm.swarm(dir).undeploy(APP));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
  }

  @Test
  void testAbraUndeploy_networkInUseByTaskIsProgress(@TempDir Path dir) {
    // abra removes the stack with docker's own code and prints the failure on stdout.
    FakeSwarm swarm = new FakeSwarm(new Reply(1, "FATA " + IN_USE_BY_TASK, ""), false);
    DockerCli docker = new DockerCli(swarm.runner, "docker", Duration.ofSeconds(5));
    AbraSettings abra = new AbraSettings("abra", dir.resolve("abra"), "default", false, List.of());
    new AbraPlatform(abra, swarm.runner, docker, timeouts(), RecipeProbes.none()).undeploy(APP);
    assertEquals(1, swarm.runner.count("app undeploy"));
    assertTrue(swarm.networkGone.get());
  }

  @Test
  void testAbraUndeploy_unknownErrorFails(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(new Reply(1, "FATA unable to connect to server\n", ""), false);
    DockerCli docker = new DockerCli(swarm.runner, "docker", Duration.ofSeconds(5));
    AbraSettings abra = new AbraSettings("abra", dir.resolve("abra"), "default", false, List.of());
    WarmException e = assertThrows(WarmException.class,
        () -> new AbraPlatform(abra, swarm.runner, docker, timeouts(), RecipeProbes.none()).undeploy(APP));
    assertTrue(e.getMessage().contains("unable to connect to server"), e.getMessage());
  }

  @Test
  void testUndeploy_unknownNetworkRemovalErrorDuringTheWaitFails(@TempDir Path dir) {
    // The stack's services are gone but its network is held by another stack's service: no wait can fix that.
    RecordingRunner runner = new RecordingRunner(args -> {
      if (args.equals("service ls -q --filter " + NS)) {
        return Reply.ok("");
      }
      if (args.equals("network ls -q --filter " + NS)) {
        return Reply.ok("q3dn4qv0xv9p\n");
      }
      if (args.equals("stack rm " + STACK)) {
        return Reply.ok("Removing network " + STACK + "_default\n");
      }
      if (args.equals("network rm q3dn4qv0xv9p")) {
        return Reply.fail("Error response from daemon: rpc error: code = FailedPrecondition desc = network "
            + "q3dn4qv0xv9p is in use by service other_app\n");
      }
      return args.startsWith("ps -") ? Reply.ok("") : null;
    });
    DockerCli docker = new DockerCli(runner, "docker", Duration.ofSeconds(5));
    WarmException e = assertThrows(WarmException.class, () -> new SwarmPlatform(dir.resolve("recipes"),
        dir.resolve("apps"), runner, docker, timeouts(), RecipeProbes.none()).undeploy(APP));
    assertTrue(e.getMessage().contains("network rm q3dn4qv0xv9p")
        && e.getMessage().contains("is in use by service other_app"), e.getMessage());
    assertEquals(1, runner.count("network rm"), "failed at once, no retry until the timeout");
  }

  @Test
  void testUndeploy_aNetworkStillInUseAtTheBoundNamesSwarmsLastError(@TempDir Path dir) {
    RecordingRunner runner = new RecordingRunner(args -> {
      if (args.equals("service ls -q --filter " + NS)) {
        return Reply.ok("");
      }
      if (args.equals("network ls -q --filter " + NS)) {
        return Reply.ok("q3dn4qv0xv9p\n");
      }
      if (args.equals("stack rm " + STACK)) {
        return Reply.fail(IN_USE_BY_TASK);
      }
      if (args.equals("network rm q3dn4qv0xv9p")) {
        return Reply.fail("Error response from daemon: rpc error: code = FailedPrecondition desc = network "
            + "q3dn4qv0xv9p is in use by task wnd1yl7kpo8sknj4fnj0r0oqk\n");
      }
      return args.startsWith("ps -") ? Reply.ok("") : null;
    });
    DockerCli docker = new DockerCli(runner, "docker", Duration.ofSeconds(5));
    WarmException e = assertThrows(WarmException.class, () -> new SwarmPlatform(dir.resolve("recipes"),
        dir.resolve("apps"), runner, docker, new Timeouts(null, 1, null, null, null, null), RecipeProbes.none()).undeploy(APP));
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("still has 1 network(s) 1 s after it was removed"), e.getMessage());
    assertTrue(e.getMessage().contains("is in use by task wnd1yl7kpo8sknj4fnj0r0oqk"), e.getMessage());
  }
  @Test
  void testRequestUndeploy_returnsOnceSwarmAcceptedTheRemoval_theWaitFinishesIt(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.fail(IN_USE_BY_TASK), false);
    SwarmPlatform p = swarm.swarm(dir);
    p.requestUndeploy(APP);
    assertEquals(1, swarm.runner.count("stack rm"));
    assertEquals(0, swarm.runner.count("network rm"), "no wait: " + swarm.runner.calls());
    assertEquals(0, swarm.runner.count("ps "), "no look at the containers: " + swarm.runner.calls());
    assertTrue(p.undeploying(APP), "the stack is going down");
    p.awaitUndeployed(APP);
    assertTrue(swarm.networkGone.get());
    assertFalse(p.undeploying(APP));
    assertEquals(1, swarm.runner.count("stack rm"), "the wait requests no second removal");
  }

  @Test
  void testRequestUndeploy_unknownErrorFails(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.fail(
        "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\"\n"), false);
    WarmException e = assertThrows(WarmException.class, () -> swarm.swarm(dir).requestUndeploy(APP));
    assertTrue(e.getMessage().contains("This node is not a swarm manager"), e.getMessage());
  }

  @Test
  void testAwaitUndeployed_aDeployedStackIsNoRemovalAndReturnsAtOnce(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(Reply.ok(""), false);
    SwarmPlatform p = swarm.swarm(dir);
    assertFalse(p.undeploying(APP));
    p.awaitUndeployed(APP);
    assertEquals(0, swarm.runner.count("stack rm"));
    assertEquals(0, swarm.runner.count("network rm"));
  }

  @Test
  void testAbraRequestUndeploy_returnsWithoutWaiting(@TempDir Path dir) {
    FakeSwarm swarm = new FakeSwarm(new Reply(1, "FATA " + IN_USE_BY_TASK, ""), false);
    DockerCli docker = new DockerCli(swarm.runner, "docker", Duration.ofSeconds(5));
    AbraSettings abra = new AbraSettings("abra", dir.resolve("abra"), "default", false, List.of());
    AbraPlatform p = new AbraPlatform(abra, swarm.runner, docker, timeouts(), RecipeProbes.none());
    p.requestUndeploy(APP);
    assertEquals(1, swarm.runner.count("app undeploy"));
    // abra's request also removes a network it left when no service is left (Swarm may refuse: progress, D11)
    assertEquals(0, swarm.runner.count("ps "), "no look at the containers, no wait: " + swarm.runner.calls());
    p.awaitUndeployed(APP);
    assertFalse(p.undeploying(APP));
  }
}
