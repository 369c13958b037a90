package warm.core.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.KeycloakSettings;
import warm.core.process.ProcessRunner;
import warm.core.testing.Prereq;

/** The realm manager against a real Keycloak 26 (started once for the class, restarted by one test). */
@Tag("keycloak")
class KeycloakRealmManagerIT {
  private static final String OWNER = "cc-ci-warm/test.example";
  /** The production default: realm creation takes seconds when the 2 cores are busy with other suites. */
  private static final int TIMEOUT_SECONDS = 30;
  private static KeycloakServer kc;
  /** An admin session of the test itself, for checks behind the manager's back. */
  private static AdminSession probe;

  @BeforeAll
  static void startKeycloak() throws Exception {
    kc = KeycloakServer.startFresh();
    if (kc != null) {
      probe = new AdminSession(settings(kc.adminPasswordFile()), ProcessRunner.system());
    }
  }

  @BeforeEach
  void needKeycloak() {
    Prereq.require(kc != null, String.valueOf(KeycloakServer.missing()));
  }

  @AfterAll
  static void stopKeycloak() throws Exception {
    if (kc != null) {
      kc.close();
    }
  }

  static KeycloakSettings settings(Path secretFile) {
    return new KeycloakSettings(kc.url(), null, null, null, null, secretFile, null, null, null, TIMEOUT_SECONDS);
  }

  private static KeycloakRealmManager manager() {
    return new KeycloakRealmManager(settings(kc.adminPasswordFile()), OWNER, ProcessRunner.system());
  }

  private static String runId() {
    return RealmNames.randomRunId();
  }

  private static int realmStatus(String realm) {
    return probe.admin("GET", "/" + realm, null, "test probe").status();
  }

  private static int clientCredentialsStatus(RunRealm r) {
    return probe.tokenRequest(r.realm(), Map.of("grant_type", "client_credentials", "client_id", r.clientId(),
        "client_secret", r.clientSecret()), "test token").status();
  }

