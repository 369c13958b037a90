package warm.nightly.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.state.CanonicalRecord;
import warm.core.state.Deenrolled;
import warm.core.state.LastGood;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.nightly.sweep.ColdRun;

/** The executor: a failed removal does not stop the others (exit 4), a lock taken since the plan skips, marks. */
class PruneExecutorTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir
  Path root;
  private final List<String> removedApps = new ArrayList<>();
  /** Domains whose app the platform says is there (a service runs). */
  private final List<String> present = new ArrayList<>();

  private WarmConfig config(String... enrolled) {
    StringBuilder r = new StringBuilder();
    for (String e : enrolled) {
      r.append(r.length() == 0 ? "" : ",").append("{\"name\":\"").append(e).append("\"}");
    }
    return ConfigLoader.parse("{\"stateRoot\": \"" + root + "\", \"ciDomain\": \"ci.example\", \"recipes\": [" + r
        + "]}", "test");
  }

  /** A platform whose removal of {@code failing} fails. */
  private Platform platform(String failing) {
    return (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(), new Class<?>[] {Platform.class},
        (p, m, a) -> switch (m.getName()) {
          case "removeApp" -> {
            AppRef app = (AppRef) a[0];
            if (app.domain().equals(failing)) {
              throw WarmException.infra("docker said no");
            }
            removedApps.add(app.domain());
            yield null;
          }
          case "volumes" -> List.of();
          case "anythingRunning" -> present.contains(((AppRef) a[0]).domain());
          default -> throw new AssertionError(m.getName());
        });
  }

  private static final Images NO_IMAGES = new Images() {
    @Override
    public OptionalDouble dataRootUsedPercent() {
      return OptionalDouble.empty();
    }

    @Override
    public List<Dangling> dangling() {
      return List.of();
    }

    @Override
    public void pruneDangling() {
      throw new AssertionError();
    }
  };

  private PruneReport execute(WarmConfig c, String failing, PrunePlan plan) {
    return new PruneExecutor(c, platform(failing), NO_IMAGES, null, Clock.fixed(NOW, ZoneOffset.UTC)).execute(plan);
  }

  private static Candidate cold(String domain) {
    return new Candidate(Kind.COLD_APP, domain, "dead", 10, "web", domain);
  }

  private static PrunePlan plan(List<Candidate> cs, List<String> deenrolledNow, List<String> reenrolled) {
    return new PrunePlan(cs, List.of(), List.of(), deenrolledNow, reenrolled);
  }

  @Test
  void failedRemoval_reported_theRestStillAttempted_exit4() throws Exception {
    Files.createDirectories(root.resolve(".tmp-prune-x-abcdef/sub"));
    Candidate bad = cold("web-aaaaaa.ci.example");
    Candidate good = cold("web-bbbbbb.ci.example");
    Candidate leftover = new Candidate(Kind.LEFTOVER, ".tmp-prune-x-abcdef", "interrupted", 0, null,
        ".tmp-prune-x-abcdef");
    PruneReport r = execute(config(), bad.item(), plan(List.of(bad, good, leftover), List.of(), List.of()));
    assertEquals(List.of(good, leftover), r.removed());
    assertEquals(1, r.failed().size());
    assertTrue(r.failed().get(0).error().contains("docker said no"), r.toString());
    assertEquals(ExitCode.INFRA, r.exitCode());
    assertEquals(10, r.freedBytes(), "only what was removed counts");
    assertFalse(Files.exists(root.resolve(".tmp-prune-x-abcdef")));
  }

  @Test
  void sentAlertsAndGateNotes_removedWhenStillOld_aNoteUsedSinceThePlanStays() throws Exception {
    FileTime old = FileTime.from(NOW.minus(Duration.ofDays(400)));
    Path alert = Files.createDirectories(root.resolve("alerts/sent")).resolve("a.json");
    Files.writeString(alert, "{}");
    Files.setLastModifiedTime(alert, old);
    Path notes = Files.createDirectories(root.resolve("gate-cache/keycloak"));
    Path stale = Files.writeString(notes.resolve("26.0.0"), "n");
    Files.setLastModifiedTime(stale, old);
    Path used = Files.writeString(notes.resolve("26.5.0"), "n"); // planned while old, then a gate hit touched it
    Path gone = notes.resolve("26.6.0"); // planned, then removed by someone else
    Candidate a = new Candidate(Kind.SENT_ALERT, "alerts/sent/a.json", "old", 2, null, "a.json");
    Candidate s = new Candidate(Kind.GATE_NOTE, "gate-cache/keycloak/26.0.0", "old", 1, "keycloak", "26.0.0");
    Candidate u = new Candidate(Kind.GATE_NOTE, "gate-cache/keycloak/26.5.0", "old", 1, "keycloak", "26.5.0");
    Candidate g = new Candidate(Kind.GATE_NOTE, "gate-cache/keycloak/26.6.0", "old", 1, "keycloak", "26.6.0");
    Candidate escape = new Candidate(Kind.GATE_NOTE, "gate-cache/../x", "old", 1, "..", "x");

    PruneReport r = execute(config(), null, plan(List.of(a, s, u, g, escape), List.of(), List.of()));

    assertEquals(List.of(a, s), r.removed());
    assertFalse(Files.exists(alert));
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(used));
    assertFalse(Files.exists(gone));
    assertEquals(List.of("gate-cache/keycloak/26.5.0", "gate-cache/keycloak/26.6.0"),
        r.skipped().stream().map(Kept::name).toList());
    assertEquals(1, r.failed().size(), "a name outside the cache is refused: " + r);
    assertTrue(r.failed().get(0).error().contains("not an app's directory"), r.toString());
  }

  @Test
  void runLockTakenSinceThePlan_skipped_notRemoved_exit0() {
    Candidate c = cold("web-cccccc.ci.example");
    try (LockFile running = new AppLocks(root).tryAcquire(ColdRun.lockName(new AppRef("web", c.item())), "cold run")
        .orElseThrow()) {
      PruneReport r = execute(config(), null, plan(List.of(c), List.of(), List.of()));
      assertEquals(List.of(), removedApps, "the platform was not asked to remove a live run's app");
      assertEquals(List.of(), r.removed());
      assertEquals(1, r.skipped().size());
      assertEquals(ExitCode.OK, r.exitCode());
    }
  }

  @Test
  void canonicalEnrolledAgain_refused_markersWrittenAndCleared() {
    StateStore state = new StateStore(root);
    state.write("web", StateFile.CANONICAL, new CanonicalRecord("web", "warm-web.ci.example", "1", "c", NOW, "x"));
    state.write("back", StateFile.DEENROLLED, new Deenrolled(NOW.minusSeconds(60)));
    Candidate web = new Candidate(Kind.CANONICAL, "web", "past grace", 5, "web", "warm-web.ci.example");
    PruneReport r = execute(config("web", "back"), null, plan(List.of(web), List.of("new"), List.of("back")));
    assertEquals(List.of(), removedApps, "an enrolled canonical is never removed");
    assertEquals(ExitCode.INFRA, r.exitCode(), r.toString());
    assertTrue(Files.exists(root.resolve("web/canonical.json")));
    assertEquals(NOW, state.read("new", StateFile.DEENROLLED).orElseThrow().since());
    assertTrue(state.read("back", StateFile.DEENROLLED).isEmpty());
  }

  @Test
  void deenrolledCanonical_platformRemoval_thenStateDirectory() {
    StateStore state = new StateStore(root);
    state.write("gone", StateFile.CANONICAL, new CanonicalRecord("gone", "warm-gone.ci.example", "1", "c", NOW, "x"));
    Candidate gone = new Candidate(Kind.CANONICAL, "gone", "past grace", 5, "gone", "warm-gone.ci.example");
    PruneReport r = execute(config(), null, plan(List.of(gone), List.of(), List.of()));
    assertEquals(List.of("warm-gone.ci.example"), removedApps);
    assertEquals(List.of(gone), r.removed());
    assertFalse(Files.exists(root.resolve("gone")));
    assertEquals(List.of(), state.apps());
  }

  private static Candidate runLock(String domain) {
    return new Candidate(Kind.RUN_LOCK, "locks/" + domain.replace('.', '_') + ".lock", "over", 0, "web", domain);
  }

  /** A dead run's app removed under its run lock takes the lock file with it; a run lock of an app gone goes. */
  @Test
  void deadRunsAppAndFinishedRunsLock_lockFilesDeleted() {
    AppLocks locks = new AppLocks(root);
    Candidate app = cold("web-aaaaaa.ci.example");
    Candidate lock = runLock("web-bbbbbb.ci.example");
    for (Candidate c : List.of(app, lock)) {
      locks.tryAcquire(ColdRun.lockName(new AppRef("web", c.item())), "cold run (died)").orElseThrow().close();
    }
    PruneReport r = execute(config(), null, plan(List.of(app, lock), List.of(), List.of()));
    assertEquals(List.of(app, lock), r.removed(), r.toString());
    assertEquals(List.of("web-aaaaaa.ci.example"), removedApps, "only the app that was there");
    assertFalse(Files.exists(locks.path("web-aaaaaa_ci_example")));
    assertFalse(Files.exists(locks.path("web-bbbbbb_ci_example")));
  }

  /** Asked again under the lock: held since the plan, or its app created since, the file stays. */
  @Test
  void runLock_heldOrItsAppBackSinceThePlan_skipped_fileKept() {
    AppLocks locks = new AppLocks(root);
    Candidate held = runLock("web-cccccc.ci.example");
    Candidate back = runLock("web-dddddd.ci.example");
    locks.tryAcquire("web-dddddd_ci_example", "cold run (died)").orElseThrow().close();
    present.add(back.item());
    try (LockFile running = locks.tryAcquire("web-cccccc_ci_example", "cold run").orElseThrow()) {
      PruneReport r = execute(config(), null, plan(List.of(held, back), List.of(), List.of()));
      assertEquals(List.of(), r.removed(), r.toString());
      assertEquals(2, r.skipped().size());
      assertEquals(ExitCode.OK, r.exitCode());
      assertTrue(running.isHeld());
    }
    assertTrue(Files.exists(locks.path("web-cccccc_ci_example")));
    assertTrue(Files.exists(locks.path("web-dddddd_ci_example")));
  }

  // --------------------------------------------------------------------------- infra apps removed from infra[]

  /** The state a reconciled infra app leaves: records and a snapshot store with something in it. */
  private Path infraState(String app, String domain) throws Exception {
    StateStore state = new StateStore(root);
    state.write(app, StateFile.LAST_GOOD, new LastGood("3.1.0+v3", NOW));
    state.write(app, StateFile.RECONCILE, new ReconcileRecord("applied", "3.0.0+v3", "3.1.0+v3", "3.1.0+v3", null,
        NOW, 900, domain));
    Path snap = Files.createDirectories(root.resolve(app + "/snapshots/snap-x/data"));
    Files.writeString(snap.resolve("f"), "pre-upgrade data");
    return root.resolve(app);
  }

  private static Candidate infra(String app, String domain) {
    return new Candidate(Kind.INFRA_STATE, app, "past grace", 10, app, domain);
  }

  @Test
  void removedInfraApp_itsStateDirectoryGoes_neverItsStack() throws Exception {
    Path dir = infraState("traefik", "proxy.ci.example");
    Candidate c = infra("traefik", "proxy.ci.example");
    PruneReport r = execute(config(), null, plan(List.of(c), List.of(), List.of()));
    assertEquals(List.of(c), r.removed(), r.toString());
    assertEquals(ExitCode.OK, r.exitCode());
    assertFalse(Files.exists(dir));
    assertEquals(List.of(), removedApps, "its stack and volumes are the operator's");
    try (var left = Files.list(root)) {
      assertEquals(List.of("locks"), left.map(f -> f.getFileName().toString()).sorted().toList(),
          "no .tmp-prune-* left behind");
    }
  }

  /** Asked again under the app's lock: configured again, running, busy or journalled since the plan, it stays. */
  @Test
  void removedInfraApp_configuredRunningLockedOrJournalledSinceThePlan_orReservedName_kept() throws Exception {
    WarmConfig c = ConfigLoader.parse("{\"stateRoot\": \"" + root + "\", \"ciDomain\": \"ci.example\","
        + " \"infra\": [{\"name\": \"back\", \"domain\": \"back.ci.example\"}]}", "test");
    List<Path> dirs = new ArrayList<>();
    for (String app : List.of("back", "running", "busy", "crashed")) {
      dirs.add(infraState(app, app + ".ci.example"));
    }
    new StateStore(root).write("crashed", StateFile.JOURNAL, new warm.core.state.Journal("reconcile", "r1",
        "crashed", "health-wait", NOW, NOW, 999999999, java.util.Map.of()));
    present.add("running.ci.example");
    Path reserved = Files.createDirectories(root.resolve("alerts/sent"));
    List<Candidate> cs = new ArrayList<>();
    for (String app : List.of("back", "running", "busy", "crashed", "alerts", "../x")) {
      cs.add(infra(app, app.replace("../", "") + ".ci.example"));
    }
    try (LockFile held = new AppLocks(root).tryAcquire("busy", "a reconcile").orElseThrow()) {
      PruneReport r = execute(c, null, plan(cs, List.of(), List.of()));
      assertEquals(List.of(), r.removed(), r.toString());
      assertEquals(List.of("running", "busy", "crashed"), r.skipped().stream().map(Kept::name).toList(),
          r.toString());
      assertEquals(List.of("back", "alerts", "../x"), r.failed().stream().map(f -> f.candidate().name()).toList(),
          r.toString());
      assertEquals(ExitCode.INFRA, r.exitCode());
    }
    for (Path d : dirs) {
      assertTrue(Files.exists(d.resolve("reconcile.json")), d.toString());
      assertTrue(Files.exists(d.resolve("snapshots/snap-x/data/f")), d.toString());
    }
    assertTrue(Files.isDirectory(reserved));
    assertEquals(List.of(), removedApps);
  }

  @Test
  void removedInfraApp_markWrittenOnFirstSight_clearedWhenConfiguredAgain() throws Exception {
    infraState("traefik", "proxy.ci.example");
    infraState("back", "back.ci.example");
    StateStore state = new StateStore(root);
    state.write("back", StateFile.DEENROLLED, new Deenrolled(NOW.minusSeconds(60)));
    PruneReport r = execute(config(), null, plan(List.of(), List.of("traefik"), List.of("back")));
    assertEquals(ExitCode.OK, r.exitCode(), r.toString());
    assertEquals(NOW, state.read("traefik", StateFile.DEENROLLED).orElseThrow().since());
    assertTrue(state.read("back", StateFile.DEENROLLED).isEmpty());
    assertTrue(Files.exists(root.resolve("back/snapshots/snap-x/data/f")), "nothing else of it changes");
  }
}
