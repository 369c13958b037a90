package warm.nightly.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import warm.core.alert.AlertOutbox;
import warm.core.alert.OutboxEntry;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.state.LastGood;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.testing.Needs;
import warm.core.testing.RealPart;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.KeycloakAdmin;
import warm.nightly.testing.KeycloakRecipe;
import warm.nightly.testing.KeycloakRecipe.Broken;
import warm.nightly.testing.KeycloakSwarmTurn;
import warm.nightly.testing.QuickBed;

/**
 * {@code warm reconcile} of the built distribution on a real Keycloak deployed in the Swarm (issue 11): one
 * Keycloak app walks through the cases in order, because every boot costs 20–40 s on an idle 2-core machine. It
 * starts at 26.4.7 with a realm and a user; each broken 26.5.6 release (missing image, invalid compose, exits after
 * migrating until Swarm gives up, health URL 503) rolls back to 26.4.7 with the pre-upgrade data (a realm the failed version created is gone) and
 * exactly one alert; the healthy minor upgrade to 26.5.6 keeps the data and commits last-good; {@code warm sso}
 * works against it; a MAJOR bump and a manual-step note found only in the git tag are held without touching the
 * service, alerted once; a SIGKILL at each step boundary is finished by {@code warm recover}: healthy at last-good with
 * its data.
 */
