package warm.nightly.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.alert.Alert;
import warm.core.alert.AlertOutbox;
import warm.core.config.InfraApp;
import warm.core.config.RecipeConfig;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.platform.DeployedVersion;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.state.CanonicalRecord;
import warm.core.state.InfraHold;
import warm.core.state.Journal;
import warm.core.state.LastGood;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;

/**
 * The collector reads the state files the other composers write (real files through {@code StateStore}; the
 * platform is a fake that answers only what status asks) and never writes: the state root is byte-identical after.
 * The end-to-end proof on real Docker is {@code StatusIT}.
 */
class StatusCollectorTest {
  private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

  @TempDir
  Path tmp;

  /** Answers deployed() and volumes(); anything else is a call status must not make. */
  private record FakePlatform(Map<String, DeployedVersion> deployed) implements Platform {
    public String name() { return "fake"; }
    public Optional<DeployedVersion> deployed(AppRef app) { return Optional.ofNullable(deployed.get(app.stack())); }
    public List<VolumeInfo> volumes(AppRef app) { return List.of(); }
    public Path fetchRecipe(String recipe) { throw new AssertionError("status fetched a recipe"); }
    public List<String> publishedVersions(String recipe) { throw new AssertionError(); }
    public Optional<String> releaseNote(String recipe, String version) { throw new AssertionError(); }
    public void createApp(AppRef app) { throw new AssertionError("status created an app"); }
    public void generateMissingSecrets(AppRef app) { throw new AssertionError(); }
    public void deploy(AppRef app, String version) { throw new AssertionError("status deployed"); }
    public void deployChaos(AppRef app, Path checkout) { throw new AssertionError(); }
    public void undeploy(AppRef app) { throw new AssertionError("status undeployed"); }
    public Optional<String> unhealthy(AppRef app) { throw new AssertionError("status probed health"); }
    public boolean anythingRunning(AppRef app) { throw new AssertionError(); }
    public List<String> volumeHolders(String volume) { throw new AssertionError(); }
    public void recreateVolume(AppRef app, String volume) { throw new AssertionError(); }
    public void removeApp(AppRef app) { throw new AssertionError("status removed an app"); }
  }

