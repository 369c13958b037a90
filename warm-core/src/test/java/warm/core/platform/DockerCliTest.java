package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import warm.core.WarmException;
import warm.core.platform.RecordingRunner.Reply;
import warm.core.platform.SwarmObjects.Service;

/**
 * The docker adapter (DockerCli and what reads through it) against canned {@code docker} output captured from the
 * test Swarm (src/test/resources/warm/core/platform/docker: a one-replica stack with a healthcheck and abra's
 * labels, and one of its volumes). The real-Swarm tests stay in SwarmPlatformIT.
 */
class DockerCliTest {
  private static final String STACK = "fixture_ci_localhost";
  private static final String NS = "label=com.docker.stack.namespace=" + STACK;
  private static final String SERVICE_ID = "x7y45zxoum5vkfv9gnwu0trrh";
  private static final String CONTAINER_ID = "7b5660fd7d6c120949054ed48d6830f28d8cda09fecbdc3fac001749ff478a08";
  private static final String TASK_ID = "nnio2oraznxehmec4aeti905x";

  static String fixture(String name) {
    try (InputStream in = DockerCliTest.class.getResourceAsStream("docker/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("fixture " + name, e);
    }
  }

  /** The captured stack, with the service's JSON passed through {@code edit}. */
  private static RecordingRunner stack(Function<String, String> edit) {
    return stack(edit, Function.identity());
  }

  /** The captured stack, with the service's and the container's JSON edited. */
  private static RecordingRunner stack(Function<String, String> edit, Function<String, String> editContainer) {
    return new RecordingRunner(args -> switch (args) {
      case "service ls -q --filter " + NS -> Reply.ok(SERVICE_ID + "\n");
      case "service inspect --format {{json .}} " + SERVICE_ID -> Reply.ok(edit.apply(fixture("service-inspect.json")));
      case "ps -q --no-trunc --filter label=com.docker.swarm.service.name=" + STACK + "_app" -> Reply.ok(CONTAINER_ID + "\n");
      case "inspect --format {{json .}} " + CONTAINER_ID -> Reply.ok(editContainer.apply(fixture("container-inspect.json")));
      case "inspect --type task --format {{json .}} " + TASK_ID -> Reply.ok(fixture("task-inspect.json"));
      case "service ps --no-trunc --format {{json .}} " + STACK + "_app" -> Reply.ok(fixture("service-ps.json"));
      default -> null;
    });
  }

  private static DockerCli docker(RecordingRunner runner) {
    return new DockerCli(runner, "docker", Duration.ofSeconds(5));
  }

  @Test
  void testServices_parsedIntoRecords() {
    RecordingRunner runner = stack(Function.identity());
    List<Service> services = docker(runner).services(STACK);
    assertEquals(List.of("service ls -q --filter " + NS, "service inspect --format {{json .}} " + SERVICE_ID),
        runner.calls());
    Service s = services.get(0);
    assertEquals(STACK + "_app", s.name());
    assertEquals(1, s.replicas());
    assertEquals("", s.updateState());
    assertEquals("warm-test/busybox:1", s.image());
    assertEquals("1.0.0+1.0", s.labels().get("coop-cloud." + STACK + ".version"));
  }

  @Test
  void testServices_noneWithoutInspect() {
    RecordingRunner runner = new RecordingRunner(args -> args.startsWith("service ls") ? Reply.ok("\n") : null);
    assertTrue(docker(runner).services(STACK).isEmpty());
    assertEquals(1, runner.calls().size());
  }

  @Test
  void testDeployed_fromAbrasLabels() throws Exception {
    DeployedVersion d = new StackReader(docker(stack(Function.identity())))
        .deployed(new AppRef("sample", "fixture.ci.localhost")).orElseThrow();
    assertEquals("1.0.0+1.0", d.version());
    assertFalse(d.chaos());
    assertEquals("sample", d.recipe());
    assertEquals("1.0.0+1.0", d.effective());
  }

  @Test
  void testObserve_runningHealthyCurrentSpecIsHealthy() {
    StackHealth.Observation o = new StackHealth(docker(stack(Function.identity()))).observe(STACK);
    assertTrue(o.healthy(), o.reason());
  }

  @Test
  void testObserve_taskOfAnOlderSpecIsNotConverged() {
    // The service now wants other arguments; the running task still has the captured ones (stop-first not started).
    StackHealth.Observation o = new StackHealth(docker(stack(json -> json.replace("\"Args\":[\"sleep\",\"1000\"]",
        "\"Args\":[\"sleep\",\"2000\"]")))).observe(STACK);
    assertFalse(o.healthy());
    assertTrue(o.reason().contains("older spec"), o.reason());
  }

  @Test
  void testObserve_twoReplicasWantedOneRunning() {
    StackHealth.Observation o = new StackHealth(docker(stack(json -> json.replace("\"Replicas\":1", "\"Replicas\":2"))))
        .observe(STACK);
    assertFalse(o.healthy());
    assertTrue(o.reason().endsWith(STACK + "_app: 1/2 running"), o.reason());
  }

  @Test
  void testObserve_unhealthyContainerNamesTheLastProbe() {
    StackHealth.Observation o = new StackHealth(docker(stack(Function.identity(),
        json -> json.replace("\"Status\":\"healthy\"", "\"Status\":\"unhealthy\"")))).observe(STACK);
    assertFalse(o.healthy());
    assertTrue(o.reason().contains("container unhealthy (last healthcheck exit 0"), o.reason());
  }

  @Test
  void testVolumes_onlyTheStacksWithMountpoints() {
    String other = fixture("volume-inspect.json").replace("\"com.docker.stack.namespace\":\"" + STACK + "\"",
        "\"com.docker.stack.namespace\":\"" + STACK + "_x\"").replace("\"Name\":\"" + STACK + "_data\"", "\"Name\":\"other\"");
    RecordingRunner runner = new RecordingRunner(args -> switch (args) {
      case "volume ls -q --filter " + NS -> Reply.ok(STACK + "_data\nother\n");
      case "volume inspect --format {{json .}} " + STACK + "_data other" -> Reply.ok(fixture("volume-inspect.json") + other);
      default -> null;
    });
    assertEquals(List.of(new VolumeInfo(STACK + "_data", Path.of("/var/lib/docker/volumes/" + STACK + "_data/_data"))),
        docker(runner).volumes(STACK));
  }

  /**
   * A local-driver volume bound to a directory ({@code --opt type=none --opt o=bind --opt device=DIR}) has its data in
   * DIR: docker's Mountpoint is an empty directory on the root filesystem whenever no container uses the volume (the
   * driver bind-mounts DIR there only while one does), so snapshot and restore must use DIR.
   */
  @Test
  void testVolumes_bindBackedVolumeLivesInItsDevice() {
    String bound = fixture("volume-inspect.json").replace("\"Options\":null",
        "\"Options\":{\"device\":\"/var/tmp/xfs/vols/data\",\"o\":\"bind\",\"type\":\"none\"}");
    RecordingRunner runner = new RecordingRunner(args -> switch (args) {
      case "volume ls -q --filter " + NS -> Reply.ok(STACK + "_data\n");
      case "volume inspect --format {{json .}} " + STACK + "_data" -> Reply.ok(bound);
      default -> null;
    });
    assertEquals(List.of(new VolumeInfo(STACK + "_data", Path.of("/var/tmp/xfs/vols/data"))), docker(runner).volumes(STACK));
  }

  /** Other driver options (an NFS or tmpfs mount, a relative device) keep docker's Mountpoint. */
  @Test
  void testVolumes_nonBindOptionsKeepTheMountpoint() {
    for (String opts : List.of("{\"device\":\"tmpfs\",\"type\":\"tmpfs\"}",
        "{\"device\":\":/export\",\"o\":\"addr=10.0.0.1,rw\",\"type\":\"nfs\"}",
        "{\"device\":\"rel/dir\",\"o\":\"bind\",\"type\":\"none\"}")) {
      String json = fixture("volume-inspect.json").replace("\"Options\":null", "\"Options\":" + opts);
      RecordingRunner runner = new RecordingRunner(args -> switch (args) {
        case "volume ls -q --filter " + NS -> Reply.ok(STACK + "_data\n");
        case "volume inspect --format {{json .}} " + STACK + "_data" -> Reply.ok(json);
        default -> null;
      });
      assertEquals(Path.of("/var/lib/docker/volumes/" + STACK + "_data/_data"),
          docker(runner).volumes(STACK).get(0).mountpoint(), opts);
    }
  }

  @Test
  void testRequireSwarm_inactiveIsInfraWithTheFix() {
    RecordingRunner runner = new RecordingRunner(args -> args.equals("info --format {{json .Swarm.LocalNodeState}}")
        ? Reply.ok("\"inactive\"\n") : null);
    WarmException e = assertThrows(WarmException.class, () -> docker(runner).requireSwarm());
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("state 'inactive'") && e.getMessage().contains("docker swarm init"),
        e.getMessage());
  }