@Needs({RealPart.SWARM, RealPart.ROOT, RealPart.GIT})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileKeycloakIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  /**
   * Bounds a healthy Keycloak boot (20–40 s on the quiet CI machine; over 180 s at load 17, so never run this beside
   * other heavy work). No case waits it out: the gave-up form ends when Swarm gives up, the 503 form after
   * {@link #HEALTH_URL_SECONDS}.
   */
  private static final int HEALTH_SECONDS = 150;
  /**
   * The health URL's own bound: Keycloak's readiness answers within a second of Swarm calling it healthy; the 503
   * form waits all of it (production's default is 60 s).
   */
  private static final int HEALTH_URL_SECONDS = 15;
  private static final Duration RECONCILE_BOUND = Duration.ofMinutes(20);

  private static String hex;
  private static String app;
  private static Path root;
  private static KeycloakRecipe recipe;
  private static Path config;
  private static WarmConfig cfg;
  private static Platform platform;
  private static AppRef ref;
  private static KeycloakAdmin admin;
  private static String realm;
  private static String userPassword;
  private static KeycloakSwarmTurn turn;

  @BeforeAll
  static void bed() throws Exception {
    KeycloakRecipe.requireImages(RUNNER);
    turn = KeycloakSwarmTurn.take("ReconcileKeycloakIT");
    hex = Naming.randomHex();
    root = Files.createTempDirectory("warm-reconcile-kc-it-");
    // Published one at a time: at first only 1.0.0+26.4.7.
    recipe = KeycloakRecipe.materialize(root.resolve("recipes"), hex, RUNNER, false);
    app = recipe.name();
    String ci = "rckc-" + hex + ".localhost";
    config = root.resolve("config.json");
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "%s",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "infra": [{"name": "%s", "recipe": "%s", "domain": "%s.%s", "stateful": true, "healthUrl": "%s"}],
         "timeouts": {"healthSeconds": %d, "healthUrlSeconds": %d, "lockWaitSeconds": 60}}
        """.formatted(root.resolve("state"), ci, root.resolve("recipes"), root.resolve("apps"), app, app, app, ci,
        recipe.healthUrl(), HEALTH_SECONDS, HEALTH_URL_SECONDS));
    cfg = ConfigLoader.loadFile(config);
    platform = Platforms.create(cfg, RUNNER);
    ref = new AppRef(app, app + "." + ci);
    realm = "acme-" + hex;
    userPassword = "alice-pw-" + hex;
  }

  @AfterAll
  static void cleanup() {
    if (platform != null && ref != null) {
      try {
        platform.removeApp(ref);
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e.getMessage());
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
    if (turn != null) {
      turn.close();
    }
  }

  // ------------------------------------------------------------------------------------------ 26.4.7 and its data

  @Test
  @Order(1)
  void testNotDeployed_deploys1_0_0_andUsersWriteData() throws Exception {
    JsonNode r = reconcile(0).json();
    assertEquals("deployed", r.path("outcome").asText(), r.toString());
    assertEquals(KeycloakRecipe.OLD, platform.deployed(ref).orElseThrow().version());
    assertEquals(KeycloakRecipe.OLD, lastGood());
    admin = new KeycloakAdmin(recipe.baseUrl(), KeycloakAdmin.passwordOf(ref.stack(), RUNNER));
    admin.createRealm(realm);
    admin.createUser(realm, "alice", userPassword);
    assertHealthyWithData(KeycloakRecipe.OLD, "26.4.7");
  }

  // ----------------------------------------------------- broken 26.5.6 releases: rolled back to 26.4.7 with its data

  /**
   * The never-healthy form as Swarm sees it end: the release migrates the data, creates its realm and exits 3, and
   * with {@code max_attempts: 1} Swarm gives up — the rollback starts then, not at the 150 s bound. (A never-healthy
   * slow start, which only the bound can end, is ReconcileIT's busybox case: the same code, a 25 s bound.)
   */
  @Test
  @Order(2)
  void testSwarmGaveUp_rollsBackAtOnceWithThePreUpgradeData() throws Exception {
    JsonNode r = rollsBack("1.0.1+26.5.6", Broken.GAVE_UP, "Swarm gave up");
    assertTrue(r.path("reason").asText().contains("max_attempts 1") && r.path("reason").asText()
        .contains("non-zero exit (3)"), "it ran on the data, then Swarm gave up: " + r.path("reason"));
  }

  /** The health URL answers 503 while Swarm calls the container healthy: rolled back after healthUrlSeconds. */
  @Test
  @Order(3)
  void testHealthUrl5xx_rollsBackWithThePreUpgradeData() throws Exception {
    JsonNode r = rollsBack("1.0.2+26.5.6", Broken.HEALTH_URL_5XX, "did not answer 2xx within " + HEALTH_URL_SECONDS
        + " s");
    assertTrue(r.path("reason").asText().contains("HTTP 503"), r.path("reason").asText());
  }

  @Test
  @Order(4)
  void testMissingImage_rollsBack() throws Exception {
    rollsBack("1.0.3+26.5.6", Broken.BAD_IMAGE, "does not exist");
  }

  @Test
  @Order(5)
  void testInvalidCompose_rollsBack() throws Exception {
    rollsBack("1.0.4+26.5.6", Broken.INVALID_COMPOSE, "imagee");
  }

  /** {@code why}: what the reason must say, so that each form fails the gate it is meant to fail. */
  private JsonNode rollsBack(String version, Broken form, String why) throws Exception {
    recipe.publishBroken(version, form);
    int alertsBefore = alerts().size();
    Run run = reconcile(1);
    JsonNode r = run.json();
    assertEquals("rolled-back", r.path("outcome").asText(), r.toString());
    assertEquals(KeycloakRecipe.OLD, r.path("from").asText());
    assertEquals(version, r.path("to").asText());
    assertEquals(KeycloakRecipe.OLD, r.path("running").asText());
    assertTrue(r.path("reason").asText().contains(why), form + " fails as meant: " + r.path("reason"));
    assertFalse(r.path("snapshotId").asText("").isEmpty(), "stateful: a pre-upgrade snapshot: " + r);
    assertEquals(1, run.exitCodeInJson(), r.toString());
    List<OutboxEntry> after = alerts();
    assertEquals(alertsBefore + 1, after.size(), "exactly one alert");
    OutboxEntry alert = after.stream().filter(a -> a.alert().id().equals(r.path("alertId").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("the alert the result names is in the outbox: " + r));
    assertEquals("upgrade-rolled-back", alert.alert().kind());
    assertEquals(version, alert.alert().attemptedVersion());
    assertEquals(KeycloakRecipe.OLD, alert.alert().lastGoodVersion());
    assertEquals(Boolean.TRUE, alert.alert().recovered());
    assertTrue(run.err().lines().anyMatch(l -> l.startsWith("<3>")), "a journald error line: " + run.err());
    assertEquals(KeycloakRecipe.OLD, lastGood());
    assertHealthyWithData(KeycloakRecipe.OLD, "26.4.7");
    assertFalse(admin.realms().contains(KeycloakRecipe.failedRealm(version)),
        "the realm the failed version created is gone with the data restore");
    return r;
  }

  // ------------------------------------------------------------------------------------ the healthy minor upgrade

  @Test
  @Order(6)
  void testHealthyMinorUpgrade_commitsLastGoodAndKeepsRealmAndUser() throws Exception {
    recipe.publishNew();
    int alertsBefore = alerts().size();
    JsonNode r = reconcile(0).json();
    assertEquals("applied", r.path("outcome").asText(), r.toString());
    assertEquals(KeycloakRecipe.OLD, r.path("from").asText());
    assertEquals(KeycloakRecipe.NEW, r.path("to").asText());
    assertEquals(KeycloakRecipe.NEW, r.path("lastGood").asText(), r.toString());
    assertEquals(KeycloakRecipe.NEW, lastGood());
    assertHealthyWithData(KeycloakRecipe.NEW, "26.5.6");
    assertEquals(alertsBefore, alerts().size(), "no alert for a healthy upgrade");
    JsonNode again = reconcile(0).json();
    assertEquals("no-op", again.path("outcome").asText(), again.toString());
  }

  @Test
  @Order(7)
  void testSsoCreateDelete_againstTheSwarmKeycloak() throws Exception {
    Path ssoConfig = root.resolve("sso.json");
    Files.writeString(ssoConfig, JSON.writeValueAsString(Map.of("ciDomain", "ci.example",
        "keycloak", Map.of("url", recipe.baseUrl(), "secretCommand", KeycloakAdmin.passwordCommand(ref.stack())))));
    String run = "kc" + hex;
    Distribution.Run c = Distribution.module("warm.nightly", Map.of(), "sso", "create", "--recipe", "gitea",
        "--domain", "gitea-" + hex + ".ci.example", "--run-id", run, "--test-user", "--json", "--config",
        ssoConfig.toString());
    assertEquals(0, c.exit(), c.toString());
    JsonNode j = JSON.readTree(c.out());
    String runRealm = j.path("realm").asText();
    assertEquals("ccw-gitea-" + run, runRealm);
    assertTrue(admin.realms().contains(runRealm), "the run's realm exists in the Swarm Keycloak");
    String password = KeycloakAdmin.passwordOf(ref.stack(), RUNNER);
    assertFalse(c.out().contains(password) || c.err().contains(password), "admin password never printed");
    Distribution.Run d = Distribution.module("warm.nightly", Map.of(), "sso", "delete", "--recipe", "gitea",
        "--run-id", run, "--json", "--config", ssoConfig.toString());
    assertEquals(0, d.exit(), d.toString());
    assertEquals("deleted", JSON.readTree(d.out()).path("outcome").asText(), d.out());
    assertFalse(admin.realms().contains(runRealm), "deleted");
    assertTrue(admin.realms().contains(realm), "the app's own realm untouched");
  }

  // ------------------------------------------------------------------------------------------------------ holds

  @Test
  @Order(8)
  void testManualStepNoteOnlyInTheTag_isHeldOnceWithTheServiceUntouched() throws Exception {
    String v = "1.2.0+26.5.6";
    recipe.publishTagOnlyNote(v, "ACTION REQUIRED: export the realms by hand before upgrading (kc.sh export).\n");
    OutboxEntry alert = heldOnce(v).alert();
    assertTrue(alert.alert().notesExcerpt() != null
        && alert.alert().notesExcerpt().contains("export the realms by hand"), "the alert quotes the note from the "
        + "tag: " + alert.alert().notesExcerpt());
    recipe.withdraw(v);
  }

  @Test
  @Order(9)
  void testMajorBump_isHeldOnceWithTheServiceUntouched() throws Exception {
    String v = "2.0.0+26.5.6";
    recipe.publishHealthy(v, "Keycloak 26.5.6 with a new layout of the recipe.\n");
    Held held = heldOnce(v);
    assertTrue(held.result().path("gate").toString().toLowerCase(java.util.Locale.ROOT).contains("major"),
        "held for the major bump: " + held.result().path("gate"));
    recipe.withdraw(v);
  }

  record Held(JsonNode result, OutboxEntry alert) {}

  /** Reconciles twice against a held {@code target}: one alert, the service untouched. */
  private Held heldOnce(String target) throws Exception {
    List<String> tasks = tasks();
    String label = versionLabel();
    int alertsBefore = alerts().size();
    JsonNode r = reconcile(3).json();
    assertEquals("held", r.path("outcome").asText(), r.toString());
    assertEquals(target, r.path("to").asText());
    assertEquals("HOLD", r.path("gate").path("decision").asText(), r.toString());
    List<OutboxEntry> after = alerts();
    assertEquals(alertsBefore + 1, after.size(), "one alert");
    OutboxEntry alert = after.get(after.size() - 1);
    assertEquals("upgrade-held", alert.alert().kind());
    assertEquals(target, alert.alert().attemptedVersion());
    JsonNode again = reconcile(3).json();
    assertEquals("held", again.path("outcome").asText(), again.toString());
    assertEquals(alertsBefore + 1, alerts().size(), "a second reconcile raises no second alert");
    assertEquals(tasks, tasks(), "task ids unchanged");
    assertEquals(label, versionLabel(), "service version label unchanged");
    assertEquals(KeycloakRecipe.NEW, label);
    assertHealthyWithData(KeycloakRecipe.NEW, "26.5.6");
    return new Held(r, alert);
  }

  // ------------------------------------------------------------------------- SIGKILL at each step, then recover

  @Test
  @Order(10)
  void testKilledAfterRecordingLastGood_recoverLeavesItAtLastGood() throws Exception {
    killedAt("last-good-recorded", "1.3.0+26.5.6", Broken.HEALTH_URL_5XX, false);
  }

  @Test
  @Order(11)
  void testKilledAfterUndeploy_recoverLeavesItAtLastGood() throws Exception {
    killedAt("undeployed", "1.3.1+26.5.6", Broken.HEALTH_URL_5XX, false);
  }

  @Test
  @Order(12)
  void testKilledAfterSnapshot_recoverLeavesItAtLastGood() throws Exception {
    killedAt("snapshotted", "1.3.2+26.5.6", Broken.HEALTH_URL_5XX, false);
  }

  @Test
  @Order(13)
  void testKilledAfterDeployingLatest_recoverRestoresTheData() throws Exception {
    killedAt("latest-deployed", "1.3.3+26.5.6", Broken.HEALTH_URL_5XX, true);
  }

  @Test
  @Order(14)
  void testKilledInTheHealthWait_recoverRestoresTheData() throws Exception {
    killedAt("health-wait", "1.3.4+26.5.6", Broken.HEALTH_URL_5XX, true);
  }

  @Test
  @Order(15)
  void testKilledWhileRollingBack_recoverFinishesTheRollback() throws Exception {
    killedAt("rolling-back", "1.3.5+26.5.6", Broken.BAD_IMAGE, false);
  }

  /**
   * Publishes {@code target}, starts a reconcile paused at {@code step} (the process writes the step to the marker
   * and sleeps), SIGKILLs it there, runs {@code warm recover}: Keycloak is healthy at last-good with its data. When
   * {@code targetRan}, the target's Keycloak created its realm on the volume before the kill, and the restore removes
   * it.
   */
  private void killedAt(String step, String target, Broken form, boolean targetRan) throws Exception {
    recipe.publishBroken(target, form);
    Path marker = root.resolve("pause-" + step);
    Path log = root.resolve("killed-" + step + ".log");
    List<String> argv = new ArrayList<>(List.of(Distribution.java(), "-Dwarm.reconcile.pauseAt=" + step,
        "-Dwarm.reconcile.pauseMarker=" + marker, "-p", Distribution.lib().toString(), "-m", "warm.nightly",
        "reconcile", app, "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("WARM_CONFIG");
    Process p = pb.start();
    try {
      QuickBed.waitFor(() -> Files.exists(marker) || !p.isAlive(), Duration.ofSeconds(HEALTH_SECONDS + 300),
          "the reconcile to pause at " + step);
      assertTrue(Files.exists(marker), "paused at " + step + ": " + Files.readString(log));
      assertEquals(step, Files.readString(marker).strip());
      if (targetRan) {
        assertEquals(target, platform.deployed(ref).orElseThrow().version(), "the target runs when killed");
        String made = KeycloakRecipe.failedRealm(target);
        QuickBed.waitFor(() -> realms().contains(made), Duration.ofSeconds(120), "the target's realm " + made);
      }
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(new StateStore(cfg.stateRoot()).read(app, StateFile.JOURNAL).isPresent(), "the kill left a journal");
    Distribution.Run rec = Distribution.module(RECONCILE_BOUND, "warm.nightly", Map.of(), "recover", "--config",
        config.toString());
    assertEquals(0, rec.exit(), rec.toString());
    System.out.println("recover after a kill at " + step + ": " + rec.out().strip());
    assertFalse(new StateStore(cfg.stateRoot()).read(app, StateFile.JOURNAL).isPresent(), "journal finished");
    assertEquals(KeycloakRecipe.NEW, lastGood());
    assertHealthyWithData(KeycloakRecipe.NEW, "26.5.6");
    assertFalse(realms().contains(KeycloakRecipe.failedRealm(target)), "no trace of the target's data");
    recipe.withdraw(target);
  }

  // ------------------------------------------------------------------------------------------------- helpers

  /** Exit status, stdout JSON and stderr of one {@code warm reconcile APP --json} (journald-style log lines). */
  record Run(int exit, JsonNode json, String err) {
    int exitCodeInJson() {
      return json.path("exitCode").asInt(-1);
    }
  }

  private static Run reconcile(int exit) throws Exception {
    long t0 = System.nanoTime();
    // JOURNAL_STREAM makes the logs carry syslog priorities, as under systemd.
    Distribution.Run run = Distribution.module(RECONCILE_BOUND, "warm.nightly", Map.of("JOURNAL_STREAM", "8:1"),
        "reconcile", app, "--json", "--config", config.toString());
    assertEquals(exit, run.exit(), run.toString());
    JsonNode r = JSON.readTree(run.out());
    // Measured numbers, in the test log.
    System.out.println("reconcile " + app + " " + r.path("outcome").asText() + " in "
        + (System.nanoTime() - t0) / 1_000_000_000 + " s, timings " + r.path("timings"));
    return new Run(run.exit(), r, run.err());
  }

  /** Running {@code version} on Keycloak {@code upstream}, healthy, with the realm and user made at 26.4.7. */
  private static void assertHealthyWithData(String version, String upstream) throws Exception {
    assertEquals(version, versionLabel());
    assertTrue(platform.unhealthy(ref).isEmpty(), "healthy: " + platform.unhealthy(ref));
    assertEquals("warm-test/keycloak:" + upstream, image());
    assertEquals(200, KeycloakAdmin.status(recipe.healthUrl()), "healthUrl answers 200");
    assertTrue(admin.realms().contains(realm), "realm " + realm + " is there");
    assertEquals(List.of("alice"), admin.users(realm));
    assertEquals(200, admin.userLogin(realm, "alice", userPassword), "alice can still log in");
  }

  private static List<String> realms() {
    try {
      return admin.realms();
    } catch (Exception | AssertionError e) {
      return List.of();
    }
  }

  private static String lastGood() {
    return new StateStore(cfg.stateRoot()).read(app, StateFile.LAST_GOOD).map(LastGood::version).orElse(null);
  }

  private static List<OutboxEntry> alerts() {
    return new AlertOutbox(cfg.stateRoot()).pending();
  }

  private static String versionLabel() {
    return platform.deployed(ref).orElseThrow().version();
  }

  private static String image() {
    return RUNNER.run(Command.of("docker", "service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
        ref.stack() + "_app")).requireSuccess().stdout().strip();
  }

  private static List<String> tasks() {
    return RUNNER.run(Command.of("docker", "service", "ps", "-q", ref.stack() + "_app")).requireSuccess().stdout()
        .lines().sorted().toList();
  }
}
