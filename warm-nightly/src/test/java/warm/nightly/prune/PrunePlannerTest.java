package warm.nightly.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.ConfigLoader;
import warm.core.config.PruneSettings;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.sso.DeleteOutcome;
import warm.core.sso.RealmManager;
import warm.core.sso.RealmRequest;
import warm.core.sso.ReapPolicy;
import warm.core.sso.ReapReport;
import warm.core.sso.RunLiveness;
import warm.core.sso.RunRealm;
import warm.core.state.CanonicalRecord;
import warm.core.state.Deenrolled;
import warm.core.state.Journal;
import warm.core.state.LastGood;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.nightly.canonical.KnownGoods;
import warm.nightly.sweep.ColdRun;
import warm.snapshot.Progress;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/** The planner's rules on a real state root, real snapshot stores and real locks; Docker and Keycloak faked. */
class PrunePlannerTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String CI = "ci.example";

  @TempDir
  Path tmp;
  private Path root;
  private StateStore state;
  private final List<StackInventory.Stack> stacks = new ArrayList<>();
  private double used = 50;
  private final List<Images.Dangling> dangling = new ArrayList<>(List.of(new Images.Dangling("sha256:aa", 1000)));
  private final Map<String, Boolean> askedAlive = new HashMap<>();
  private final List<String> realmStacks = new ArrayList<>();

  @BeforeEach
  void setUp() {
    root = tmp.resolve("state");
    state = new StateStore(root);
  }

  private WarmConfig config(String... enrolled) {
    return withInfra("", enrolled);
  }

  /** {@code moreInfra}: further {@code infra[]} entries after keycloak, each starting with a comma. */
  private WarmConfig withInfra(String moreInfra, String... enrolled) {
    StringBuilder r = new StringBuilder();
    for (String e : enrolled) {
      r.append(r.length() == 0 ? "" : ",").append("{\"name\":\"").append(e).append("\"}");
    }
    return ConfigLoader.parse("""
        {"stateRoot": "%s", "ciDomain": "%s", "recipes": [%s],
         "infra": [{"name": "keycloak", "domain": "auth.%s", "stateful": true}%s],
         "prune": {"deenrolledGraceMinutes": 60, "deadRunAgeMinutes": 600, "realmGraceMinutes": 0,
                   "imagePruneAbovePercent": 80}}
        """.formatted(root, CI, r, CI, moreInfra), "test");
  }

  /** Stacks the platform says still run (a service, task or container of them exists). */
  private final java.util.Set<String> running = new java.util.HashSet<>();

  private Platform platform() {
    return (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(), new Class<?>[] {Platform.class},
        (p, m, a) -> switch (m.getName()) {
          case "volumes" -> List.of();
          case "anythingRunning" -> running.contains(((AppRef) a[0]).stack());
          default -> throw new AssertionError("the planner changes nothing: " + m.getName());
        });
  }

  private final Images images = new Images() {
    @Override
    public OptionalDouble dataRootUsedPercent() {
      return OptionalDouble.of(used);
    }

    @Override
    public List<Dangling> dangling() {
      return dangling;
    }

    @Override
    public void pruneDangling() {
      throw new AssertionError("the planner changes nothing");
    }
  };

  /** A Keycloak holding one realm of ours per stamped stack, judged by the liveness it is given (as the real one). */
  private final RealmManager realms = new RealmManager() {
    @Override
    public RunRealm create(RealmRequest request) {
      throw new AssertionError();
    }

    @Override
    public DeleteOutcome delete(String realm) {
      throw new AssertionError("the planner changes nothing");
    }

    @Override
    public ReapReport reap(RunLiveness liveness, ReapPolicy policy) {
      assertTrue(policy.dryRun(), "the planner only asks");
      List<ReapReport.Entry> es = new ArrayList<>();
      for (String stack : realmStacks) {
        boolean alive = liveness.isAlive(stack);
        askedAlive.put(stack, alive);
        es.add(new ReapReport.Entry("ccw-" + stack, "r", alive ? ReapReport.Action.KEPT
            : ReapReport.Action.WOULD_DELETE, alive ? "alive" : "gone"));
      }
      return new ReapReport(es, 0, true);
    }
  };

  private PrunePlan plan(WarmConfig c) {
    return new PrunePlanner(c, platform(), () -> stacks, images, realms, Clock.fixed(NOW, ZoneOffset.UTC)).plan();
  }

  private static Map<String, Kind> candidates(PrunePlan p) {
    return p.candidates().stream().collect(Collectors.toMap(Candidate::name, Candidate::kind));
  }

  private static boolean keeps(PrunePlan p, String name) {
    return p.kept().stream().anyMatch(k -> k.name().equals(name));
  }

  /** A canonical with a known-good snapshot of a real volume directory; returns the known-good id. */
  private String canonical(String app) throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol-" + app));
    Files.writeString(vol.resolve("f"), "data of " + app);
    SnapshotStore store = SnapshotStore.forApp(root, app);
    String id = KnownGoods.ofPlainStore(store, Map.of("data", vol), SnapshotTag.of("c1", "1.0.0+1"),
        QuiescenceCheck.assumeQuiet(), Progress.none()).id();
    state.write(app, StateFile.CANONICAL, new CanonicalRecord(app, "warm-" + app + "." + CI, "1.0.0+1", "c1",
        NOW.minusSeconds(86400), id));
    state.write(app, StateFile.VOLUME_STATE, VolumeState.clean(id));
    return id;
  }

  private String extraSnapshot(String app) throws Exception {
    return SnapshotStore.forApp(root, app).snapshot(Map.of("data", tmp.resolve("vol-" + app)),
        SnapshotTag.of("c0", "0.9.0+1"), QuiescenceCheck.assumeQuiet(), Progress.none()).id();
  }

  private Path aged(String relative, Duration age) throws Exception {
    Path f = root.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "x");
    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(NOW.minus(age)));
    return f;
  }

  // ------------------------------------------------------------------------------------ alerts and gate notes

  @Test
  void sentAlerts_olderThanTheBound_go_youngerAndHiddenStay() throws Exception {
    aged("alerts/sent/20260801T000000Z-old.json", Duration.ofDays(90));
    aged("alerts/sent/20260905T000000Z-young.json", Duration.ofDays(89));
    aged("alerts/sent/.tmp-half.json", Duration.ofDays(200)); // not a delivered alert's name
    aged("alerts/outbox/20260101T000000Z-pending.json", Duration.ofDays(300)); // never: not delivered yet
    PrunePlan p = plan(config());
    assertEquals(Map.of("alerts/sent/20260801T000000Z-old.json", Kind.SENT_ALERT), candidates(p), p.toString());
    assertTrue(p.candidates().get(0).reason().contains("prune.sentAlertAgeDays (90 days)"), p.toString());
    assertEquals(List.of(), p.problems());
  }

  @Test
  void gateNotes_unusedForTheBound_go_recentOnesLinksAndStrayFilesStay() throws Exception {
    aged("gate-cache/keycloak/26.0.0", Duration.ofDays(30));
    aged("gate-cache/keycloak/.26.1.0.0f0e.tmp", Duration.ofDays(31)); // a killed write's temp file
    aged("gate-cache/keycloak/26.5.0", Duration.ofDays(29));
    aged("gate-cache/stray", Duration.ofDays(400)); // a file, not an app's directory: not the gate's
    Path outside = aged("elsewhere/note", Duration.ofDays(400));
    Files.createSymbolicLink(root.resolve("gate-cache/keycloak/9.9.9"), outside);
    PrunePlan p = plan(config());
    assertEquals(Map.of("gate-cache/keycloak/26.0.0", Kind.GATE_NOTE, "gate-cache/keycloak/.26.1.0.0f0e.tmp",
        Kind.GATE_NOTE), candidates(p), p.toString());
    assertTrue(p.candidates().stream().allMatch(c -> "keycloak".equals(c.app())), p.toString());
    assertEquals(List.of(), p.problems());
  }

  // ------------------------------------------------------------------------------------------- canonicals

  @Test
  void enrolledCanonical_onlyItsLeftoversAndSupersededSnapshotsGo_neverItsKnownGood() throws Exception {
    String kg = canonical("web");
    String old = extraSnapshot("web");
    String namedByRecord = extraSnapshot("web");
    state.write("web", StateFile.VOLUME_STATE, VolumeState.clean(namedByRecord));
    Files.createDirectory(SnapshotStore.forApp(root, "web").directory().resolve(".tmp-snap-dead"));
    PrunePlan p = plan(config("web"));
    assertEquals(Map.of("web/snapshots/.tmp-snap-dead", Kind.LEFTOVER, "web/snap-" + old, Kind.SNAPSHOT),
        candidates(p), p.toString());
    assertFalse(candidates(p).containsKey("web/snap-" + kg), "the known-good never");
    assertFalse(candidates(p).containsKey("web/snap-" + namedByRecord), "a snapshot a record names never");
    assertEquals(List.of(), p.deenrolledNow());
    assertEquals(List.of(), p.problems());
  }

  @Test
  void deenrolledCanonical_firstSeen_thenWithinGrace_thenPastGrace() throws Exception {
    canonical("gone");
    PrunePlan first = plan(config());
    assertEquals(List.of("gone"), first.deenrolledNow(), "first sight starts the grace period");
    assertTrue(keeps(first, "gone"), first.toString());
    assertFalse(candidates(first).containsKey("gone"));

    state.write("gone", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofMinutes(59))));
    PrunePlan within = plan(config());
    assertTrue(keeps(within, "gone"), within.toString());
    assertFalse(candidates(within).containsKey("gone"));
    assertEquals(List.of(), within.deenrolledNow());

    state.write("gone", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofMinutes(60))));
    PrunePlan past = plan(config());
    assertEquals(Map.of("gone", Kind.CANONICAL), candidates(past), "the whole canonical, nothing listed twice");
    assertTrue(past.candidates().get(0).bytes() > 0, "its state and snapshots are counted");
  }

  @Test
  void reenrolledWithinGrace_markerCleared_nothingRemoved() throws Exception {
    canonical("back");
    state.write("back", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofDays(30))));
    PrunePlan p = plan(config("back"));
    assertEquals(List.of("back"), p.reenrolled());
    assertEquals(Map.of(), candidates(p));
  }

  @Test
  void infraApp_neverItsSnapshots_onlyItsLeftovers() throws Exception {
    canonical("keycloak"); // even with a record, an infra app is not a de-enrolled canonical
    String old = extraSnapshot("keycloak");
    Files.createDirectory(SnapshotStore.forApp(root, "keycloak").directory().resolve(".tmp-del-x"));
    PrunePlan p = plan(config());
    assertEquals(Map.of("keycloak/snapshots/.tmp-del-x", Kind.LEFTOVER), candidates(p), p.toString());
    assertFalse(candidates(p).containsKey("keycloak/snap-" + old));
    assertEquals(List.of(), p.deenrolledNow());
  }

  @Test
  void lockedOrJournalledApp_nothingOfItIsTouched() throws Exception {
    canonical("busy");
    canonical("crashed");
    state.write("busy", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofDays(30))));
    state.write("crashed", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofDays(30))));
    Files.createDirectory(SnapshotStore.forApp(root, "busy").directory().resolve(".tmp-snap-live"));
    state.write("crashed", StateFile.JOURNAL, new Journal("quick", "r1", "crashed", "deployed", NOW, NOW, 999999999,
        Map.of()));
    try (LockFile held = new AppLocks(root).tryAcquire("busy", "a quick run").orElseThrow()) {
      PrunePlan p = plan(config());
      assertEquals(Map.of(), candidates(p), p.toString());
      assertTrue(p.kept().stream().anyMatch(k -> k.name().equals("busy") && k.reason().contains("in flight")));
      assertTrue(p.kept().stream().anyMatch(k -> k.name().equals("crashed") && k.reason().contains("warm recover")));
    }
  }

  @Test
  void stateRootLeftover_isACandidate() throws Exception {
    Files.createDirectories(root.resolve(".tmp-prune-old-abcdef/snapshots"));
    assertEquals(Map.of(".tmp-prune-old-abcdef", Kind.LEFTOVER), candidates(plan(config())));
  }

  // --------------------------------------------------------------------------- infra apps removed from infra[]

  private static final String PROXY = "proxy." + CI;
  private static final String TRAEFIK = ", {\"name\": \"traefik\", \"domain\": \"" + PROXY + "\"}";

  /** The state a reconciled infra app leaves: its records and a pre-upgrade known-good snapshot; the snapshot's id. */
  private String infraState(String app, String domain) throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol-" + app));
    Files.writeString(vol.resolve("f"), "data of " + app);
    String id = KnownGoods.ofPlainStore(SnapshotStore.forApp(root, app), Map.of("data", vol),
        SnapshotTag.of("pre-upgrade", "3.0.0+v3"), QuiescenceCheck.assumeQuiet(), Progress.none()).id();
    state.write(app, StateFile.LAST_GOOD, new LastGood("3.1.0+v3", NOW.minusSeconds(86400)));
    state.write(app, StateFile.RECONCILE, new ReconcileRecord("applied", "3.0.0+v3", "3.1.0+v3", "3.1.0+v3", null,
        NOW.minusSeconds(86400), 900, domain));
    return id;
  }

  @Test
  void removedInfraApp_firstSeen_thenWithinGrace_thenPastGrace_itsStateDirectoryOnly() throws Exception {
    infraState("traefik", PROXY);
    extraSnapshot("traefik"); // superseded by its known-good: still the reconciler's while the app may come back
    Files.createDirectory(SnapshotStore.forApp(root, "traefik").directory().resolve(".tmp-del-x"));
    PrunePlan first = plan(config());
    assertEquals(List.of("traefik"), first.deenrolledNow(), "first sight starts the grace period");
    assertEquals(Map.of("traefik/snapshots/.tmp-del-x", Kind.LEFTOVER), candidates(first),
        "only its store's leftovers, as a configured infra app's: " + first);
    assertTrue(first.kept().stream().anyMatch(k -> k.name().equals("traefik") && k.kind() == Kind.INFRA_STATE
        && k.reason().contains("first seen now")), first.toString());

    state.write("traefik", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofMinutes(59))));
    PrunePlan within = plan(config());
    assertEquals(Map.of("traefik/snapshots/.tmp-del-x", Kind.LEFTOVER), candidates(within), within.toString());
    assertEquals(List.of(), within.deenrolledNow());
    assertTrue(within.kept().stream().anyMatch(k -> k.name().equals("traefik") && k.kind() == Kind.INFRA_STATE
        && k.reason().contains("within the grace period")), within.toString());

    state.write("traefik", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofMinutes(60))));
    PrunePlan past = plan(config());
    assertEquals(Map.of("traefik", Kind.INFRA_STATE), candidates(past), "the directory whole, nothing listed twice");
    Candidate c = past.candidates().get(0);
    assertEquals("traefik", c.app());
    assertEquals(PROXY, c.item(), "the domain the executor asks the Swarm about again");
    assertTrue(c.bytes() > 0, "its records and snapshots are counted");
  }

  @Test
  void removedInfraApp_stillDeployed_keptAndReported_evenPastGrace() throws Exception {
    infraState("traefik", PROXY);
    state.write("traefik", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofDays(30))));
    running.add(stack(PROXY));
    PrunePlan p = plan(config());
    assertEquals(Map.of(), candidates(p), p.toString());
    assertTrue(p.kept().stream().anyMatch(k -> k.name().equals("traefik") && k.kind() == Kind.INFRA_STATE
        && k.reason().contains("still runs on the Swarm") && k.reason().contains(stack(PROXY))), p.toString());
  }

  @Test
  void removedInfraApp_lockHeldOrJournal_orRecordWithoutDomain_kept() throws Exception {
    infraState("traefik", PROXY);
    infraState("crashed", "crashed." + CI);
    infraState("legacy", null);
    for (String app : List.of("traefik", "crashed", "legacy")) {
      state.write(app, StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofDays(30))));
    }
    state.write("crashed", StateFile.JOURNAL, new Journal("reconcile", "r1", "crashed", "health-wait", NOW, NOW,
        999999999, Map.of()));
    try (LockFile held = new AppLocks(root).tryAcquire("traefik", "a reconcile").orElseThrow()) {
      PrunePlan p = plan(config());
      assertEquals(Map.of(), candidates(p), p.toString());
      assertTrue(p.kept().stream().anyMatch(k -> k.name().equals("traefik") && k.kind() == Kind.INFRA_STATE
          && k.reason().contains("in flight")), p.toString());
      assertTrue(p.kept().stream().anyMatch(k -> k.name().equals("crashed") && k.reason().contains("warm recover")));
      assertTrue(p.kept().stream().anyMatch(k -> k.name().equals("legacy") && k.reason().contains("by hand")),
          p.toString());
    }
  }

  @Test
  void removedInfraApp_addedBackWithinGrace_markerCleared_itsStateAndSnapshotsKept() throws Exception {
    String kg = infraState("traefik", PROXY);
    String old = extraSnapshot("traefik");
    state.write("traefik", StateFile.DEENROLLED, new Deenrolled(NOW.minus(Duration.ofMinutes(30))));
    PrunePlan p = plan(withInfra(TRAEFIK));
    assertEquals(List.of("traefik"), p.reenrolled(), "its mark is cleared");
    assertEquals(Map.of(), candidates(p), p.toString());
    assertEquals(List.of(), p.deenrolledNow());
    assertTrue(Files.isDirectory(SnapshotStore.forApp(root, "traefik").directory().resolve("snap-" + kg)));
    assertTrue(Files.isDirectory(SnapshotStore.forApp(root, "traefik").directory().resolve("snap-" + old)));
  }

  @Test
  void reservedOrInvalidNames_withInfraRecords_neverJudged() throws Exception {
    for (String dir : List.of("alerts", "locks", "apps", "recipes", "gate-cache", "traefik.bak", "Traefik")) {
      Path d = Files.createDirectories(root.resolve(dir));
      Files.writeString(d.resolve("reconcile.json"), "{\"outcome\": \"applied\", \"finishedAt\":"
          + " \"2026-01-01T00:00:00Z\", \"millis\": 1, \"domain\": \"" + PROXY + "\"}");
      Files.writeString(d.resolve("deenrolled.json"), "{\"since\": \"2026-01-01T00:00:00Z\"}");
    }
    PrunePlan p = plan(config());
    assertEquals(Map.of(), candidates(p), p.toString());
    assertEquals(List.of(), p.deenrolledNow());
    assertEquals(List.of(), p.problems());
  }

  // -------------------------------------------------------------------------------------------- cold runs

  private static String stack(String domain) {
    return domain.replace('.', '_');
  }

  @Test
  void coldApps_deadByFreeLock_orByAgeWithoutLock_neverInFlight() throws Exception {
    WarmConfig c = config("abcdef");
    AppLocks locks = new AppLocks(root);
    String dead = "web-aaaaaa." + CI;
    String live = "web-bbbbbb." + CI;
    String oldForeign = "web-cccccc." + CI;
    String youngForeign = "web-dddddd." + CI;
    String otherHost = "web-eeeeee.other.example";
    String canonicalLookalike = "warm-abcdef." + CI; // the canonical of recipe 'abcdef' has the cold shape
    for (String d : List.of(dead, live, oldForeign, youngForeign, otherHost, canonicalLookalike)) {
      stacks.add(new StackInventory.Stack(stack(d), NOW.minus(Duration.ofMinutes(d.equals(youngForeign) ? 599 : 601)),
          true));
    }
    locks.tryAcquire(ColdRun.lockName(new AppRef("web", dead)), "cold run").orElseThrow().close(); // it died
    realmStacks.addAll(List.of(stack(dead), stack(live), stack("web-ffffff." + CI)));
    try (LockFile running = locks.tryAcquire(ColdRun.lockName(new AppRef("web", live)), "cold run").orElseThrow()) {
      PrunePlan p = plan(c);
      assertEquals(Map.of(dead, Kind.COLD_APP, oldForeign, Kind.COLD_APP, "ccw-" + stack(dead), Kind.REALM,
          "ccw-" + stack("web-ffffff." + CI), Kind.REALM), candidates(p), p.toString());
      assertTrue(keeps(p, live) && keeps(p, youngForeign), p.kept().toString());
      assertFalse(keeps(p, otherHost) || keeps(p, canonicalLookalike), "not ours: not even looked at");
      assertEquals(Map.of(stack(dead), false, stack(live), true, stack("web-ffffff." + CI), false), askedAlive,
          "a realm's run: dead with its app, alive with its held lock, gone with its stack");
    }
  }

  /**
   * Lock files of cold runs whose app is gone: an old free one goes; a held one, a young one, an app lock (even one
   * of the cold shape), a cold app's that is still there and another host's stay.
   */
  @Test
  void runLocks_oldFreeAndAppGone_removed_heldYoungAndAppLocksKept() throws Exception {
    WarmConfig c = config("web", "abcdef");
    AppLocks locks = new AppLocks(root);
    String over = stack("web-aaaaaa." + CI);
    String young = stack("web-bbbbbb." + CI);
    String held = stack("web-cccccc." + CI);
    String appThere = stack("web-dddddd." + CI);
    String otherHost = stack("web-eeeeee.other.example");
    String canonicalLookalike = stack("warm-abcdef." + CI);
    stacks.add(new StackInventory.Stack(appThere, NOW.minus(Duration.ofMinutes(5)), true));
    for (String name : List.of(over, young, held, appThere, otherHost, canonicalLookalike, "web", "abcdef")) {
      locks.tryAcquire(name, "earlier").orElseThrow().close();
      Files.setLastModifiedTime(locks.path(name), java.nio.file.attribute.FileTime.from(
          NOW.minus(Duration.ofMinutes(name.equals(young) ? 599 : 601))));
    }
    try (LockFile running = locks.tryAcquire(held, "cold run").orElseThrow()) {
      PrunePlan p = plan(c);
      Map<String, Kind> runLocks = p.candidates().stream().filter(x -> x.kind() == Kind.RUN_LOCK)
          .collect(Collectors.toMap(Candidate::name, Candidate::kind));
      assertEquals(Map.of("locks/" + over + ".lock", Kind.RUN_LOCK), runLocks, p.toString());
      Candidate only = p.candidates().stream().filter(x -> x.kind() == Kind.RUN_LOCK).findFirst().orElseThrow();
      assertEquals("web", only.app());
      assertEquals("web-aaaaaa." + CI, only.item());
      assertTrue(keeps(p, "locks/" + young + ".lock") && keeps(p, "locks/" + held + ".lock"), p.kept().toString());
      for (String notLooked : List.of(appThere, otherHost, canonicalLookalike, "web", "abcdef")) {
        assertFalse(keeps(p, "locks/" + notLooked + ".lock"), notLooked + " is not a finished run's lock");
      }
      assertEquals(List.of(), p.problems());
    }
  }

  /** A stack name too long for a lock name is no warm run's: judged by age, and never an error of the whole prune. */
  @Test
  void coldApp_nameTooLongForALock_judgedByAge() {
    String longDomain = "a-very-long-recipe-name-that-goes-on-and-on-and-on-abcdef." + CI;
    assertTrue(stack(longDomain).length() > 64);
    stacks.add(new StackInventory.Stack(stack(longDomain), NOW.minus(Duration.ofMinutes(601)), true));
    PrunePlan p = plan(config());
    assertEquals(Map.of(longDomain, Kind.COLD_APP), candidates(p), p.toString());
    assertEquals(List.of(), p.problems());
  }

  @Test
  void coldShape_fromTheTemplate() {
    ColdStacks s = new ColdStacks("{recipe}-{hex}.{ciDomain}", "ci.example");
    assertEquals(new AppRef("my-app", "my-app-0a1b2c.ci.example"), s.appOf("my-app-0a1b2c_ci_example").orElseThrow());
    assertTrue(s.appOf("my-app-0a1b2c_ci_example_org").isEmpty(), "another CI domain");
    assertTrue(s.appOf("my-app-0a1b2g_ci_example").isEmpty(), "not hex");
    assertTrue(s.appOf("my-app_ci_example").isEmpty(), "no run suffix");
    assertTrue(new ColdStacks("run-{hex}.{ciDomain}", "ci.example").appOf("run-abcdef_ci_example").isEmpty(),
        "a template without {recipe} cannot be told apart: nothing is a cold app");
    assertEquals(new AppRef("web", "ci-web-abcdef.ci.example"),
        new ColdStacks("ci-{recipe}-{hex}.{ciDomain}", "ci.example").appOf("ci-web-abcdef_ci_example").orElseThrow());
  }

  // ----------------------------------------------------------------------------------------------- images

  @Test
  void images_onlyAboveThreshold_andOnlyWhileNothingDeploys() throws Exception {
    WarmConfig c = config();
    used = 80;
    PrunePlan below = plan(c);
    assertFalse(candidates(below).values().contains(Kind.IMAGES), "80% is not above 80%");
    assertTrue(keeps(below, "dangling images"));
    used = 91;
    assertEquals(Map.of("dangling images (1)", Kind.IMAGES), candidates(plan(c)));
    assertEquals(1000, plan(c).bytes());
    try (LockFile deploying = new AppLocks(root).tryAcquire("web", "quick").orElseThrow()) {
      PrunePlan busy = plan(c);
      assertFalse(candidates(busy).values().contains(Kind.IMAGES), busy.toString());
      assertTrue(busy.kept().stream().anyMatch(k -> k.kind() == Kind.IMAGES && k.reason().contains("'web'")));
    }
    PrunePlan never = plan(c.withPrune(new PruneSettings(null, null, null, 100, null, null)));
    assertFalse(candidates(never).values().contains(Kind.IMAGES));
    dangling.clear();
    assertEquals(Map.of(), candidates(plan(c)), "nothing dangling: nothing to do");
  }
}
