package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;
import warm.core.config.Timeouts;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.testing.Prereq;

/** The swarm adapter against the real Docker engine and single-node Swarm. */
@Tag("docker")
class SwarmPlatformIT {
  private final ProcessRunner runner = ProcessRunner.system();
  @TempDir Path state;
  private Platform platform;
  private AppRef app;
  private AppRef neighbour;

  @BeforeEach
  void setUp() {
    Prereq.swarm();
    SampleImage.ensure(runner);
    SampleRecipe.materialize(state.resolve("recipes/sample"), runner);
    platform = Platforms.create(WarmConfig.defaults().withStateRoot(state));
    String hex = Naming.randomHex();
    app = new AppRef("sample", "sample-" + hex + ".ci.localhost");
    // A stack whose name extends app's: its volumes must survive app's removal.
    neighbour = new AppRef("sample", "sample-" + hex + "-x.ci.localhost");
  }

  @AfterEach
  void tearDown() {
    if (platform != null) {
      for (AppRef a : List.of(app, neighbour)) {
        try {
          platform.removeApp(a);
        } catch (RuntimeException e) {
          System.err.println("cleanup of " + a.domain() + ": " + e.getMessage());
        }
      }
    }
  }

  @Test
  void testLifecycle_deployUndeployReattachChaosRemove() throws Exception {
    assertEquals(SampleRecipe.VERSIONS, platform.publishedVersions("sample").stream().sorted().toList());
    assertTrue(platform.releaseNote("sample", "2.0.0+2.0").orElseThrow().contains("ATTENTION"));
    assertTrue(platform.releaseNote("sample", "1.0.0+1.0").isEmpty());

    platform.createApp(app);
    platform.generateMissingSecrets(app);
    String secretName = app.stack() + "_db_password_v1";
    String secretId = docker("secret", "inspect", "--format", "{{.ID}}", secretName);
    platform.generateMissingSecrets(app); // existing secrets are never replaced
    assertEquals(secretId, docker("secret", "inspect", "--format", "{{.ID}}", secretName));

    assertTrue(platform.deployed(app).isEmpty());
    platform.deploy(app, "1.0.0+1.0");
    DeployedVersion d = platform.deployed(app).orElseThrow();
    assertEquals("1.0.0+1.0", d.version());
    assertFalse(d.chaos());
    assertEquals("sample", d.recipe());
    assertEquals("1.0.0+1.0", d.effective());

    List<VolumeInfo> volumes = platform.volumes(app);
    assertEquals(List.of(app.stack() + "_data"), volumes.stream().map(VolumeInfo::name).toList());
    Path data = volumes.get(0).mountpoint();
    assertTrue(Files.isDirectory(data), "mountpoint exists on this host: " + data);
    assertTrue(Files.exists(data.resolve("initialised")));
    Files.writeString(data.resolve("marker.txt"), "written before undeploy");

    platform.undeploy(app);
    // undeploy returns only when nothing of the stack remains
    assertFalse(platform.anythingRunning(app));
    assertEquals("", docker("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + app.stack()));
    assertTrue(platform.deployed(app).isEmpty());

    platform.deploy(app, "1.1.0+1.1");
    assertEquals("1.1.0+1.1", platform.deployed(app).orElseThrow().version());
    assertEquals("written before undeploy", Files.readString(data.resolve("marker.txt")), "volume reattached");
    assertEquals(2, Files.readAllLines(data.resolve("boots.log")).size());

    // chaos deploy of a modified checkout
    Path checkout = state.resolve("pr-checkout");
    runner.run(Command.of("git", "clone", "-q", state.resolve("recipes/sample").toString(), checkout.toString()))
        .requireSuccess();
    Files.writeString(checkout.resolve("compose.yml"),
        Files.readString(checkout.resolve("compose.yml")).replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr"));
    String sha = runner.run(Command.of("git", "-C", checkout.toString(), "rev-parse", "--short=8", "HEAD"))
        .requireSuccess().stdout().strip();
    platform.deployChaos(app, checkout);
    DeployedVersion chaos = platform.deployed(app).orElseThrow();
    assertTrue(chaos.chaos());
    assertEquals(sha + "+U", chaos.chaosVersion());
    assertEquals("2.0.0+2.0", chaos.version(), "chaos keeps the version label of the checkout");
    assertEquals(sha + "+U", chaos.effective());
    assertTrue(Files.readString(data.resolve("boots.log")).contains("boot pr"));

    // removing the per-run app deletes its volumes and no other
    platform.createApp(neighbour);
    docker("volume", "create", "--label", "com.docker.stack.namespace=" + neighbour.stack(), neighbour.stack() + "_data");
    platform.removeApp(app);
    assertFalse(platform.anythingRunning(app));
    assertTrue(platform.volumes(app).isEmpty());
    assertEquals("", docker("secret", "ls", "-q", "--filter", "name=" + secretName));
    assertEquals(List.of(neighbour.stack() + "_data"), platform.volumes(neighbour).stream().map(VolumeInfo::name).toList());
  }

  @Test
  void testDeploy_unknownVersionIsUsageErrorAndChangesNothing() {
    platform.createApp(app);
    WarmException e = assertThrows(WarmException.class, () -> platform.deploy(app, "9.9.9+nope"));
    assertEquals(2, e.exitCode().code());
    assertTrue(e.getMessage().contains("9.9.9+nope") && e.getMessage().contains("1.0.0+1.0"), e.getMessage());
    assertFalse(platform.anythingRunning(app));
  }

  @Test
  void testDeploy_failedDeployReportsDockerOutputAndUndeployCleansUp() {
    platform.createApp(app);
    // no secret generated: docker refuses the deploy (after creating the stack network)
    WarmException e = assertThrows(WarmException.class, () -> platform.deploy(app, "1.0.0+1.0"));
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("secret not found"), e.getMessage());
    platform.undeploy(app);
    assertFalse(platform.anythingRunning(app));
    assertEquals("", docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + app.stack()));
  }

  @Test
  void testDeploy_unhealthyTimesOutWithReason() throws Exception {
    var cfg = WarmConfig.defaults().withStateRoot(state);
    cfg = cfg.withTimeouts(new Timeouts(null, null, 8, null, null, null));
    Platform p = Platforms.create(cfg);
    p.createApp(app);
    p.generateMissingSecrets(app);
    // the first boot initialises for 600 s: the healthcheck stays "starting" past the 8 s health bound
    Path env = state.resolve("apps").resolve(app.domain() + ".env");
    Files.writeString(env, Files.readString(env).replace("INIT_SECONDS=1", "INIT_SECONDS=600"));
    WarmException e = assertThrows(WarmException.class, () -> p.deploy(app, "1.0.0+1.0"));
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("did not become healthy within 8 s"), e.getMessage());
    assertTrue(e.getMessage().contains("container starting"), e.getMessage());
  }

