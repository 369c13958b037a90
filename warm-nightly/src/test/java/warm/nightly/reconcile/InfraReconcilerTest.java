package warm.nightly.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.AlertOutbox;
import warm.core.alert.Alerts;
import warm.core.alert.OutboxEntry;
import warm.core.config.InfraApp;
import warm.core.config.Timeouts;
import warm.core.config.UpstreamNotesSettings;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.state.Journal;
import warm.core.state.LastGood;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/** The reconciler's decisions on a platform in memory (stateless app): what it deploys, records and alerts. */
class InfraReconcilerTest {
  @TempDir
  Path root;

  private FakePlatform platform = new FakePlatform("1.0.0+1.0", "1.1.0+1.1");

  private InfraReconciler reconciler(InfraApp app) {
    WarmConfig c = WarmConfig.defaults().withStateRoot(root).withApps(List.of(), List.of(app));
    return new InfraReconciler(c, platform, new Alerts(new AlertOutbox(root), List.of()));
  }

  private InfraReconciler reconciler() {
    return reconciler(new InfraApp("proxy", "traefik", "proxy.ci.localhost", false, null));
  }

  private StateStore state() {
    return new StateStore(root);
  }

  private List<OutboxEntry> alerts() {
    return new AlertOutbox(root).pending();
  }

  private String lastGood() {
    return state().read("proxy", StateFile.LAST_GOOD).map(LastGood::version).orElse(null);
  }