  private static String tree(Path root) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted().toList()) {
        b.append(root.relativize(p)).append(Files.isRegularFile(p) ? ":" + Files.readString(p).hashCode() : "")
            .append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void testCollect_readsEveryStateFile_writesNothing() throws Exception {
    Path root = tmp.resolve("state");
    WarmConfig config = WarmConfig.defaults().withStateRoot(root).withApps(
        List.of(new RecipeConfig("gitea", null, null, null), new RecipeConfig("fresh", null, null, null)),
        List.of(new InfraApp("keycloak", "keycloak", "auth.ci.localhost", true, null),
            new InfraApp("traefik", "traefik", "proxy.ci.localhost", false, null)));
    StateStore state = new StateStore(root);
    // gitea: seeded and enrolled, but its known-good is gone; a quick run in flight (this process)
    state.write("gitea", StateFile.CANONICAL, new CanonicalRecord("gitea", "warm-gitea.ci.localhost", "1.0.0+1",
        "abc", NOW.minusSeconds(60), "20261130T055900Z-00000001"));
    state.write("gitea", StateFile.VOLUME_STATE, VolumeState.dirty("run-42"));
    state.write("gitea", StateFile.JOURNAL, Journal.begin("quick", "run-42", "gitea", "deployed", Map.of()));
    // old: seeded, no longer enrolled, its promote interrupted (the writer is gone)
    state.write("old", StateFile.CANONICAL, new CanonicalRecord("old", "warm-old.ci.localhost", "2.0.0+2", "def",
        NOW.minusSeconds(600), "20261130T055000Z-00000002"));
    state.write("old", StateFile.JOURNAL, new Journal("promote", "run-9", "old", "snapshotted", NOW, NOW,
        999_999_999L, Map.of()));
    // keycloak: held, last reconcile rolled back and the rollback failed
    state.write("keycloak", StateFile.LAST_GOOD, new LastGood("10.1.0+26.0", NOW.minusSeconds(3600)));
    state.write("keycloak", StateFile.HOLD, new InfraHold("10.1.0+26.0", "11.0.0+26.1",
        List.of("major 10 -> 11"), List.of(), NOW.minusSeconds(100), "20261130T055820000Z-upgrade-held-abcdef"));
    state.write("keycloak", StateFile.RECONCILE, new ReconcileRecord("rollback-failed", "10.1.0+26.0",
        "10.2.0+26.0", null, "deploy of 10.1.0+26.0 failed", NOW.minusSeconds(30), 5000,
        "auth.ci.example.org"));
    new AlertOutbox(root).write(Alert.builder("upgrade-held", "keycloak").message("held")
        .createdAt(NOW.minusSeconds(100)).build());
    String before = tree(root);

    FakePlatform platform = new FakePlatform(Map.of("proxy_ci_localhost",
        new DeployedVersion("3.1.0+v3.1", false, null, "traefik")));
    Status s = new StatusCollector(config, Optional.of(platform), List.of(), Clock.fixed(NOW, ZoneOffset.UTC))
        .collect();

    assertEquals(before, tree(root), "status wrote nothing");
    assertEquals(List.of("fresh", "gitea", "old"), s.recipes().stream().map(Status.Recipe::recipe).toList());
    Status.Recipe fresh = s.recipes().get(0);
    assertTrue(fresh.enrolled() && !fresh.seeded(), fresh.toString());
    assertEquals(List.of(), fresh.problems(), "not yet seeded is no problem");
    Status.Recipe gitea = s.recipes().get(1);
    assertEquals(Status.VolumeKind.DIRTY, gitea.volumeState());
    assertEquals("run-42", gitea.volumeDetail());
    assertTrue(gitea.journal().writerAlive(), gitea.toString());
    assertEquals(List.of("canonical.json names snapshot 20261130T055900Z-00000001 but there is no known-good"),
        gitea.problems());
    Status.Recipe old = s.recipes().get(2);
    assertFalse(old.enrolled());
    assertTrue(old.seeded());
    assertFalse(old.journal().writerAlive());
    assertTrue(old.problems().stream().anyMatch(p -> p.startsWith("interrupted promote run run-9")
        && p.contains("warm recover --app old")), old.problems().toString());

    Status.Infra kc = s.infra().get(0);
    assertEquals("keycloak", kc.app());
    assertNull(kc.running());
    assertEquals("10.1.0+26.0", kc.lastGood());
    assertEquals("11.0.0+26.1", kc.heldTarget());
    assertEquals(List.of("major 10 -> 11"), kc.holdReasons());
    assertEquals("rollback-failed", kc.lastReconcile().outcome());
    assertEquals(List.of("not deployed", "last reconcile rollback-failed: deploy of 10.1.0+26.0 failed"),
        kc.problems());
    Status.Infra traefik = s.infra().get(1);
    assertEquals("3.1.0+v3.1", traefik.running());
    assertEquals(List.of(), traefik.problems());

    assertEquals(1, s.alerts().pending());
    assertEquals(NOW.minusSeconds(100), s.alerts().oldestAt());
    assertEquals(DiskBudget.Level.NO_BUDGET, s.disk().level());
    assertEquals(6, s.attention().size(), s.attention().toString());
  }

  @Test
  void testCollect_withoutDocker_showsTheFilesAndSaysSo() {
    WarmConfig config = WarmConfig.defaults().withStateRoot(tmp.resolve("absent"));
    Status s = new StatusCollector(config, Optional.empty(), List.of("Docker did not answer"), Clock.systemUTC())
        .collect();
    assertNull(s.platform());
    assertEquals(List.of("Docker did not answer", "disk: warm volumes not counted: Docker did not answer"),
        s.attention());
    assertFalse(Files.exists(tmp.resolve("absent")), "a missing state root stays missing");
  }
}