  @Test
  void testUndeploy_whileSwarmIsAlreadyRemovingTheStackIsProgress() {
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    platform.deploy(app, "1.0.0+1.0");
    docker("stack", "rm", app.stack());
    // A second removal right after the first: on this Swarm it fails with "network … not found" (D11's kind of
    // error); the classifier must recognise docker's real output as progress.
    var second = runner.run(Command.of("docker", "stack", "rm", app.stack()));
    if (!second.ok()) {
      assertTrue(SwarmRemoval.inProgress(second), second.outputTail());
    }
    platform.undeploy(app); // a third removal while Swarm is still at it: must wait, not fail
    assertFalse(platform.anythingRunning(app));
    assertEquals("", docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + app.stack()));
  }

  @Test
  void testDeploy_missingImageFailsAtOnceNamingTheImage() throws Exception {
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    String image = "warm-test/nope-" + Naming.randomHex() + ":1";
    Path env = state.resolve("apps").resolve(app.domain() + ".env");
    Files.writeString(env, Files.readString(env) + "SAMPLE_IMAGE=" + image + "\n");
    long t0 = System.nanoTime();
    WarmException e = assertThrows(WarmException.class, () -> platform.deploy(app, "1.0.0+1.0"));
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("image " + image + " does not exist"), e.getMessage());
    // the health bound is 300 s; Swarm rejects the task within a few seconds
    assertTrue(seconds < 60, "failed after " + seconds + " s");
  }

  // ---------------------------------------------------------- Swarm gave up: the wait ends at once, with the reason

  @Test
  void testDeploy_aTaskThatExitsWithMaxAttemptsEndsTheWaitSayingSwarmGaveUp() throws Exception {
    publishVariant("2.0.1+crash", "echo crashing on purpose; exit 3", "        max_attempts: 1\n", false);
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    long t0 = System.nanoTime();
    WarmException e = assertThrows(WarmException.class, () -> platform.deploy(app, "2.0.1+crash"));
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("cannot become healthy: " + app.stack() + "_app: Swarm gave up: no task is "
        + "desired to run any more (restart policy on-failure, max_attempts 1, 2 run(s) ended, the last: "), e.getMessage());
    assertTrue(e.getMessage().contains("non-zero exit (3)"), e.getMessage());
    // the health bound is 300 s; two runs of a container that exits at once take a few seconds
    assertTrue(seconds < 60, "failed after " + seconds + " s");
    System.out.println("Swarm gave up after " + seconds + " s: " + e.getMessage());
  }

  @Test
  void testDeploy_aCrashLoopUnderAnUnlimitedPolicyWaitsForTheBound() throws Exception {
    // The same crash without max_attempts: Swarm keeps restarting it (an app waiting for its database looks the
    // same), so only the bound ends the wait.
    publishVariant("2.0.2+loop", "echo crashing on purpose; exit 3", "", false);
    Platform p = Platforms.create(WarmConfig.defaults().withStateRoot(state)
        .withTimeouts(new Timeouts(null, null, 8, null, null, null)));
    p.createApp(app);
    p.generateMissingSecrets(app);
    WarmException e = assertThrows(WarmException.class, () -> p.deploy(app, "2.0.2+loop"));
    assertTrue(e.getMessage().contains("did not become healthy within 8 s"), e.getMessage());
    assertFalse(e.getMessage().contains("gave up"), e.getMessage());
  }

  @Test
  void testDeploy_anUpdateSwarmRollsBackEndsTheWaitSayingSo() throws Exception {
    // failure_action rollback: the new spec's task exits, Swarm puts 1.0.0's spec back and runs it healthy; the
    // deploy of the new version must fail, not pass as healthy.
    publishVariant("2.0.3+rollback", "echo crashing on purpose; exit 3", "", true);
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    platform.deploy(app, "1.0.0+1.0");
    long t0 = System.nanoTime();
    WarmException e = assertThrows(WarmException.class, () -> platform.deploy(app, "2.0.3+rollback"));
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    assertTrue(e.getMessage().contains("Swarm rolled the update back (rollback_completed"), e.getMessage());
    assertTrue(seconds < 120, "failed after " + seconds + " s");
    assertEquals("1.0.0+1.0", platform.deployed(app).orElseThrow().version(), "Swarm runs the previous spec");
  }

  // ------------------------------------------ an update in its monitor period: healthy once the new task is healthy

  @Test
  void testDeploy_anUpdateWhoseNewTaskIsHealthyReturnsDuringItsMonitorPeriod() throws Exception {
    // failure_action pause (Docker's default) with a 60 s monitor: Swarm still says `updating` after the deploy
    // returned, which proves the wait did not sit out the monitor period; the new version runs, healthy.
    publishMonitorVariant("2.0.4+monitor", "60s", false);
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    platform.deploy(app, "1.0.0+1.0");
    platform.deploy(app, "2.0.4+monitor");
    assertEquals("updating", docker("service", "inspect", "--format", "{{.UpdateStatus.State}}", app.stack() + "_app"));
    assertEquals("2.0.4+monitor", platform.deployed(app).orElseThrow().version());
    String container = docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + app.stack() + "_app");
    assertEquals(1, container.lines().count(), container);
    assertEquals("healthy", docker("inspect", "--format", "{{.State.Health.Status}}", container));
    assertTrue(docker("inspect", "--format", "{{json .Config.Env}}", container).contains("SAMPLE_VERSION=2.0.4+monitor"));
    assertEquals(java.util.Optional.empty(), platform.unhealthy(app), "healthy by the same rule when asked again");
  }

  @Test
  void testDeploy_underFailureActionRollbackTheMonitorPeriodIsWaitedOut() throws Exception {
    // failure_action rollback: a failure in the monitor period would put 1.0.0 back, so the deploy is healthy only
    // once Swarm completed the update.
    publishMonitorVariant("2.0.5+monitor", "5s", true);
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    platform.deploy(app, "1.0.0+1.0");
    platform.deploy(app, "2.0.5+monitor");
    assertEquals("completed", docker("service", "inspect", "--format", "{{.UpdateStatus.State}}", app.stack() + "_app"));
    assertEquals("2.0.5+monitor", platform.deployed(app).orElseThrow().version());
  }

  // ---------------------------- the known-good before an upgrade: healthy by its own healthcheck, run by warm

  @Test
  void testDeployBeforeUpgrade_healthyWhenItsHealthcheckPassesNotAtDockersFirstProbe() throws Exception {
    // A 60 s healthcheck interval: Docker's first probe runs a minute after the start. The check itself (the volume
    // initialised after the first boot's 1 s, the secret, httpd answering) passes within about two seconds.
    publishIntervalVariant("2.0.6+interval", "60s");
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    long t0 = System.nanoTime();
    platform.deployBeforeUpgrade(app, "2.0.6+interval");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "returned before Docker's first probe: " + took);
    String container = docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + app.stack() + "_app");
    assertEquals(1, container.lines().count(), container);
    assertEquals("starting", docker("inspect", "--format", "{{.State.Health.Status}}", container),
        "Docker has not probed yet: the verdict was the check's own, run by warm");
    docker("exec", container, "/bin/sh", "-c", "test -f /data/initialised && test -s /run/secrets/db_password");
    // The upgrade from a known-good that Docker still calls starting: the stop-first update runs as from a healthy one.
    platform.deploy(app, "2.0.0+2.0");
    assertEquals("2.0.0+2.0", platform.deployed(app).orElseThrow().version());
    assertEquals(java.util.Optional.empty(), platform.unhealthy(app));
  }

  /** Publishes {@code version}: 2.0.0's compose with the healthcheck's {@code interval}. */
  private void publishIntervalVariant(String version, String interval) throws Exception {
    Path dir = state.resolve("recipes/sample");
    Path compose = dir.resolve("compose.yml");
    String changed = Files.readString(compose).replace("2.0.0+2.0", version)
        .replace("      interval: 1s\n", "      interval: " + interval + "\n");
    assertTrue(changed.contains(version) && changed.contains("interval: " + interval), "variant applied");
    Files.writeString(compose, changed);
    SampleRecipe.git(runner, dir, "commit", "-qam", "chore: publish " + version + " release");
    SampleRecipe.git(runner, dir, "tag", version);
  }

  /** Publishes {@code version}: 2.0.0's compose with the update's {@code monitor} and, when asked, rollback on failure. */
  private void publishMonitorVariant(String version, String monitor, boolean rollback) throws Exception {
    Path dir = state.resolve("recipes/sample");
    Path compose = dir.resolve("compose.yml");
    String changed = Files.readString(compose).replace("2.0.0+2.0", version)
        .replace("        monitor: 1s\n", "        monitor: " + monitor + "\n"
            + (rollback ? "        failure_action: rollback\n" : ""));
    assertTrue(changed.contains(version) && changed.contains("monitor: " + monitor), "variant applied");
    Files.writeString(compose, changed);
    SampleRecipe.git(runner, dir, "commit", "-qam", "chore: publish " + version + " release");
    SampleRecipe.git(runner, dir, "tag", version);
  }

  /**
   * Publishes {@code version} of the sample recipe: 2.0.0's compose with {@code firstLine} run first in the app's
   * command, {@code restartExtra} added to its restart policy and, when {@code rollback}, an update that Swarm rolls
   * back on failure.
   */
  private void publishVariant(String version, String firstLine, String restartExtra, boolean rollback)
      throws Exception {
    Path dir = state.resolve("recipes/sample");
    Path compose = dir.resolve("compose.yml");
    String text = Files.readString(compose);
    String changed = text.replace("2.0.0+2.0", version)
        .replace("        set -e\n", "        set -e\n        " + firstLine + "\n")
        .replace("        delay: 1s\n", "        delay: 1s\n" + restartExtra)
        .replace("        monitor: 1s\n", "        monitor: 1s\n" + (rollback ? "        failure_action: rollback\n" : ""));
    assertTrue(changed.contains(firstLine) && changed.contains(version) && (!rollback || changed.contains("rollback")),
        "variant applied");
    Files.writeString(compose, changed);
    SampleRecipe.git(runner, dir, "commit", "-qam", "chore: publish " + version + " release");
    SampleRecipe.git(runner, dir, "tag", version);
  }

  private String docker(String... args) {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    return runner.run(Command.of(argv)).requireSuccess().stdout().strip();
  }
}