  @Test
  void testNotDeployedAndNothingRecorded_deploysTheLatest() {
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.DEPLOYED, r.outcome(), r.steps().toString());
    assertEquals(List.of("deploy 1.1.0+1.1"), platform.changes());
    assertEquals("1.1.0+1.1", lastGood());
    assertEquals(0, r.exitCode());
    assertEquals("deployed", state().read("proxy", StateFile.RECONCILE).orElseThrow().outcome());
  }

  @Test
  void testNotDeployedWithALastGood_deploysTheLastGoodThenUpgrades() {
    state().write("proxy", StateFile.LAST_GOOD, LastGood.now("1.0.0+1.0"));
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.APPLIED, r.outcome(), r.steps().toString());
    assertEquals(List.of("deploy 1.0.0+1.0", "deploy 1.1.0+1.1"), platform.changes());
    assertEquals("1.1.0+1.1", lastGood());
  }

  @Test
  void testAtTheLatest_isANoOpThatChangesNothing() {
    platform.deployed = "1.1.0+1.1";
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.NO_OP, r.outcome());
    assertEquals(List.of(), platform.changes());
    assertEquals("1.1.0+1.1", lastGood(), "a healthy running version with no record becomes the last-good");
  }

  @Test
  void testMinorUpgrade_appliesAndCommitsLastGood() {
    platform.deployed = "1.0.0+1.0";
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.APPLIED, r.outcome(), r.steps().toString());
    assertEquals("1.1.0+1.1", r.running());
    assertEquals("1.1.0+1.1", lastGood());
    assertEquals(List.of("deploy 1.1.0+1.1"), platform.changes(), "stateless: no undeploy, no snapshot");
    assertFalse(state().read("proxy", StateFile.JOURNAL).isPresent());
    assertTrue(alerts().isEmpty());
  }

  @Test
  void testBrokenLatest_rollsBackTheVersionAndAlertsOnce() {
    platform.deployed = "1.0.0+1.0";
    platform.failingDeploys.add("1.1.0+1.1");
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.ROLLED_BACK, r.outcome(), r.steps().toString());
    assertEquals(1, r.exitCode());
    assertEquals("1.0.0+1.0", platform.deployed);
    assertEquals("1.0.0+1.0", lastGood());
    assertEquals(List.of("deploy 1.1.0+1.1", "undeploy", "deploy 1.0.0+1.0"), platform.changes());
    assertEquals(1, alerts().size());
    assertEquals("upgrade-rolled-back", alerts().get(0).alert().kind());
    assertTrue(alerts().get(0).alert().message().contains("1.1.0+1.1 is broken"), alerts().get(0).alert().message());
    assertNull(r.snapshotId(), "a stateless app takes no snapshot");
    assertFalse(state().read("proxy", StateFile.JOURNAL).isPresent());
  }

  @Test
  void testRollbackThatFails_isRollbackFailedWithTheJournalKept() {
    platform.deployed = "1.0.0+1.0";
    platform.failingDeploys.add("1.1.0+1.1");
    platform.failingDeploys.add("1.0.0+1.0");
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.ROLLBACK_FAILED, r.outcome());
    assertEquals(ExitCode.INFRA.code(), r.exitCode());
    assertEquals("rollback-failed", alerts().get(0).alert().kind());
    assertEquals("critical", alerts().get(0).alert().severity().name().toLowerCase());
    Journal j = state().read("proxy", StateFile.JOURNAL).orElseThrow();
    assertEquals(InfraUpgrade.ROLLING_BACK, j.phase(), "warm recover retries from here");
  }

  @Test
  void testMajorBump_holdsAndAlertsOncePerTarget() {
    platform.tags.add("2.0.0+2.0");
    platform.deployed = "1.1.0+1.1";
    ReconcileResult first = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, first.outcome());
    assertEquals(3, first.exitCode());
    assertEquals(List.of(), platform.changes());
    assertEquals(1, alerts().size());
    assertEquals("upgrade-held", alerts().get(0).alert().kind());
    ReconcileResult second = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, second.outcome());
    assertEquals(1, alerts().size(), "no second alert for the same target");
    assertEquals(first.alertId(), second.alertId());
    assertEquals("2.0.0+2.0", state().read("proxy", StateFile.HOLD).orElseThrow().target());

    platform.tags.add("3.0.0+3.0");
    ReconcileResult third = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, third.outcome());
    assertEquals(2, alerts().size(), "a new target is a new hold");
  }

  /** gate.autoApply=patch holds the minor upgrade the default applies; the alert names the setting and the step. */
  @Test
  void testGateAutoApplyPatch_holdsAMinorUpgrade_andTheAlertSaysWhy() {
    platform.deployed = "1.0.0+1.0";
    InfraApp app = new InfraApp("proxy", "traefik", "proxy.ci.localhost", false, null);
    WarmConfig patch = WarmConfig.defaults().withStateRoot(root).withApps(List.of(), List.of(app))
        .withGate(new warm.core.config.GateSettings(null, null, "patch"));
    ReconcileResult r = new InfraReconciler(patch, platform, new Alerts(new AlertOutbox(root), List.of()))
        .reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, r.outcome(), r.steps().toString());
    assertEquals(List.of(), platform.changes());
    String message = alerts().get(0).alert().message();
    assertTrue(message.contains("STEP_ABOVE_AUTO_APPLY 1.1.0+1.1: a minor step (1.0.0 → 1.1.0); gate.autoApply is"
        + " patch"), message);
  }

  @Test
  void testGateSection_ofTheConfig_decidesLikeWarmGate() {
    platform.tags.add("1.2.0+1.2");
    platform.notes.put("1.2.0+1.2", "## Kubernetes\n\nThe `ingress.class` value has been removed.\n");
    platform.deployed = "1.1.0+1.1";
    InfraApp app = new InfraApp("proxy", "traefik", "proxy.ci.localhost", false, null);
    WarmConfig base = WarmConfig.defaults().withStateRoot(root).withApps(List.of(), List.of(app));
    ReconcileResult swarm = new InfraReconciler(base, platform, new Alerts(new AlertOutbox(root), List.of()))
        .reconcile("proxy", true);
    assertTrue(swarm.gate() == null || !swarm.gate().isHold(), "a Kubernetes-only note does not hold a Swarm host: "
        + swarm.steps());
    WarmConfig k8s = base.withGate(new warm.core.config.GateSettings(java.util.Map.of("kubernetes", true), null));
    ReconcileResult held = new InfraReconciler(k8s, platform, new Alerts(new AlertOutbox(root), List.of()))
        .reconcile("proxy", true);
    assertEquals(ReconcileOutcome.HELD, held.outcome(), "gate.context says Kubernetes is used: " + held.steps());
  }

  @Test
  void testHeldQuote_inTheAlert_namesItsSectionHeading() {
    platform.tags.add("1.2.0+1.2");
    platform.notes.put("1.2.0+1.2", "# Release 1.2\n\n## Upgrade notes\n\nBefore upgrading you must run the migration"
        + " script by hand.\n");
    platform.deployed = "1.1.0+1.1";
    ReconcileResult held = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, held.outcome(), held.steps().toString());
    String notes = alerts().get(0).alert().notesExcerpt();
    assertTrue(notes != null && notes.contains("1.2.0+1.2 [") && notes.contains("Upgrade notes]: ")
        && notes.contains("migration script by hand"), "quotes the note under its heading: " + notes);
  }

  @Test
  void testManualStepNote_isQuotedInTheAlert_andAnAckReleasesIt() {
    platform.tags.add("1.2.0+1.2");
    platform.notes.put("1.2.0+1.2", "Before upgrading you must run the migration script by hand.\n");
    platform.deployed = "1.1.0+1.1";
    ReconcileResult held = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, held.outcome(), held.steps().toString());
    String notes = alerts().get(0).alert().notesExcerpt();
    assertTrue(notes != null && notes.contains("migration script by hand"), "quotes the note: " + notes);

    InfraApp acked = new InfraApp("proxy", "traefik", "proxy.ci.localhost", false, null, List.of("1.2.0+1.2"));
    ReconcileResult applied = reconciler(acked).reconcile("proxy", false);
    assertEquals(ReconcileOutcome.APPLIED, applied.outcome(), applied.steps().toString());
    assertFalse(state().read("proxy", StateFile.HOLD).isPresent(), "the released hold is cleared");
  }

  private static InfraApp withUpstream(UpstreamNotesSettings u) {
    return new InfraApp("proxy", "traefik", "proxy.ci.localhost", false, null, List.of(), u);
  }

  @Test
  void testUpstreamNoteAskingForAManualStep_holdsWhileTheRecipeNoteIsEmpty() throws IOException {
    platform.tags.add("1.2.0+1.2");
    platform.deployed = "1.1.0+1.1";
    Path notes = Files.createDirectories(root.resolve("upstream-notes"));
    Files.writeString(notes.resolve("1.2.md"), "## 1.2\n\nOperators must run `migrate --all` by hand.\n");
    ReconcileResult held = reconciler(withUpstream(new UpstreamNotesSettings(notes, null, null, null)))
        .reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, held.outcome(), held.steps().toString());
    assertTrue(held.reason().contains("MANUAL_MIGRATION upstream 1.2"), held.reason());
    assertEquals(List.of(), platform.changes());
    String excerpt = alerts().get(0).alert().notesExcerpt();
    assertTrue(excerpt != null && excerpt.contains("upstream 1.2 [1.2]: Operators must run"), excerpt);
    assertTrue(held.gate().noteSources().get("upstream 1.2").endsWith("1.2.md"), held.gate().noteSources().toString());

    // Without upstream notes configured, the same step applies: the recipe's own note is empty.
    platform.deployed = "1.1.0+1.1";
    ReconcileResult plain = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.APPLIED, plain.outcome(), plain.steps().toString());
  }

  @Test
  void testUnreachableUpstreamNotes_holdByDefault() {
    platform.deployed = "1.0.0+1.0";
    ReconcileResult held = reconciler(withUpstream(new UpstreamNotesSettings(root.resolve("no-such-dir"), null,
        null, null))).reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HELD, held.outcome(), held.steps().toString());
    assertTrue(held.reason().contains("UPSTREAM_UNREACHABLE upstream 1.1"), held.reason());
    assertEquals(List.of(), platform.changes());
  }

  @Test
  void testUnreachableUpstreamNotes_proceedWithAWarningWhenConfigured() {
    platform.deployed = "1.0.0+1.0";
    ReconcileResult r = reconciler(withUpstream(new UpstreamNotesSettings(root.resolve("no-such-dir"), null, null,
        "proceed"))).reconcile("proxy", false);
    assertEquals(ReconcileOutcome.APPLIED, r.outcome(), r.steps().toString());
    assertEquals(List.of("deploy 1.1.0+1.1"), platform.changes());
    assertEquals(1, r.gate().warnings().size(), r.gate().toText());
    assertTrue(r.steps().stream().anyMatch(s -> s.startsWith("gate: WARNING upstream 1.1 not read")),
        r.steps().toString());
    assertTrue(r.gate().toJson().contains("\"warnings\":[\"upstream 1.1 not read"), r.gate().toJson());
  }

  @Test
  void testUpstreamNotesOverHttp_areCachedUnderTheStateRoot() throws IOException {
    platform.tags.add("1.2.0+1.2");
    platform.deployed = "1.1.0+1.1";
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/notes/", ex -> {
      calls.incrementAndGet();
      byte[] b = "Breaking: you must migrate the database by hand.".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      try (var out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
    try {
      String template = "http://127.0.0.1:" + server.getAddress().getPort() + "/notes/{version}";
      InfraApp app = withUpstream(new UpstreamNotesSettings(null, template, 60, null)); // a busy box is not a failure
      assertEquals(ReconcileOutcome.HELD, reconciler(app).reconcile("proxy", false).outcome());
      assertTrue(Files.isRegularFile(root.resolve("gate-cache/proxy/1.2")), "cached as <stateRoot>/gate-cache/<app>/<v>");
      ReconcileResult again = reconciler(app).reconcile("proxy", false);
      assertEquals(ReconcileOutcome.HELD, again.outcome());
      assertEquals(1, calls.get(), "the second decision reads the cache");
      assertTrue(again.gate().noteSources().get("upstream 1.2").endsWith("(cached)"), again.gate().toText());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void testHealthUrl503_rollsBackAfterHealthUrlSeconds_notAFreshHealthSeconds() throws IOException {
    // Swarm calls every deploy healthy at once (the fake); the app's health URL answers 503 while 1.1.0 runs.
    platform.deployed = "1.0.0+1.0";
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", ex -> {
      ex.sendResponseHeaders("1.1.0+1.1".equals(platform.deployed) ? 503 : 200, -1);
      ex.close();
    });
    server.start();
    try {
      InfraApp app = new InfraApp("proxy", "traefik", "proxy.ci.localhost", false,
          "http://127.0.0.1:" + server.getAddress().getPort() + "/health");
      WarmConfig c = WarmConfig.defaults().withStateRoot(root).withApps(List.of(), List.of(app))
          .withTimeouts(new Timeouts(null, null, 20, null, null, null, 2));
      ReconcileResult r = new InfraReconciler(c, platform, new Alerts(new AlertOutbox(root), List.of()))
          .reconcile("proxy", false);
      assertEquals(ReconcileOutcome.ROLLED_BACK, r.outcome(), r.steps().toString());
      assertTrue(r.reason().contains("did not answer 2xx within 2 s (last: HTTP 503)"), r.reason());
      assertEquals("1.0.0+1.0", platform.deployed);
      assertEquals("1.0.0+1.0", lastGood());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void testUnhealthyAtItsVersion_isRedeployed() {
    platform.deployed = "1.1.0+1.1";
    platform.unhealthy = "app: 0/1 running";
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertEquals(ReconcileOutcome.HEALED, r.outcome(), r.steps().toString());
    assertEquals(List.of("deploy 1.1.0+1.1"), platform.changes());
  }

  @Test
  void testBusyLock_skipsAtOnce() throws Exception {
    try (LockFile held = new AppLocks(root).tryAcquire("proxy", "nightly").orElseThrow()) {
      long t0 = System.nanoTime();
      ReconcileResult r = reconciler().reconcile("proxy", false);
      assertEquals(ReconcileOutcome.SKIPPED, r.outcome());
      assertEquals(5, r.exitCode());
      assertTrue(r.reason().contains("nightly"), r.reason());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "returns at once");
      assertEquals(List.of(), platform.calls);
    }
  }

  @Test
  void testDryRun_plansAndChangesNothing() {
    platform.deployed = "1.0.0+1.0";
    ReconcileResult r = reconciler().reconcile("proxy", true);
    assertTrue(r.dryRun());
    assertEquals(ReconcileOutcome.APPLIED, r.outcome());
    assertEquals(List.of(), platform.changes());
    assertFalse(state().read("proxy", StateFile.LAST_GOOD).isPresent());
    assertFalse(state().read("proxy", StateFile.RECONCILE).isPresent());
    assertTrue(r.steps().stream().anyMatch(s -> s.startsWith("would deploy 1.1.0+1.1")), r.steps().toString());
  }

  @Test
  void testInterruptedUpgradeJournal_isRolledBackFirst() {
    platform.deployed = "1.1.0+1.1"; // the crash left the target running
    state().write("proxy", StateFile.LAST_GOOD, LastGood.now("1.0.0+1.0"));
    state().write("proxy", StateFile.JOURNAL, new Journal("reconcile", "reconcile-dead", "proxy",
        InfraUpgrade.HEALTH_WAIT, Instant.now(), Instant.now(), Long.MAX_VALUE,
        Map.of("from", "1.0.0+1.0", "to", "1.1.0+1.1")));
    platform.failingDeploys.add("1.1.0+1.1");
    ReconcileResult r = reconciler().reconcile("proxy", false);
    assertTrue(r.steps().stream().anyMatch(s -> s.startsWith("recovered: rolled proxy back to 1.0.0+1.0 from phase"
        + " health-wait")), r.steps().toString());
    assertEquals(2, alerts().size(), "one for the interrupted upgrade, one for the failed retry");
    // After the recovery it tries again, fails again and rolls back: honest, not "applied".
    assertEquals(ReconcileOutcome.ROLLED_BACK, r.outcome());
    assertEquals("1.0.0+1.0", platform.deployed);
  }

  @Test
  void testUnknownApp_isAUsageErrorNamingTheConfiguredOnes() {
    WarmException e = assertThrows(WarmException.class, () -> reconciler().reconcile("keycloak", false));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("proxy"), e.getMessage());
  }

  @Test
  void testWorstExit_ranksFailureOverUsageOverRollbackOverHoldOverSkip() {
    assertEquals(4, ReconcileOutcome.worstExit(List.of(0, 5, 3, 1, 2, 4)));
    assertEquals(2, ReconcileOutcome.worstExit(List.of(1, 2, 3)));
    assertEquals(1, ReconcileOutcome.worstExit(List.of(3, 1, 5)));
    assertEquals(3, ReconcileOutcome.worstExit(List.of(5, 3, 0)));
    assertEquals(5, ReconcileOutcome.worstExit(List.of(0, 5)));
    assertEquals(0, ReconcileOutcome.worstExit(List.of()));
  }
}
