package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
        () -> health.awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), Instant.now()));
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

  // ------------------------------------------- "Swarm gave up": rows captured from the test bed's Swarm (gave-up/)

  /** A fake docker serving one captured service ({@code <name>.inspect.json}, {@code <name>.ps.json}). */
  private static RecordingRunner captured(String name) throws IOException {
    return captured(name, fixture(name + ".inspect.json"));
  }

  /** As {@link #captured(String)}, with the service's {@code docker service inspect} object given. */
  private static RecordingRunner captured(String name, String inspect) throws IOException {
    String ps = fixture(name + ".ps.json");
    String taskInspect = name.equals("giveup") || name.equals("none") ? fixture(name + ".task-inspect.json") : null;
    String service = "hb5b9ea8-" + name;
    return new RecordingRunner(args -> {
      if (args.startsWith("inspect --type task --format {{json .}} ") && taskInspect != null) {
        return Reply.ok(taskInspect);
      }
      if (args.startsWith("service ls -q")) {
        return Reply.ok("svc1\n");
      }
      if (args.startsWith("service inspect")) {
        return Reply.ok(inspect);
      }
      if (args.equals("ps -q --no-trunc --filter label=com.docker.swarm.service.name=" + service)) {
        return Reply.ok(""); // no container of the service runs
      }
      if (args.equals("service ps --no-trunc --format {{json .}} " + service)) {
        return Reply.ok(ps);
      }
      return null;
    });
  }

  private static String fixture(String file) throws IOException {
    try (InputStream in = StackHealthTest.class.getResourceAsStream("docker/gave-up/" + file)) {
      if (in == null) {
        throw new IOException("no fixture " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static StackHealth health(RecordingRunner runner) {
    return new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)));
  }

  /** When the captured services were (re)deployed: their update started at 19:19:31. */
  private static final Instant DEPLOYED = Instant.parse("2026-11-30T19:19:30Z");

  @Test
  void testAwaitHealthy_maxAttemptsExhaustedEndsAtOnceSayingSwarmGaveUp() throws IOException {
    // restart_policy on-failure, max_attempts 1: the first run and its one restart both exited 3, none is desired.
    RecordingRunner runner = captured("giveup");
    long t0 = System.nanoTime();
    WarmException e = assertThrows(WarmException.class,
        () -> health(runner).awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), DEPLOYED));
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(5)) < 0, "did not wait");
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("cannot become healthy: hb5b9ea8-giveup: Swarm gave up"), e.getMessage());
    assertTrue(e.getMessage().contains("restart policy on-failure, max_attempts 1"), e.getMessage());
    assertTrue(e.getMessage().contains("task: non-zero exit (3)"), e.getMessage());
    assertEquals(1, runner.count("service ls"), "one look was enough");
  }

  @Test
  void testObserve_endedTasksOfAnOlderSpecAreNoGiveUp() throws IOException {
    // The same rows while the service already wants another command: the update has not made its task yet.
    String inspect = fixture("giveup.inspect.json").replace("\"Args\":[\"sh\",\"-c\",\"echo boom; exit 3\"]",
        "\"Args\":[\"sh\",\"-c\",\"echo fixed; sleep 9999\"]");
    assertTrue(inspect.contains("echo fixed"), "the fixture changed");
    StackHealth.Observation o = health(captured("giveup", inspect)).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
  }

  @Test
  void testObserve_restartPolicyNoneWithItsTaskEndedIsTerminal() throws IOException {
    StackHealth.Observation o = health(captured("none")).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && o.terminal(), o.toString());
    assertTrue(o.reason().contains("Swarm gave up") && o.reason().contains("restart policy none"), o.reason());
  }

  @Test
  void testObserve_restartingUnderAnUnlimitedPolicyIsNotTerminal() throws IOException {
    // Five failed runs, the sixth waiting out its restart delay (desired Ready): a crash loop Swarm keeps retrying, as
    // an app that exits until its database is up.
    StackHealth.Observation o = health(captured("loop")).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
    assertTrue(o.reason().contains("0/1 running"), o.reason());
  }

  @Test
  void testObserve_aPausedUpdateThatSwarmStillRestartsIsNotTerminal() throws IOException {
    // failure_action pause: the update paused after its first failed task, but the restart policy (unlimited) keeps
    // starting the new spec's task (the newest row: Starting, desired Running). Paused alone is no verdict.
    StackHealth.Observation o = health(captured("pause")).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
  }

  @Test
  void testAwaitHealthy_anUpdateSwarmRolledBackSinceTheDeployEndsAtOnce() throws IOException {
    // failure_action rollback: Swarm put the previous spec back and runs it (1/1 healthy) — never the deployed one.
    RecordingRunner runner = captured("rollback");
    WarmException e = assertThrows(WarmException.class,
        () -> health(runner).awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), DEPLOYED));
    assertTrue(e.getMessage().contains("Swarm rolled the update back (rollback_completed: rollback completed)"),
        e.getMessage());
  }

  @Test
  void testObserve_aRollbackOfAnEarlierDeployIsNotTerminal() throws IOException {
    // The same rows, seen by a wait that began after that rollback (a redeploy of an unchanged spec keeps the old
    // UpdateStatus): the rollback says nothing about this deploy.
    StackHealth.Observation o = health(captured("rollback")).observe(STACK, Instant.parse("2026-11-30T19:25:00Z"));
    assertTrue(!o.terminal(), o.toString());
  }

  @Test
  void testObserve_aServiceWithoutTasksYetIsNotTerminal() {
    // Right after `docker stack deploy`, before the orchestrator made the first task: nothing ended, nothing gave up.
    StackHealth.Observation o = health(swarm("")).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
  }

  // ------------------------------- an update in its monitor period: rows captured from the test bed's Swarm (monitor/)

  /**
   * A fake docker serving one service captured while its stop-first update was {@code updating} (monitor 60 s): its
   * one running container and that container's task ({@code monitor/<name>.*.json}).
   */
  private static RecordingRunner monitoring(String name) throws IOException {
    return monitoring(name, monitorFixture(name + ".container.json"), args -> null);
  }

  /** {@link #monitoring(String)} with its container's JSON given, and {@code other} answering any other command. */
  private static RecordingRunner monitoring(String name, String container,
      java.util.function.Function<String, Reply> other) throws IOException {
    String id = container.substring(container.indexOf("\"Id\":\"") + 6, container.indexOf("\"Id\":\"") + 70);
    String service = "hb5b9ea8-monitor";
    return new RecordingRunner(args -> {
      try {
        if (args.startsWith("service ls -q")) {
          return Reply.ok("svc1\n");
        }
        if (args.startsWith("service inspect")) {
          return Reply.ok(monitorFixture(name + ".inspect.json"));
        }
        if (args.equals("ps -q --no-trunc --filter label=com.docker.swarm.service.name=" + service)) {
          return Reply.ok(id + "\n");
        }
        if (args.equals("inspect --format {{json .}} " + id)) {
          return Reply.ok(container);
        }
        if (args.startsWith("inspect --type task --format {{json .}} ")) {
          return Reply.ok(monitorFixture(name + ".task-inspect.json"));
        }
        if (args.equals("service ps --no-trunc --format {{json .}} " + service)) {
          return Reply.ok(monitorFixture(name + ".ps.json"));
        }
        return other.apply(args);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static String monitorFixture(String file) throws IOException {
    try (InputStream in = StackHealthTest.class.getResourceAsStream("docker/monitor/" + file)) {
      if (in == null) {
        throw new IOException("no fixture " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void testObserve_anUpdateInItsMonitorPeriodWhoseNewTaskIsHealthyIsHealthy() throws IOException {
    // failure_action pause: the new spec's one task runs and is healthy; Swarm only watches it for the monitor period
    // now, and whatever it sees there cannot put the previous spec back: nothing is left to wait for.
    StackHealth.Observation o = health(monitoring("healthy")).observe(STACK, DEPLOYED);
    assertTrue(o.healthy(), o.toString());
  }

  @Test
  void testObserve_aStopFirstUpdateThatHasNotStartedIsNotHealthy() throws IOException {
    // The update was just accepted: the old spec's task still runs, 1/1 and healthy. "N/N healthy" is no convergence.
    StackHealth.Observation o = health(monitoring("notstarted")).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
    assertTrue(o.reason().contains("older spec"), o.reason());
  }

  @Test
  void testObserve_underFailureActionRollbackTheMonitorPeriodIsWaitedOut() throws IOException {
    // The same healthy new task, but a failure in the monitor period would make Swarm put the previous spec back:
    // the deploy is healthy only once the update completed.
    StackHealth.Observation o = health(monitoring("rollback")).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal(), o.toString());
    assertTrue(o.reason().contains("update updating") && o.reason().contains("failure_action rollback"), o.reason());
  }

  // ------------------------------------------------------------ events: a look follows each change of the stack

  /** Stack events that record each pause asked for; the first {@code unhealthyLooks} looks see 0/1 running. */
  private static final class RecordingEvents implements StackEvents {
    final java.util.List<Duration> pauses = new java.util.ArrayList<>();
    final boolean live;
    boolean closed;

    RecordingEvents(boolean live) {
      this.live = live;
    }

    @Override
    public boolean await(Duration max) {
      pauses.add(max);
      return true; // a change arrived at once
    }

    @Override
    public boolean live() {
      return live;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A stack whose one service has no container for the first {@code looks} looks, then one running healthy. */
  private static RecordingRunner becomesHealthyAfter(int looks) throws IOException {
    String container = monitorFixture("healthy.container.json");
    String id = container.substring(container.indexOf("\"Id\":\"") + 6, container.indexOf("\"Id\":\"") + 70);
    String inspect = monitorFixture("healthy.inspect.json").replace("\"State\":\"updating\"", "\"State\":\"completed\"");
    int[] seen = {0};
    return new RecordingRunner(args -> {
      try {
        if (args.startsWith("service ls -q")) {
          seen[0]++;
          return Reply.ok("svc1\n");
        }
        if (args.startsWith("service inspect")) {
          return Reply.ok(inspect);
        }
        if (args.startsWith("ps -q --no-trunc --filter label=com.docker.swarm.service.name=")) {
          return Reply.ok(seen[0] > looks ? id + "\n" : "");
        }
        if (args.equals("inspect --format {{json .}} " + id)) {
          return Reply.ok(container);
        }
        if (args.startsWith("inspect --type task --format {{json .}} ")) {
          return Reply.ok(monitorFixture("healthy.task-inspect.json"));
        }
        if (args.startsWith("service ps --no-trunc --format {{json .}} ")) {
          return Reply.ok("");
        }
        return null;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void testAwaitHealthy_withLiveEventsEachPauseEndsOnAChangeAndTheStreamIsClosed() throws IOException {
    RecordingRunner runner = becomesHealthyAfter(2);
    RecordingEvents events = new RecordingEvents(true);
    new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)), (stack, bound) -> events)
        .awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), DEPLOYED);
    assertEquals(3, runner.count("service ls"), "a look per change, healthy at the third");
    // With events, the poll is only the fallback for what no event announces: 1 s, not the 0.2 s poll.
    assertEquals(java.util.List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), events.pauses);
    assertTrue(events.closed, "the stream ends with the wait");
  }

  @Test
  void testAwaitHealthy_withoutEventsItPollsEveryFifthOfASecond() throws IOException {
    RecordingRunner runner = becomesHealthyAfter(1);
    RecordingEvents events = new RecordingEvents(false);
    new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)), (stack, bound) -> events)
        .awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), DEPLOYED);
    assertEquals(java.util.List.of(Duration.ofMillis(200)), events.pauses);
    assertTrue(events.closed);
  }

  @Test
  void testAwaitHealthy_aTimeoutClosesTheStreamAndNamesTheReason() {
    RecordingEvents events = new RecordingEvents(true);
    StackHealth health = new StackHealth(new DockerCli(swarm(row("Starting 1 second ago", "Running", "",
        "warm-test/nope:1")), "docker", Duration.ofSeconds(5)), (stack, bound) -> events);
    WarmException e = assertThrows(WarmException.class,
        () -> health.awaitHealthy(STACK, Duration.ofMillis(1), Optional.empty(), DEPLOYED));
    assertTrue(e.getMessage().contains("did not become healthy within 0 s: " + STACK + "_app: 0/1 running"),
        e.getMessage());
    assertTrue(events.closed);
  }

  // ------------------------- the known-good before an upgrade: its own healthcheck, run by warm, instead of Docker's

  /**
   * The container captured on the test bed's Swarm right after it started, before Docker's first probe (healthcheck
   * {@code CMD-SHELL test -f /tmp/ok}, interval 60 s, timeout 3 s): health {@code starting}, no probe logged.
   */
  private static final String OWN_CHECK = "exec " + startingId() + " /bin/sh -c test -f /tmp/ok";

  private static String startingId() {
    try {
      String c = monitorFixture("starting.container.json");
      return c.substring(c.indexOf("\"Id\":\"") + 6, c.indexOf("\"Id\":\"") + 70);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The starting container; its healthcheck run by warm fails {@code failures} times, then passes. */
  private static RecordingRunner starting(int failures) throws IOException {
    int[] runs = {0};
    return monitoring("starting", monitorFixture("starting.container.json"),
        args -> args.equals(OWN_CHECK) ? (runs[0]++ < failures ? new Reply(1, "", "") : Reply.ok("")) : null);
  }

  @Test
  void testObserve_aStartingContainerIsNotHealthyAndItsCheckIsNotRunByAPlainLook() throws IOException {
    RecordingRunner runner = starting(0);
    StackHealth.Observation o = health(runner).observe(STACK, DEPLOYED);
    assertTrue(!o.healthy() && !o.terminal() && !o.soon(), o.toString());
    assertTrue(o.reason().contains("container starting"), o.reason());
    assertEquals(0, runner.count("exec"), "only Docker's verdict counts");
  }

  @Test
  void testAwaitHealthy_ownChecksCountAStartingContainerWhoseHealthcheckPasses() throws IOException {
    RecordingRunner runner = starting(0);
    RecordingEvents events = new RecordingEvents(true);
    new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)), (stack, bound) -> events)
        .awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), DEPLOYED, true);
    assertEquals(1, runner.count(OWN_CHECK), "the healthcheck's own command, through the container's shell");
    assertEquals(1, runner.count("service ls"), "healthy at the first look");
    assertTrue(events.pauses.isEmpty(), events.pauses.toString());
  }

  @Test
  void testAwaitHealthy_ownChecksThatFailLookAgainWithinTheShortPollEvenWithLiveEvents() throws IOException {
    // No event says when a check will pass (warm's own exec runs are not the stack's changes): look again in 0.2 s.
    RecordingRunner runner = starting(2);
    RecordingEvents events = new RecordingEvents(true);
    new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)), (stack, bound) -> events)
        .awaitHealthy(STACK, Duration.ofSeconds(30), Optional.empty(), DEPLOYED, true);
    assertEquals(3, runner.count(OWN_CHECK));
    assertEquals(java.util.List.of(Duration.ofMillis(200), Duration.ofMillis(200)), events.pauses);
    assertTrue(events.closed);
  }

  @Test
  void testAwaitHealthy_withoutOwnChecksAStartingContainerWaitsForDocker() throws IOException {
    RecordingRunner runner = starting(0);
    StackHealth health = new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)),
        (stack, bound) -> new RecordingEvents(true));
    WarmException e = assertThrows(WarmException.class,
        () -> health.awaitHealthy(STACK, Duration.ofMillis(1), Optional.empty(), DEPLOYED));
    assertTrue(e.getMessage().contains("container starting"), e.getMessage());
    assertEquals(0, runner.count("exec"));
  }

  @Test
  void testAwaitHealthy_ownChecksNeverOverruleDockersUnhealthy() throws IOException {
    // Docker has judged it (its retries failed after the start period): a passing run of ours changes nothing.
    String unhealthy = monitorFixture("starting.container.json")
        .replace("\"Status\":\"starting\"", "\"Status\":\"unhealthy\"");
    RecordingRunner runner = monitoring("starting", unhealthy, args -> args.equals(OWN_CHECK) ? Reply.ok("") : null);
    StackHealth health = new StackHealth(new DockerCli(runner, "docker", Duration.ofSeconds(5)),
        (stack, bound) -> new RecordingEvents(true));
    WarmException e = assertThrows(WarmException.class,
        () -> health.awaitHealthy(STACK, Duration.ofMillis(1), Optional.empty(), DEPLOYED, true));
    assertTrue(e.getMessage().contains("container unhealthy"), e.getMessage());
    assertEquals(0, runner.count("exec"));
  }
}
