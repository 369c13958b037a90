package warm.nightly.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import warm.core.alert.AlertOutbox;
import warm.core.alert.OutboxEntry;
import warm.core.config.ConfigLoader;
import warm.core.config.Timeouts;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.state.LastGood;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution;
import warm.snapshot.SnapshotStore;

/**
 * The reconciler on the real Swarm through the built distribution, with a stateful busybox infra app whose data is
 * a real volume: first deploy, a healthy minor upgrade that snapshots first and keeps the data, broken latests that
 * roll back with the pre-upgrade data (a file the broken version wrote is gone), a major bump held with one alert and
 * the service untouched, a busy lock skipped at once, SIGKILL in the health wait finished by {@code warm recover},
 * and a stateless app rolled back with no snapshot directory written. One app walks through the steps in order (each
 * Swarm deploy costs seconds); the stateless one stands alone.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private static final String APP = "rcstore";
  private static final String PROXY = "rcproxy";

  private static Path root;
  private static Path recipe;
  private static Path config;
  private static WarmConfig cfg;
  private static Platform platform;
  private static AppRef ref;
  private static AppRef proxyRef;
  private static Map<String, String> shas;

  @BeforeAll
  static void bed() throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    root = Files.createTempDirectory("warm-reconcile-it-");
    recipe = SampleRecipe.materialize(root.resolve("recipes").resolve(APP), RUNNER);
    shas = new java.util.LinkedHashMap<>();
    for (String v : SampleRecipe.VERSIONS) {
      shas.put(v, git(recipe, "rev-list", "-n", "1", v).strip());
    }
    // Published one at a time, as a maintainer would: at first only 1.0.0+1.0.
    git(recipe, "tag", "-d", "1.1.0+1.1");
    git(recipe, "tag", "-d", "2.0.0+2.0");
    Path proxyRecipe = SampleRecipe.materialize(root.resolve("recipes").resolve(PROXY), RUNNER);
    git(proxyRecipe, "tag", "-d", "1.1.0+1.1");
    git(proxyRecipe, "tag", "-d", "2.0.0+2.0");
    publish(proxyRecipe, "1.0.0+1.0", "1.1.0+1.1", c -> c.replace("warm-test/busybox:1", "warm-test/absent:1"));
    String ci = "rc-" + Naming.randomHex() + ".localhost";
    config = root.resolve("config.json");
    writeConfig(config, ci, List.of());
    cfg = ConfigLoader.loadFile(config);
    platform = Platforms.create(cfg);
    ref = new AppRef(APP, APP + "." + ci);
    proxyRef = new AppRef(PROXY, PROXY + "." + ci);
  }

  private static void writeConfig(Path file, String ci, List<String> acks) throws Exception {
    String ackJson = JSON.writeValueAsString(acks);
    Files.writeString(file, """
        {"stateRoot": "%s", "ciDomain": "%s",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "infra": [{"name": "%s", "domain": "%s.%s", "stateful": true, "acknowledged": %s},
                   {"name": "%s", "domain": "%s.%s", "stateful": false}],
         "timeouts": {"healthSeconds": 25, "lockWaitSeconds": 60}}
        """.formatted(root.resolve("state"), ci, root.resolve("recipes"), root.resolve("apps"), APP, APP, ci, ackJson,
        PROXY, PROXY, ci));
  }

  @AfterAll
  static void cleanup() {
    if (platform != null) {
      for (AppRef a : List.of(ref, proxyRef)) {
        try {
          platform.removeApp(a);
        } catch (RuntimeException e) {
          System.err.println("cleanup: " + e.getMessage());
        }
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
  }

  // ------------------------------------------------------------------------------------------------- the steps

  @Test
  @Order(1)
  void testNotDeployed_deploysTheLatestAndRecordsLastGood() throws Exception {
    JsonNode r = reconcile(APP, 0);
    assertEquals("deployed", r.path("outcome").asText(), r.toString());
    assertEquals("1.0.0+1.0", platform.deployed(ref).orElseThrow().version());
    assertEquals("1.0.0+1.0", lastGood());
    // Data the app's users wrote while it ran 1.0.0.
    Files.writeString(volume().resolve("user-data.txt"), "realm=acme\n");
  }

  @Test
  @Order(2)
  void testHealthyMinorUpgrade_snapshotsFirstAndKeepsTheData() throws Exception {
    git(recipe, "tag", "1.1.0+1.1", shas.get("1.1.0+1.1"));
    JsonNode r = reconcile(APP, 0);
    assertEquals("applied", r.path("outcome").asText(), r.toString());
    assertEquals("1.0.0+1.0", r.path("from").asText());
    assertEquals("1.1.0+1.1", r.path("to").asText());
    assertEquals("AUTO_APPLY", r.path("gate").path("decision").asText(), r.toString());
    assertTrue(r.path("timings").path("snapshotMillis").asLong() >= 0 && r.path("timings").has("totalMillis"));
    String snap = r.path("snapshotId").asText();
    SnapshotStore store = SnapshotStore.forApp(cfg.stateRoot(), APP);
    assertEquals(snap, store.knownGoodId().orElseThrow(), "the pre-upgrade snapshot is the known-good");
    assertEquals("1.0.0+1.0", store.meta(snap).tag().version());
    assertEquals("1.1.0+1.1", platform.deployed(ref).orElseThrow().version());
    assertEquals("1.1.0+1.1", lastGood());
    assertEquals("realm=acme\n", Files.readString(volume().resolve("user-data.txt")), "data kept across the upgrade");
    assertTrue(Files.readString(volume().resolve("boots.log")).contains("boot 1.1.0+1.1"));
    assertEquals(0, alerts().size());
  }

  @Test
  @Order(3)
  void testLatestThatNeverTurnsHealthy_rollsBackWithThePreUpgradeData() throws Exception {
    // 1.2.0 "migrates" the data on boot, then never passes its healthcheck.
    publish(recipe, "1.1.0+1.1", "1.2.0+1.2", c -> c
        .replace("echo \"boot $${SAMPLE_VERSION}\" >> /data/boots.log",
            "echo \"boot $${SAMPLE_VERSION}\" >> /data/boots.log; echo migrated > /data/migrated-by-1.2")
        .replace("test -f /data/initialised &&", "false &&"));
    JsonNode r = reconcile(APP, 1);
    assertRolledBack(r, "1.2.0+1.2");
    assertFalse(Files.exists(volume().resolve("migrated-by-1.2")), "what the failed version wrote is gone");
    assertFalse(Files.readString(volume().resolve("boots.log")).contains("boot 1.2.0+1.2"));
  }

  @Test
  @Order(4)
  void testLatestWhoseImageDoesNotExist_rollsBack() throws Exception {
    publish(recipe, "1.1.0+1.1", "1.3.0+1.3", c -> c.replace("warm-test/busybox:1", "warm-test/absent:1"));
    JsonNode r = reconcile(APP, 1);
    assertRolledBack(r, "1.3.0+1.3");
  }

  @Test
  @Order(5)
  void testMajorBump_isHeldOnceWithTheServiceUntouched() throws Exception {
    git(recipe, "tag", "2.0.0+2.0", shas.get("2.0.0+2.0"));
    List<String> tasksBefore = tasks();
    int alertsBefore = alerts().size();
    JsonNode r = reconcile(APP, 3);
    assertEquals("held", r.path("outcome").asText(), r.toString());
    assertEquals("2.0.0+2.0", r.path("to").asText());
    assertEquals("HOLD", r.path("gate").path("decision").asText());
    assertEquals(alertsBefore + 1, alerts().size());
    OutboxEntry held = alerts().get(alerts().size() - 1);
    assertEquals("upgrade-held", held.alert().kind());
    assertTrue(held.alert().notesExcerpt().contains("You must run the migration"), held.alert().notesExcerpt());
    JsonNode again = reconcile(APP, 3);
    assertEquals("held", again.path("outcome").asText());
    assertEquals(alertsBefore + 1, alerts().size(), "no second alert for the same target");
    assertEquals(tasksBefore, tasks(), "the service was not touched");
    assertEquals("1.1.0+1.1", platform.deployed(ref).orElseThrow().version());
  }

  @Test
  @Order(6)
  void testBusyLock_isSkippedAtOnce() throws Exception {
    try (LockFile held = new AppLocks(cfg.stateRoot()).tryAcquire(APP, "nightly").orElseThrow()) {
      long t0 = System.nanoTime();
      Distribution.Run run = Distribution.module("warm.nightly", Map.of(), "reconcile", APP, "--json", "--config",
          config.toString());
      assertEquals(5, run.exit(), run.toString());
      JsonNode r = JSON.readTree(run.out());
      assertEquals("skipped", r.path("outcome").asText());
      assertTrue(r.path("reason").asText().contains("nightly"), r.toString());
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "did not wait for the lock");
    }
  }

  @Test
  @Order(7)
  void testSigkillDuringTheHealthWait_recoverRestoresLastGoodWithItsData() throws Exception {
    // The operator acknowledged 2.0.0 (did its migration): the upgrade goes ahead, and is killed mid-way.
    Path acked = root.resolve("acked.json");
    writeConfig(acked, cfg.ciDomain(), List.of("2.0.0+2.0"));
    Path marker = root.resolve("pause-marker");
    List<String> argv = new ArrayList<>(List.of(Distribution.java(), "-Dwarm.reconcile.pauseAt=health-wait",
        "-Dwarm.reconcile.pauseMarker=" + marker, "-p", Distribution.lib().toString(), "-m", "warm.nightly",
        "reconcile", APP, "--config", acked.toString()));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(root.resolve("kill.log").toFile())
        .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.exists(marker), "paused at health-wait: " + Files.readString(root.resolve("kill.log")));
      assertEquals("2.0.0+2.0", platform.deployed(ref).orElseThrow().version(), "the target runs when killed");
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook runs
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(Files.readString(volume().resolve("boots.log")).contains("boot 2.0.0+2.0"), "the target booted");
    Distribution.Run rec = Distribution.module("warm.nightly", Map.of(), "recover", "--config", acked.toString());
    assertEquals(0, rec.exit(), rec.toString());
    assertEquals("1.1.0+1.1", platform.deployed(ref).orElseThrow().version());
    assertTrue(platform.unhealthy(ref).isEmpty(), "healthy at last-good");
    assertEquals("1.1.0+1.1", lastGood());
    assertFalse(Files.readString(volume().resolve("boots.log")).contains("boot 2.0.0+2.0"),
        "the pre-upgrade data is back");
    assertEquals("realm=acme\n", Files.readString(volume().resolve("user-data.txt")));
    assertFalse(new StateStore(cfg.stateRoot()).read(APP, StateFile.JOURNAL).isPresent());
  }

  @Test
  @Order(8)
  void testStatelessApp_brokenLatestRollsBackWithoutASnapshot() throws Exception {
    new StateStore(cfg.stateRoot()).write(PROXY, StateFile.LAST_GOOD, LastGood.now("1.0.0+1.0"));
    JsonNode r = reconcile(PROXY, 1);
    assertEquals("rolled-back", r.path("outcome").asText(), r.toString());
    assertEquals("1.0.0+1.0", platform.deployed(proxyRef).orElseThrow().version());
    assertTrue(r.path("snapshotId").isNull(), r.toString());
    assertFalse(Files.exists(cfg.stateRoot().resolve(PROXY).resolve("snapshots")), "no snapshot directory");
  }

  @Test
  @Order(9)
  void testSigtermDuringTheHealthWait_rollsBackToLastGoodBeforeExiting() throws Exception {
    // `systemctl stop` of a reconcile unit (KillMode=mixed): SIGTERM to the JVM alone, with the target deployed and
    // its health being waited for. The tool itself must put last-good back, with its data, before it exits, and
    // within the unit's TimeoutStopSec (the bound the NixOS module computes from these timeouts).
    Path acked = root.resolve("acked-term.json");
    writeConfig(acked, cfg.ciDomain(), List.of("2.0.0+2.0"));
    Timeouts t = ConfigLoader.loadFile(acked).timeouts();
    long stopBound = Math.max(t.undeploy().plus(t.deploy()).plus(t.health()).plus(t.command()).toSeconds(), 900) + 60;
    Path marker = root.resolve("term-marker");
    List<String> argv = new ArrayList<>(List.of(Distribution.java(), "-Dwarm.reconcile.pauseAt=health-wait",
        "-Dwarm.reconcile.pauseMarker=" + marker, "-p", Distribution.lib().toString(), "-m", "warm.nightly",
        "reconcile", APP, "--json", "--config", acked.toString()));
    Path out = root.resolve("term.json");
    Path err = root.resolve("term.err");
    Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    long stopped;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.exists(marker), "paused at health-wait: " + Files.readString(err));
      assertEquals("2.0.0+2.0", platform.deployed(ref).orElseThrow().version(), "the target runs when stopped");
      long t0 = System.nanoTime();
      p.destroy(); // SIGTERM to the JVM only, as KillMode=mixed sends it
      assertTrue(p.waitFor(stopBound, TimeUnit.SECONDS), "ended within TimeoutStopSec " + stopBound + " s");
      stopped = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    assertEquals(143, p.exitValue(), Files.readString(err));
    JsonNode r = JSON.readTree(out.toFile());
    assertEquals("rolled-back", r.path("outcome").asText(), r.toString());
    assertTrue(r.path("reason").asText().contains("cancelled (SIGTERM) at phase health-wait"), r.toString());
    // No `warm recover` needed: last-good runs, healthy, with its pre-upgrade data; no journal left.
    assertEquals("1.1.0+1.1", platform.deployed(ref).orElseThrow().version());
    assertTrue(platform.unhealthy(ref).isEmpty(), "healthy at last-good");
    assertEquals("1.1.0+1.1", lastGood());
    assertFalse(Files.readString(volume().resolve("boots.log")).contains("boot 2.0.0+2.0"),
        "the pre-upgrade data is back");
    assertEquals("realm=acme\n", Files.readString(volume().resolve("user-data.txt")));
    assertFalse(new StateStore(cfg.stateRoot()).read(APP, StateFile.JOURNAL).isPresent());
    // Measured for docs/nixos.md, in the test log.
    System.out.println("reconcile SIGTERM at health-wait: rolled back and exited in " + stopped + " s (bound "
        + stopBound + " s)");
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static JsonNode reconcile(String app, int exit) throws Exception {
    Distribution.Run run = Distribution.module(Duration.ofMinutes(4), "warm.nightly", Map.of(), "reconcile", app,
        "--json", "--config", config.toString());
    assertEquals(exit, run.exit(), run.toString());
    JsonNode r = JSON.readTree(run.out());
    // Measured numbers for docs/reconcile.md, in the test log.
    System.out.println("reconcile " + app + " " + r.path("outcome").asText() + " timings " + r.path("timings"));
    return r;
  }

  private static void assertRolledBack(JsonNode r, String target) throws Exception {
    assertEquals("rolled-back", r.path("outcome").asText(), r.toString());
    assertEquals(target, r.path("to").asText());
    assertEquals("1.1.0+1.1", r.path("running").asText());
    assertEquals("1.1.0+1.1", platform.deployed(ref).orElseThrow().version());
    assertTrue(platform.unhealthy(ref).isEmpty(), "healthy again");
    assertEquals("1.1.0+1.1", lastGood());
    assertEquals("realm=acme\n", Files.readString(volume().resolve("user-data.txt")));
    assertNotNull(r.path("alertId").textValue());
    OutboxEntry last = alerts().stream().filter(a -> a.alert().id().equals(r.path("alertId").asText())).findFirst()
        .orElseThrow();
    assertEquals("upgrade-rolled-back", last.alert().kind());
    assertEquals(target, last.alert().attemptedVersion());
    assertEquals(Boolean.TRUE, last.alert().recovered());
    assertNotEquals(r.path("snapshotId").asText(), "", "stateful: a pre-upgrade snapshot was taken");
  }

  private static String lastGood() {
    return new StateStore(cfg.stateRoot()).read(APP, StateFile.LAST_GOOD).map(LastGood::version).orElse(null);
  }

  private static List<OutboxEntry> alerts() {
    return new AlertOutbox(cfg.stateRoot()).pending();
  }

  private static Path volume() {
    return platform.volumes(ref).get(0).mountpoint();
  }

  private static List<String> tasks() {
    return RUNNER.run(Command.of("docker", "service", "ps", "-q", ref.stack() + "_app")).requireSuccess().stdout()
        .lines().sorted().toList();
  }

  /** Commits {@code to}: the compose of tag {@code base} with its version replaced and {@code change} applied. */
  private static void publish(Path dir, String base, String to, java.util.function.UnaryOperator<String> change)
      throws Exception {
    String compose = git(dir, "show", base + ":compose.yml").replace(base, to);
    Files.writeString(dir.resolve("compose.yml"), change.apply(compose));
    SampleRecipe.git(RUNNER, dir, "add", "-A");
    SampleRecipe.git(RUNNER, dir, "commit", "-q", "-m", "chore: publish " + to + " release");
    SampleRecipe.git(RUNNER, dir, "tag", to);
  }

  private static String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    return RUNNER.run(Command.of(argv).withTimeout(Duration.ofSeconds(30))).requireSuccess().stdout();
  }
}
