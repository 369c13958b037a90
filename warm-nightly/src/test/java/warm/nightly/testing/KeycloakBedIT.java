package warm.nightly.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import warm.core.WarmException;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.testing.Needs;
import warm.core.testing.RealPart;

/**
 * The reconciler's test bed on its own, without the reconciler: the Swarm-deployed Keycloak of {@link KeycloakRecipe}
 * boots at 26.4.7 through the swarm {@link Platform}, keeps a realm and a user on its volume across an undeploy, and
 * the 26.5.6 release on the same volume (a real schema migration) still has them.
 */
@Needs({RealPart.SWARM, RealPart.ROOT, RealPart.GIT})
class KeycloakBedIT {
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The never-healthy deploy's bound: shorter than a boot on purpose (the container, not the bound, proves "never"). */
  private static final int NEVER_HEALTHY_BOUND_SECONDS = 10;
  private static KeycloakSwarmTurn turn;

  @BeforeAll
  static void takeTurn() {
    turn = KeycloakSwarmTurn.take("KeycloakBedIT");
  }

  @AfterAll
  static void giveTurnBack() {
    if (turn != null) {
      turn.close();
    }
  }

  private Path root;
  private Platform platform;
  private AppRef app;

  @AfterEach
  void cleanup() {
    if (platform != null && app != null) {
      try {
        platform.removeApp(app);
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e.getMessage());
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
  }

  private String hex;

  /** A fresh recipe and the swarm platform over it, with the given health bound. */
  private KeycloakRecipe recipe(int healthSeconds) throws Exception {
    KeycloakRecipe.requireImages(RUNNER);
    hex = Naming.randomHex();
    root = Files.createTempDirectory("warm-kcbed-it-");
    KeycloakRecipe recipe = KeycloakRecipe.materialize(root.resolve("recipes"), hex, RUNNER);
    platform = platform(healthSeconds);
    app = recipe.app("kc-" + hex + ".kcbed.localhost");
    return recipe;
  }

  private Platform platform(int healthSeconds) throws Exception {
    Path config = Files.writeString(root.resolve("config-" + healthSeconds + ".json"), """
        {"stateRoot": "%s", "ciDomain": "kcbed-%s.localhost",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "timeouts": {"healthSeconds": %d}}
        """.formatted(root.resolve("state"), hex, root.resolve("recipes"), root.resolve("apps"), healthSeconds));
    WarmConfig cfg = ConfigLoader.loadFile(config);
    return Platforms.create(cfg, RUNNER);
  }

  @Test
  void testMinorUpgradeOnSameVolume_keepsRealmAndUser() throws Exception {
    KeycloakRecipe recipe = recipe(600);
    assertEquals(List.of(KeycloakRecipe.OLD, KeycloakRecipe.NEW), platform.publishedVersions(recipe.name()));

    platform.createApp(app);
    platform.generateMissingSecrets(app);
    long t0 = System.nanoTime();
    platform.deploy(app, KeycloakRecipe.OLD);
    System.err.printf("first boot of %s to healthy: %d s%n", KeycloakRecipe.OLD, (System.nanoTime() - t0) / 1_000_000_000);
    assertEquals(KeycloakRecipe.OLD, platform.deployed(app).orElseThrow().version());
    KeycloakAdmin admin = new KeycloakAdmin(recipe.baseUrl(), KeycloakAdmin.passwordOf(app.stack(), RUNNER));
    assertEquals(200, KeycloakAdmin.status(recipe.healthUrl()), "healthUrl answers on the published management port");
    String realm = "bed-" + hex;
    admin.createRealm(realm);
    admin.createUser(realm, "alice", "alice-pw-" + hex);
    assertTrue(admin.realms().contains(realm));

    platform.undeploy(app);
    assertFalse(platform.anythingRunning(app), "undeploy waited until no task remains");
    t0 = System.nanoTime();
    platform.deploy(app, KeycloakRecipe.NEW);
    System.err.printf("upgrade boot of %s (migration) to healthy: %d s%n", KeycloakRecipe.NEW,
        (System.nanoTime() - t0) / 1_000_000_000);
    assertEquals(KeycloakRecipe.NEW, platform.deployed(app).orElseThrow().version());
    assertTrue(RUNNER.run(Command.of("docker", "service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
        app.stack() + "_app")).requireSuccess().stdout().strip().equals("warm-test/keycloak:26.5.6"),
        "the new version runs Keycloak 26.5.6");

    assertTrue(admin.realms().contains(realm), "realm survives the upgrade");
    assertEquals(List.of("alice"), admin.users(realm));
    assertEquals(200, admin.userLogin(realm, "alice", "alice-pw-" + hex), "alice's password survives");
    assertEquals(401, admin.userLogin(realm, "alice", "wrong"), "and a wrong one is refused");
  }

  /**
   * Each broken form fails the way the reconciler's tests rely on: the missing image and the invalid compose fail the
   * deploy; the never-healthy one runs Keycloak 26.5.6 (which creates its realm on the volume) but never passes the
   * health wait; the 5xx one is healthy to Swarm while the health URL answers 503. Without this, a rollback test
   * could pass on a "broken" release that was never broken.
   *
   * <p>The never-healthy form is told from a slow boot by the container itself, not by a long bound: its realm is
   * created only after Keycloak's own readiness answered inside the container, and a healthcheck probe that starts
   * after the realm exists still fails. So a short health bound proves "never", at any machine load.
   */
  @Test
  void testBrokenForms_failAsDescribed() throws Exception {
    KeycloakRecipe recipe = recipe(600);
    recipe.publishBroken("1.0.1+26.5.6", KeycloakRecipe.Broken.BAD_IMAGE);
    recipe.publishBroken("1.0.2+26.5.6", KeycloakRecipe.Broken.INVALID_COMPOSE);
    recipe.publishBroken("1.0.3+26.5.6", KeycloakRecipe.Broken.HEALTH_URL_5XX);
    recipe.publishBroken("1.0.4+26.5.6", KeycloakRecipe.Broken.NEVER_HEALTHY);
    platform.createApp(app);
    platform.generateMissingSecrets(app);

    WarmException bad = assertThrows(WarmException.class, () -> platform.deploy(app, "1.0.1+26.5.6"));
    assertTrue(bad.getMessage().contains("does not exist"), bad.getMessage());
    platform.undeploy(app);
    WarmException invalid = assertThrows(WarmException.class, () -> platform.deploy(app, "1.0.2+26.5.6"));
    assertTrue(invalid.getMessage().contains("imagee"), "docker names the bad key: " + invalid.getMessage());
    platform.undeploy(app);

    platform.deploy(app, "1.0.3+26.5.6");
    // The 5xx release is healthy to Swarm, so its running container gives the admin password.
    KeycloakAdmin admin = new KeycloakAdmin(recipe.baseUrl(), KeycloakAdmin.passwordOf(app.stack(), RUNNER));
    assertEquals(503, KeycloakAdmin.status(recipe.healthUrl()), "healthUrl answers 5xx while Swarm says healthy");
    String made = KeycloakRecipe.failedRealm("1.0.3+26.5.6");
    QuickBed.waitFor(() -> realms(admin).contains(made), Duration.ofSeconds(120), "realm " + made);
    platform.undeploy(app);

    Platform impatient = platform(NEVER_HEALTHY_BOUND_SECONDS);
    WarmException never = assertThrows(WarmException.class, () -> impatient.deploy(app, "1.0.4+26.5.6"));
    assertTrue(never.getMessage().contains("did not become healthy"), never.getMessage());
    String made4 = KeycloakRecipe.failedRealm("1.0.4+26.5.6");
    QuickBed.waitFor(() -> realms(admin).contains(made4), Duration.ofSeconds(300), "realm " + made4);
    Instant ready = Instant.now();
    String container = RUNNER.run(Command.of("docker", "ps", "-q", "--filter",
        "label=com.docker.swarm.service.name=" + app.stack() + "_app")).requireSuccess().stdout().strip();
    assertFalse(container.isEmpty() || container.contains("\n"), "one running task: " + container);
    QuickBed.waitFor(() -> failedProbeSince(container, ready), Duration.ofSeconds(60),
        "a healthcheck probe of the ready Keycloak");
    assertFalse(health(container).path("Status").asText().equals("healthy"), "never healthy: " + health(container));
    assertTrue(realms(admin).contains(made), "same volume throughout");
  }

  /** Whether a healthcheck probe of {@code container} that started after {@code since} failed. */
  private static boolean failedProbeSince(String container, Instant since) {
    for (JsonNode probe : health(container).path("Log")) {
      if (OffsetDateTime.parse(probe.path("Start").asText()).toInstant().isAfter(since)
          && probe.path("ExitCode").asInt(0) != 0) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode health(String container) {
    String json = RUNNER.run(Command.of("docker", "inspect", "-f", "{{json .State.Health}}", container))
        .requireSuccess().stdout();
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> realms(KeycloakAdmin admin) {
    try {
      return admin.realms();
    } catch (Exception | AssertionError e) {
      return List.of();
    }
  }
}