  @Test
  void testJsonLines_garbageIsInfraNamingTheLine() {
    RecordingRunner runner = new RecordingRunner(args -> args.startsWith("service ls") ? Reply.ok("abc\n")
        : Reply.ok("Template parsing error: nope\n"));
    WarmException e = assertThrows(WarmException.class, () -> docker(runner).services(STACK));
    assertTrue(e.getMessage().contains("not JSON") && e.getMessage().contains("Template parsing error"), e.getMessage());
  }

  @Test
  void testEngine_fromDockerInfo() {
    // Trimmed `docker info --format '{{json .}}'` of the test engine.
    RecordingRunner runner = new RecordingRunner(args -> args.equals("info --format {{json .}}")
        ? Reply.ok("{\"ID\":\"e1\",\"ServerVersion\":\"20.10.24+dfsg1\",\"Swarm\":{\"NodeID\":\"o3gr2ah7ci2v\","
            + "\"LocalNodeState\":\"active\",\"ControlAvailable\":true}}\n") : null);
    assertEquals(new DockerEngine("20.10.24+dfsg1", "active", "o3gr2ah7ci2v", true), docker(runner).engine());
  }

  @Test
  void testContainersUsing_exactArgvAndIds() {
    RecordingRunner runner = new RecordingRunner(args -> args.equals("ps -aq --filter volume=v1")
        ? Reply.ok("abc\ndef\n") : null);
    assertEquals(List.of("abc", "def"), docker(runner).containersUsing("v1"));
  }