  @Test
  void testCreate_secretWorks_thenDelete_realmGone() throws Exception {
    KeycloakRealmManager m = manager();
    RunRealm r = m.create(new RealmRequest("nextcloud", runId(), "nextcloud-abc123.ci.example", true));

    assertEquals(kc.url() + "/realms/" + r.realm(), r.issuer());
    assertTrue(r.realm().startsWith("ccw-nextcloud-"), r.realm());
    assertEquals(200, clientCredentialsStatus(r), "client-credentials grant with the returned secret");
    var wrong = probe.tokenRequest(r.realm(), Map.of("grant_type", "client_credentials", "client_id", r.clientId(),
        "client_secret", "not-the-secret"), "test token");
    assertEquals(401, wrong.status(), "a wrong secret is refused, so the 200 above means something");
    var login = probe.tokenRequest(r.realm(), Map.of("grant_type", "password", "client_id", r.clientId(),
        "client_secret", r.clientSecret(), "username", r.testUser().username(), "password", r.testUser().password()),
        "test login");
    assertEquals(200, login.status(), "test user logs in: " + login.body());
    // The issuer is what Keycloak itself announces.
    HttpResponse<String> disc = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(r.issuer() + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(r.issuer(), AdminSession.JSON.readTree(disc.body()).path("issuer").asText());
    // Stamped as ours, with run id and a creation time.
    var attrs = probe.admin("GET", "/" + r.realm(), null, "probe").json().path("attributes");
    assertEquals(OWNER, attrs.path(RealmStamp.OWNER).asText());
    assertEquals(r.runId(), attrs.path(RealmStamp.RUN).asText());
    assertEquals("nextcloud-abc123_ci_example", attrs.path(RealmStamp.STACK).asText());
    assertTrue(Duration.between(Instant.parse(attrs.path(RealmStamp.CREATED).asText()), Instant.now()).abs()
        .compareTo(Duration.ofMinutes(2)) < 0);
    // Secrets stay out of the printable form.
    assertFalse(r.toString().contains(r.clientSecret()));
    assertFalse(r.toString().contains(r.testUser().password()));

    assertEquals(DeleteOutcome.DELETED, m.delete(r.realm()));
    assertEquals(404, realmStatus(r.realm()));
    assertEquals(DeleteOutcome.ABSENT, m.delete(r.realm()), "delete is idempotent");
  }

  @Test
  void testCreate_fiveConcurrentRunsOfOneRecipe_distinctRealms_allDeleted() throws Exception {
    KeycloakRealmManager m = manager();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Future<RunRealm>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        // Each run has its own id, as concurrent cold runs have their own 6-hex suffix.
        String hex = String.format("%06x", new SecureRandom().nextInt(1 << 24));
        futures.add(pool.submit(() -> m.create(new RealmRequest("wordpress", hex, "wordpress-" + hex + ".ci.example",
            false))));
      }
      List<RunRealm> realms = new ArrayList<>();
      for (Future<RunRealm> f : futures) {
        realms.add(f.get());
      }
      Set<String> names = new HashSet<>();
      realms.forEach(r -> names.add(r.realm()));
      assertEquals(5, names.size(), "five distinct realms: " + names);
      for (RunRealm r : realms) {
        assertEquals(200, realmStatus(r.realm()));
        assertEquals(200, clientCredentialsStatus(r));
      }
      List<Future<DeleteOutcome>> deletes = new ArrayList<>();
      realms.forEach(r -> deletes.add(pool.submit(() -> m.delete(r.realm()))));
      for (Future<DeleteOutcome> d : deletes) {
        assertEquals(DeleteOutcome.DELETED, d.get());
      }
      for (RunRealm r : realms) {
        assertEquals(404, realmStatus(r.realm()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void testCreate_sameRunIdTwice_usageError_firstRealmIntact() {
    KeycloakRealmManager m = manager();
    String id = runId();
    RunRealm first = m.create(new RealmRequest("gitea", id, "gitea.ci.example", false));
    try {
      WarmException e = assertThrows(WarmException.class,
          () -> m.create(new RealmRequest("gitea", id, "gitea.ci.example", false)));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
      assertEquals(200, clientCredentialsStatus(first), "the first run's realm and secret still work");
    } finally {
      m.delete(first.realm());
    }
  }

  @Test
  void testCreate_failureAfterRealmExists_realmRemovedAgain() {
    // Keycloak refuses a javascript: redirect URI, so the client step fails after the realm was made.
    KeycloakSettings bad = new KeycloakSettings(kc.url(), null, null, null, null, kc.adminPasswordFile(), null, null,
        List.of("javascript:alert(1)"), TIMEOUT_SECONDS);
    KeycloakRealmManager m = new KeycloakRealmManager(bad, OWNER, ProcessRunner.system());
    String id = runId();
    KeycloakException e = assertThrows(KeycloakException.class,
        () -> m.create(new RealmRequest("bad", id, "bad.ci.example", false)));
    assertTrue(e.getMessage().contains("Keycloak at " + kc.url()), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
    assertEquals(404, realmStatus(RealmNames.realmName("bad", id)), "half-made realm was removed");
  }

  @Test
  void testCreate_keycloakGoneAfterRealmMade_realmLeftForReap_thenReaped() throws Exception {
    // A TCP proxy in front of the real Keycloak that dies at the client step: the realm exists, then the client
    // call and the cleanup both fail, exactly as if Keycloak died in the middle of a create.
    DyingProxy proxy = new DyingProxy(Integer.parseInt(kc.url().substring(kc.url().lastIndexOf(':') + 1)),
        Pattern.compile("POST /admin/realms/[^/ ]+/clients HTTP"));
    String proxyUrl = "http://127.0.0.1:" + proxy.port();
    try {
      // 30 s, not 5: on a loaded CI host the realm create itself took longer than 5 s; the dying step fails at once.
      KeycloakSettings viaProxy = new KeycloakSettings(proxyUrl, null, null, null, null, kc.adminPasswordFile(), null,
          null, null, 30);
      KeycloakRealmManager m = new KeycloakRealmManager(viaProxy, OWNER, ProcessRunner.system());
      String id = runId();
      KeycloakException e = assertThrows(KeycloakException.class,
          () -> m.create(new RealmRequest("dies", id, "dies-" + id + ".ci.example", false)));
      String msg = e.getMessage();
      assertTrue(msg.startsWith("Keycloak at " + proxyUrl + " "), msg);
      assertTrue(msg.contains("while creating client 'dies' in realm 'ccw-dies-" + id + "'"), msg);
      assertTrue(msg.endsWith("realm 'ccw-dies-" + id + "' could not be removed again and is left for 'warm sso reap'"),
          msg);
      assertFalse(msg.contains(kc.adminPassword()));
      assertEquals(1, e.getSuppressed().length, "the cleanup failure is kept");
      assertTrue(e.getSuppressed()[0].getMessage().contains("while deleting realm 'ccw-dies-" + id + "'"),
          e.getSuppressed()[0].getMessage());
      // The realm is really there, stamped; a reap against the real Keycloak removes it.
      assertEquals(200, realmStatus("ccw-dies-" + id));
      ReapReport report = manager().reap(stack -> !stack.equals("dies-" + id + "_ci_example"),
          new ReapPolicy(Duration.ofHours(6), Duration.ZERO, false));
      assertTrue(realmsWith(report, ReapReport.Action.DELETED).contains("ccw-dies-" + id), report.toString());
      assertEquals(404, realmStatus("ccw-dies-" + id));
      assertTrue(proxy.died(), "the proxy really went away at the client step");
    } finally {
      proxy.close();
    }
  }

  @Test
  void testDelete_refusesMasterAndRealmsNotOurs() {
    KeycloakRealmManager m = manager();
    String foreign = "foreign-" + runId();
    ObjectNode rep = AdminSession.JSON.createObjectNode().put("realm", foreign).put("enabled", true);
    assertEquals(201, probe.admin("POST", "", rep, "probe").status());
    KeycloakRealmManager otherInstallation = new KeycloakRealmManager(settings(kc.adminPasswordFile()),
        "cc-ci-warm/other.example", ProcessRunner.system());
    RunRealm others = otherInstallation.create(new RealmRequest("gitea", runId(), "gitea.other.example", false));
    try {
      for (String realm : List.of("master", foreign, others.realm())) {
        WarmException e = assertThrows(WarmException.class, () -> m.delete(realm));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("refusing to delete realm '" + realm + "'"), e.getMessage());
        assertEquals(200, realmStatus(realm), realm + " untouched");
      }
      assertThrows(WarmException.class, () -> m.delete("../master"));
    } finally {
      probe.admin("DELETE", "/" + foreign, null, "cleanup");
      otherInstallation.delete(others.realm());
    }
  }

  @Test
  void testReap_deletesExpiredAndDeadRuns_keepsLiveYoungMasterAndForeign() {
    Clock eightHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-8));
    Clock hourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
    KeycloakSettings s = settings(kc.adminPasswordFile());
    var old = new KeycloakRealmManager(s, OWNER, ProcessRunner.system(), eightHoursAgo);
    var mid = new KeycloakRealmManager(s, OWNER, ProcessRunner.system(), hourAgo);
    KeycloakRealmManager now = manager();
    String tag = runId();
    RunRealm expiredAlive = old.create(new RealmRequest("reap", tag + "-exp", "live-" + tag + ".ci.example", false));
    RunRealm dead = mid.create(new RealmRequest("reap", tag + "-dead", "dead-" + tag + ".ci.example", false));
    RunRealm live = mid.create(new RealmRequest("reap", tag + "-live", "live-" + tag + ".ci.example", false));
    RunRealm youngDead = now.create(new RealmRequest("reap", tag + "-young", "dead2-" + tag + ".ci.example", false));
    String foreign = "ccw-reap-" + tag + "-foreign";
    assertEquals(201, probe.admin("POST", "", AdminSession.JSON.createObjectNode().put("realm", foreign)
        .put("enabled", true), "probe").status());
    var other = new KeycloakRealmManager(s, "cc-ci-warm/other.example", ProcessRunner.system(), eightHoursAgo);
    RunRealm othersOld = other.create(new RealmRequest("reap", tag + "-other", "dead-" + tag + ".other", false));
    Set<String> aliveStacks = Set.of("live-" + tag + "_ci_example");
    List<String> asked = new ArrayList<>();
    RunLiveness liveness = stack -> {
      asked.add(stack);
      return aliveStacks.contains(stack);
    };
    try {
      ReapPolicy policy = new ReapPolicy(Duration.ofHours(6), Duration.ofMinutes(30), true);
      ReapReport dry = now.reap(liveness, policy);
      assertEquals(Set.of(expiredAlive.realm(), dead.realm()), realmsWith(dry, ReapReport.Action.WOULD_DELETE));
      assertEquals(200, realmStatus(dead.realm()), "dry run deletes nothing");

      ReapReport report = now.reap(liveness, new ReapPolicy(Duration.ofHours(6), Duration.ofMinutes(30), false));
      assertEquals(Set.of(expiredAlive.realm(), dead.realm()), realmsWith(report, ReapReport.Action.DELETED));
      assertTrue(realmsWith(report, ReapReport.Action.KEPT).containsAll(Set.of(live.realm(), youngDead.realm())));
      assertTrue(reasonOf(report, expiredAlive.realm()).startsWith("expired"), reasonOf(report, expiredAlive.realm()));
      assertTrue(reasonOf(report, dead.realm()).startsWith("run gone"), reasonOf(report, dead.realm()));
      assertTrue(reasonOf(report, youngDead.realm()).startsWith("young"));
      assertTrue(report.notOurs() >= 3, "master, the foreign realm and the other installation's: " + report.notOurs());
      assertFalse(asked.contains("dead-" + tag + "_other"), "other installations' runs are not even judged");
      assertEquals(404, realmStatus(expiredAlive.realm()));
      assertEquals(404, realmStatus(dead.realm()));
      for (String kept : List.of(live.realm(), youngDead.realm(), foreign, othersOld.realm(), "master")) {
        assertEquals(200, realmStatus(kept), kept + " kept");
      }
      assertFalse(report.hasFailures());

      // With no grace, the young realm of a dead run goes too; a liveness check that cannot tell keeps a realm.
      RunLiveness broken = stack -> {
        if (stack.startsWith("live-")) {
          throw new WarmException(ExitCode.INFRA, "docker is down");
        }
        return false;
      };
      ReapReport second = now.reap(broken, new ReapPolicy(Duration.ofHours(6), Duration.ZERO, false));
      assertTrue(realmsWith(second, ReapReport.Action.DELETED).contains(youngDead.realm()));
      assertTrue(realmsWith(second, ReapReport.Action.FAILED).contains(live.realm()));
      assertTrue(second.hasFailures());
      assertEquals(200, realmStatus(live.realm()));
    } finally {
      now.delete(live.realm());
      now.delete(youngDead.realm());
      probe.admin("DELETE", "/" + foreign, null, "cleanup");
      other.delete(othersOld.realm());
    }
  }

  @Test
  void testSession_runLongerThanTokenLifetime_keepsWorking() throws Exception {
    // Shorten the admin token lifetime of this test server to 5 s, so "longer than the token lifetime" is cheap.
    setMasterTokenLifespan(5);
    try {
      KeycloakRealmManager m = manager();
      RunRealm r = m.create(new RealmRequest("longrun", runId(), "longrun.ci.example", false));
      long end = System.nanoTime() + Duration.ofSeconds(14).toNanos();
      int calls = 0;
      while (System.nanoTime() < end) {
        m.reap(stack -> true, new ReapPolicy(Duration.ofHours(6), Duration.ZERO, true));
        calls++;
        Thread.sleep(700);
      }
      assertEquals(DeleteOutcome.DELETED, m.delete(r.realm()));
      int renewals = m.session().logins() + m.session().refreshes();
      assertTrue(renewals >= 3, "14 s with 5 s tokens needs renewals; got logins=" + m.session().logins()
          + " refreshes=" + m.session().refreshes() + " over " + calls + " calls");

      // A token Keycloak no longer honours (all admin sessions logged out) is replaced transparently.
      int logins = m.session().logins();
      int refreshes = m.session().refreshes();
      assertEquals(200, probe.admin("POST", "/master/logout-all", null, "probe").status());
      m.reap(stack -> true, new ReapPolicy(Duration.ofHours(6), Duration.ZERO, true));
      assertEquals(logins + 1, m.session().logins(), "one fresh login after the 401");
      assertEquals(refreshes, m.session().refreshes(), "a revoked session is not refreshed, it is replaced");
    } finally {
      setMasterTokenLifespan(60);
    }
  }

  private static void setMasterTokenLifespan(int seconds) {
    ObjectNode rep = AdminSession.JSON.createObjectNode().put("accessTokenLifespan", seconds);
    assertEquals(204, probe.admin("PUT", "/master", rep, "probe").status());
  }

  @Test
  void testAdminGrant_clientCredentials_andSecretCommand() {
    KeycloakSettings cc = new KeycloakSettings(kc.url(), null, "client_credentials", null, KeycloakServer.ADMIN_CLIENT,
        null, List.of("cat", kc.adminClientSecretFile().toString()), null, null, TIMEOUT_SECONDS);
    KeycloakRealmManager m = new KeycloakRealmManager(cc, OWNER, ProcessRunner.system());
    RunRealm r = m.create(new RealmRequest("cc", runId(), "cc.ci.example", false));
    assertEquals(200, clientCredentialsStatus(r));
    assertEquals(DeleteOutcome.DELETED, m.delete(r.realm()));
  }

  @Test
  void testWrongCredentials_clearError_noSecretInMessage() throws Exception {
    Path wrong = Files.createTempFile("wrong-pw", "");
    String wrongPassword = "wrong-" + runId();
    Files.writeString(wrong, wrongPassword);
    try {
      KeycloakRealmManager m = new KeycloakRealmManager(settings(wrong), OWNER, ProcessRunner.system());
      KeycloakException e = assertThrows(KeycloakException.class,
          () -> m.create(new RealmRequest("x", runId(), "x.ci.example", false)));
      assertEquals(ExitCode.INFRA, e.exitCode());
      assertEquals(401, e.status());
      assertTrue(e.getMessage().startsWith("Keycloak at " + kc.url() + " rejected the admin credentials"),
          e.getMessage());
      assertFalse(e.getMessage().contains(wrongPassword));
      assertFalse(e.getMessage().contains("\n"));
    } finally {
      Files.delete(wrong);
    }
  }

  @Test
  void testKeycloakStoppedMidRun_clearError_thenReapRemovesLeftovers() throws Exception {
    KeycloakRealmManager m = manager();
    RunRealm r = m.create(new RealmRequest("midrun", runId(), "midrun-" + runId() + ".ci.example", false));
    kc.stop();
    try {
      List<RuntimeException> failures = new ArrayList<>();
      failures.add(assertThrows(KeycloakException.class, () -> m.delete(r.realm())));
      failures.add(assertThrows(KeycloakException.class,
          () -> m.create(new RealmRequest("midrun", runId(), "midrun.ci.example", false))));
      failures.add(assertThrows(KeycloakException.class,
          () -> m.reap(stack -> false, new ReapPolicy(Duration.ofHours(6), Duration.ZERO, false))));
      for (RuntimeException f : failures) {
        String msg = f.getMessage();
        assertTrue(msg.startsWith("Keycloak at " + kc.url() + " is unreachable while "), msg);
        assertTrue(msg.contains("connection refused"), msg);
        assertFalse(msg.contains(kc.adminPassword()), msg);
        assertFalse(msg.contains(r.clientSecret()), msg);
        assertEquals(ExitCode.INFRA, ((WarmException) f).exitCode());
      }
    } finally {
      kc.start();
    }
    // The failed run could not delete its realm; once Keycloak is back, the same manager reaps it.
    assertEquals(200, realmStatus(r.realm()));
    ReapReport report = m.reap(stack -> !stack.startsWith("midrun-"),
        new ReapPolicy(Duration.ofHours(6), Duration.ZERO, false));
    assertTrue(realmsWith(report, ReapReport.Action.DELETED).contains(r.realm()), report.toString());
    assertEquals(404, realmStatus(r.realm()));
  }

  private static Set<String> realmsWith(ReapReport report, ReapReport.Action action) {
    Set<String> s = new HashSet<>();
    report.entries().stream().filter(e -> e.action() == action).forEach(e -> s.add(e.realm()));
    return s;
  }

  private static String reasonOf(ReapReport report, String realm) {
    return report.entries().stream().filter(e -> e.realm().equals(realm)).findFirst().orElseThrow().reason();
  }
}