  @Test
  void testContainersUsing_dockerFailureIsInfraWithItsMessage() {
    RecordingRunner runner = new RecordingRunner(args -> Reply.fail("Cannot connect to the Docker daemon\n"));
    WarmException e = assertThrows(WarmException.class, () -> docker(runner).containersUsing("v1"));
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("Cannot connect to the Docker daemon"), e.getMessage());
  }

  /** A removed canonical volume is recreated the way {@code docker stack deploy} makes it: labelled as the stack's. */
  @Test
  void testCreateStackVolume_labelledAsTheStacks_failureIsInfra() {
    String create = "volume create --label " + NS.substring("label=".length()) + " " + STACK + "_data";
    RecordingRunner ok = new RecordingRunner(args -> args.equals(create) ? Reply.ok(STACK + "_data\n") : null);
    docker(ok).createStackVolume(STACK + "_data", STACK);
    assertEquals(List.of(create), ok.calls());
    RecordingRunner refused = new RecordingRunner(args -> new Reply(1, "", "Error response from daemon: no space"));
    WarmException e = assertThrows(WarmException.class, () -> docker(refused).createStackVolume(STACK + "_data", STACK));
    assertEquals(warm.core.ExitCode.INFRA, e.exitCode());
  }

  // ------------------------------------------------------------------ a container's healthcheck, run by warm once

  private static java.util.Optional<SwarmObjects.HealthCheck> check(String configJson) throws IOException {
    return SwarmObjects.HealthCheck.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(configJson));
  }

  @Test
  void testHealthCheck_theCapturedContainersCmdFormIsItsArgvAsItIs() throws IOException {
    // container-inspect.json: Test ["CMD", "true"], interval 1 s, no timeout (Docker's default 30 s applies).
    SwarmObjects.HealthCheck c = SwarmObjects.Container.of(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(fixture("container-inspect.json"))).check().orElseThrow();
    assertEquals(List.of("true"), c.argv());
    assertEquals(Duration.ofSeconds(30), c.timeout());
  }

  @Test
  void testHealthCheck_cmdShellRunsThroughTheContainersShellOrBinSh() throws IOException {
    assertEquals(List.of("/bin/sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"),
        check("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1\"],"
            + "\"Timeout\":3000000000}}").orElseThrow().argv());
    assertEquals(Duration.ofSeconds(3), check("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"],"
        + "\"Timeout\":3000000000}}").orElseThrow().timeout());
    assertEquals(List.of("/bin/bash", "-eo", "pipefail", "-c", "curl -f localhost"),
        check("{\"Shell\":[\"/bin/bash\",\"-eo\",\"pipefail\",\"-c\"],\"Healthcheck\":{\"Test\":[\"CMD-SHELL\","
            + "\"curl -f localhost\"]}}").orElseThrow().argv());
  }

  @Test
  void testHealthCheck_noneMissingOrUnknownIsNoCheck() throws IOException {
    assertTrue(check("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}").isEmpty());
    assertTrue(check("{}").isEmpty());
    assertTrue(check("{\"Healthcheck\":{\"Test\":[]}}").isEmpty());
    assertTrue(check("{\"Healthcheck\":{\"Test\":[\"CMD\"]}}").isEmpty());
    assertTrue(check("{\"Healthcheck\":{\"Test\":[\"SOMETHING\",\"x\"]}}").isEmpty());
  }

  @Test
  void testHealthcheckPasses_execsTheArgvBoundedByTheChecksTimeoutAndTheWaitsRest() throws IOException {
    List<warm.core.process.Command> ran = new java.util.ArrayList<>();
    int[] exit = {0};
    DockerCli cli = new DockerCli(c -> {
      ran.add(c);
      return new warm.core.process.ProcessResult(c, exit[0], "", "", Duration.ZERO, false);
    }, "docker", Duration.ofSeconds(5));
    SwarmObjects.HealthCheck c = check("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"test -f /tmp/ok\"],"
        + "\"Timeout\":3000000000}}").orElseThrow();
    assertTrue(cli.healthcheckPasses("abc", c, Duration.ofSeconds(60)));
    assertEquals(List.of("docker", "exec", "abc", "/bin/sh", "-c", "test -f /tmp/ok"), ran.get(0).argv());
    assertEquals(Duration.ofSeconds(3), ran.get(0).timeout(), "the check's own timeout");
    assertTrue(cli.healthcheckPasses("abc", c, Duration.ofSeconds(1)));
    assertEquals(Duration.ofSeconds(1), ran.get(1).timeout(), "no further than the wait's bound");
    assertTrue(cli.healthcheckPasses("abc", c, Duration.ofMillis(-5)));
    assertEquals(Duration.ofMillis(500), ran.get(2).timeout(), "a wait at its end still gets one real try");
    exit[0] = 1;
    assertFalse(cli.healthcheckPasses("abc", c, Duration.ofSeconds(60)));
  }
}
