package warm.nightly.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.QuickBed.Run;
import warm.nightly.testing.QuickBed;
import warm.snapshot.SnapshotStore;

/**
 * The quick lane end to end on the real Swarm, through the built distribution ({@code java -p lib -m warm.quick}),
 * with real processes killed mid-run. One canonical of the sample recipe is seeded once and shared by the tests in
 * order; every test checks that its known-good never changes.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickLaneIT {
  private static final ObjectMapper JSON = QuickBed.JSON;
  private static final ProcessRunner RUNNER = QuickBed.RUNNER;
  private static QuickBed bed;
  private static Path root;
  private static Path config;
  private static WarmConfig cfg;
  private static Platform platform;
  private static AppRef canonicalApp;
  private static CanonicalRecord seeded;
  private static Path good;
  private static Path assertOk;

  @BeforeAll
  static void seed() throws Exception {
    bed = QuickBed.seed("qit", "sample");
    root = bed.root();
    config = bed.config();
    cfg = bed.cfg();
    platform = bed.platform();
    canonicalApp = bed.app();
    seeded = bed.seeded();
    good = bed.checkout("good", c -> c.replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good"));
    assertOk = bed.script("assert-ok.sh", """
        c=$(docker ps -q --filter label=com.docker.swarm.service.name=${WARM_STACK}_app | head -1)
        [ -n "$c" ] || { echo "no container of $WARM_STACK"; exit 1; }
        [ "$WARM_MODE" = quick ] || exit 1
        docker exec "$c" wget -qO- http://127.0.0.1:8080/ | grep -q initialised
        """);
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  @Test
  @Order(1)
  void testNoCanonical_exit3_createsNothing() throws Exception {
    Run r = bed.quick("other", good, "true");
    assertEquals(3, r.exit(), r.toString());
    assertEquals("no-canonical", r.result().path("outcome").asText());
    assertTrue(r.err().contains("no canonical for other — run cold first"), r.err());
    assertFalse(Files.exists(root.resolve("state/other/canonical.json")));
  }

  @Test
  @Order(2)
  void testPass_keepsKnownGoodByteIdentical_volumesDirty() throws Exception {
    Run r = bed.quick("sample", good, assertOk.toString());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("pass", r.result().path("outcome").asText());
    assertEquals("quick", r.result().path("mode").asText());
    assertEquals("lower", r.result().path("confidence").asText());
    assertEquals(seeded.snapshotId(), r.result().path("canonical").path("snapshotId").asText());
    assertEquals(VolumeState.dirty(r.result().path("runId").asText()).state(), bed.volumeState().state());
    bed.assertUndeployRequested();
    bed.assertKnownGoodUnchanged();
    // PR-mutated data stays on the volume after a PASS
    assertTrue(Files.readString(bed.volume().resolve("boots.log")).contains("boot pr-good"));
  }

  @Test
  @Order(3)
  void testNextRun_restoresBeforeDeploy() throws Exception {
    Run r = bed.quick("sample", good, bed.script("assert-restored.sh", """
        c=$(docker ps -q --filter label=com.docker.swarm.service.name=${WARM_STACK}_app | head -1)
        # restored before the deploy: the known-good's boots.log had one boot; now known-good boot + PR boot
        n=$(docker exec "$c" cat /data/boots.log | wc -l)
        [ "$n" -eq 3 ] || { echo "boots.log has $n lines"; exit 1; }
        """).toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.result().path("restored").asBoolean(), "a dirty canonical is restored first");
    // issue 17: only what the PASSed run changed went back (the seed's change record), and the result says so
    var before = r.result().path("restores").path("beforeRun");
    assertEquals("delta", before.path("kind").asText(), r.result().toString());
    assertTrue(before.path("entriesTouched").asInt() > 0, r.result().toString());
    assertTrue(before.path("changed").toString().contains("boots.log"), r.result().toString());
    bed.assertKnownGoodUnchanged();
  }

  @Test
  @Order(4)
  void testFail_assertion_restoresKnownGood_andCanonicalBootsHealthy() throws Exception {
    Run r = bed.quick("sample", good, "false");
    assertEquals(1, r.exit(), r.toString());
    bed.assertFailRestored(r.result());
    // the FAIL rollback put back only what the PR's boot changed (the record of the restore before the run)
    assertEquals("delta", r.result().path("restores").path("rollback").path("kind").asText(), r.result().toString());
    // the operator CLI sees the same: app-mode verify (platform volumes, content hashes) passes, and a hand-made
    // snapshot of a canonical is refused (I1)
    Run verify = bed.nightly("verify", "--app", "sample", "--verify-content", "--config", config.toString());
    assertEquals(0, verify.exit(), verify.err());
    Run snap = bed.nightly("snapshot", "--app", "sample", "--config", config.toString());
    assertEquals(2, snap.exit(), snap.err());
    assertTrue(snap.err().contains("is a canonical"), snap.err());
    // the canonical boots healthy at its known-good version with its data
    platform.deploy(canonicalApp, seeded.version());
    assertEquals(seeded.version(), platform.deployed(canonicalApp).orElseThrow().version());
    assertTrue(Files.readString(bed.volume().resolve("www/index.html")).contains("initialised by 1.0.0+1.0"));
    platform.undeploy(canonicalApp);
    // that boot dirtied the volume: mark it so, as the next quick run must restore
    new StateStore(cfg.stateRoot()).write("sample", StateFile.VOLUME_STATE, VolumeState.dirty("it-boot"));
  }

  @Test
  @Order(5)
  void testFail_prComposeDoesNotDeploy() throws Exception {
    Path broken = bed.checkout("nodeploy", c -> c.replace("      - db_password\n", "      - db_password\n      - nosuch\n")
        .replace("secrets:\n  db_password:", "secrets:\n  nosuch:\n    external: true\n    name: nosuch_secret_v9\n  db_password:"));
    Run r = bed.quick("sample", broken, assertOk.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.result().path("reason").asText().contains("did not deploy"), r.result().toString());
    bed.assertFailRestored(r.result());
  }

  @Test
  @Order(6)
  void testFail_prDeploysUnhealthy() throws Exception {
    Path sick = bed.checkout("unhealthy", c -> c.replace("test -f /data/initialised &&", "false &&")
        .replace("start_period: 600s", "start_period: 1s"));
    Run r = bed.quick("sample", sick, assertOk.toString());
    assertEquals(1, r.exit(), r.toString());
    // the sample's restart policy (on-failure, bounded attempts) lets Swarm give up on the unhealthy task, which ends
    // the health wait at once; past the bound first, the wait's own reason
    String reason = r.result().path("reason").asText();
    assertTrue(reason.contains("Swarm gave up") || reason.contains("did not become healthy"), r.result().toString());
    bed.assertFailRestored(r.result());
  }

  @Test
  @Order(7)
  void testSigkillAfterReattach_nextInvocationRecovers() throws Exception {
    killAndRecover("deploying-known-good", assertOk);
  }

  @Test
  @Order(8)
  void testSigkillAfterChaosDeploy_nextInvocationRecovers() throws Exception {
    killAndRecover("testing", bed.script("slow-assert.sh", "echo $$ > " + root.resolve("assert-pid") + "; exec sleep 60"));
  }

  @Test
  @Order(9)
  void testSigkillDuringAssertion_nextInvocationRecovers() throws Exception {
    Path started = root.resolve("assert-started");
    killAndRecoverWhen(() -> Files.exists(started), bed.script("marked-assert.sh",
        "echo $$ > " + root.resolve("assert-pid") + "; touch " + started + "; exec sleep 60"));
    Files.deleteIfExists(started);
  }

  @Test
  @Order(10)
  void testSigkillDuringRestore_nextInvocationRecovers() throws Exception {
    killAndRecover("rolling-back", Path.of("/bin/false"));
  }

  @Test
  @Order(11)
  void testSigtermDuringAssertion_failPathCompletesBeforeExit() throws Exception {
    Path started = root.resolve("term-started");
    Path result = root.resolve("term-result.json");
    Process p = bed.start("sample", good, result, bed.script("term-assert.sh", "touch " + started + "; sleep 60").toString());
    QuickBed.waitFor(() -> Files.exists(started), Duration.ofSeconds(120), "assertion start");
    p.destroy(); // SIGTERM, as a CI cancel sends
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "process ended after SIGTERM");
    JsonNode r = JSON.readTree(result.toFile());
    assertEquals("fail", r.path("outcome").asText(), r.toString());
    assertTrue(r.path("reason").asText().contains("cancelled"), r.toString());
    assertTrue(r.path("restored").asBoolean());
    assertFalse(Files.exists(bed.journal()), "journal removed: the FAIL path completed");
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), bed.volumeState().state());
    bed.assertNothingRunning();
    bed.assertKnownGoodUnchanged();
  }

  @Test
  @Order(12)
  void testTwoConcurrentRuns_neverInterleave() throws Exception {
    Path log = root.resolve("interleave.log");
    Path a = bed.script("interleave.sh", "echo \"start $WARM_RUN_ID $(date +%s%N)\" >> " + log
        + "; sleep 3; echo \"end $WARM_RUN_ID $(date +%s%N)\" >> " + log);
    Path ra = root.resolve("ra.json");
    Path rb = root.resolve("rb.json");
    Process pa = bed.start("sample", good, ra, a.toString());
    Process pb = bed.start("sample", good, rb, a.toString());
    assertTrue(pa.waitFor(400, TimeUnit.SECONDS) && pb.waitFor(400, TimeUnit.SECONDS));
    assertEquals(0, pa.exitValue());
    assertEquals(0, pb.exitValue());
    List<String> lines = Files.readAllLines(log);
    assertEquals(4, lines.size(), lines.toString());
    // start A, end A, start B, end B: the second run's assertions begin only after the first run ended
    assertEquals(lines.get(0).split(" ")[1], lines.get(1).split(" ")[1], lines.toString());
    assertTrue(lines.get(0).startsWith("start") && lines.get(1).startsWith("end") && lines.get(2).startsWith("start"));
    assertNotEquals(JSON.readTree(ra.toFile()).path("runId").asText(), JSON.readTree(rb.toFile()).path("runId").asText());
    bed.assertKnownGoodUnchanged();
  }

  @Test
  @Order(13)
  void testSso_realmWorksDuringRun_deletedAfter_andRecoveryRemovesIt() throws Exception {
    Path repo = Distribution.repoRoot();
    String home = System.getenv("WARM_KEYCLOAK_HOME");
    Prereq.require(home != null && Files.isDirectory(Path.of(home)),
        "WARM_KEYCLOAK_HOME is not a prepared Keycloak (run scripts/keycloak.sh prepare)");
    Path kc = root.resolve("keycloak");
    var started = RUNNER.run(Command.of("bash", repo.resolve("scripts/keycloak.sh").toString(), "start", kc.toString())
        .withTimeout(Duration.ofMinutes(5)));
    assertTrue(started.ok(), started.outputTail());
    try {
      String url = started.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();
      Path ssoConfig = root.resolve("config-sso.json");
      Files.writeString(ssoConfig, Files.readString(config).replaceFirst("\\{", """
          {"keycloak": {"url": "%s", "grant": "password", "username": "admin", "secretFile": "%s"},
          """.formatted(url, kc.resolve("admin-password"))));
      Path realmFile = root.resolve("sso-realm.txt");
      Path ssoAssert = bed.script("assert-sso.sh", """
          [ -n "$WARM_SSO_REALM" ] && [ -n "$WARM_SSO_CLIENT_SECRET" ] || { echo "no SSO variables"; exit 1; }
          echo "$WARM_SSO_REALM" > %s
          echo "$WARM_SSO_CLIENT_SECRET" > %s
          curl -sf -o /dev/null -d grant_type=client_credentials -d client_id="$WARM_SSO_CLIENT_ID" \
            -d client_secret="$WARM_SSO_CLIENT_SECRET" "$WARM_SSO_ISSUER/protocol/openid-connect/token"
          """.formatted(realmFile, root.resolve("sso-secret.txt")));
      Path result = root.resolve("sso-result.json");
      Process p = bed.start(ssoConfig, List.of("--sso"), "sample", good, result, ssoAssert.toString());
      String err = QuickBed.finish(p, Duration.ofSeconds(300));
      assertEquals(0, p.exitValue(), err);
      String realm = Files.readString(realmFile).strip();
      assertEquals(404, realmStatus(url, realm), "realm deleted after the run");
      String secret = Files.readString(root.resolve("sso-secret.txt")).strip();
      assertTrue(secret.length() >= 16, "the runner got a client secret");
      assertFalse(Files.readString(result).contains(secret), "no client secret in the result JSON (I10)");
      assertFalse(err.contains(secret), "no client secret in the logs (I10)");

      // SIGKILL during the assertion of an SSO run: recovery deletes the realm
      Path ssoStarted = root.resolve("sso-started");
      Process k = bed.start(ssoConfig, List.of("--sso"), "sample", good, root.resolve("sso-killed.json"),
          bed.script("sso-slow.sh", "echo \"$WARM_SSO_REALM\" > " + realmFile + "; touch " + ssoStarted
              + "; echo $$ > " + root.resolve("assert-pid") + "; exec sleep 60").toString());
      QuickBed.waitFor(() -> Files.exists(ssoStarted), Duration.ofSeconds(180), "SSO assertion start");
      String leftover = Files.readString(realmFile).strip();
      assertEquals(200, realmStatus(url, leftover), "realm exists during the run");
      k.destroyForcibly();
      k.waitFor(30, TimeUnit.SECONDS);
      killLeftoverAssertion();
      Run r = bed.warmQuick(ssoConfig, "recover", "--recipe", "sample");
      assertEquals(0, r.exit(), r.toString());
      assertEquals(404, realmStatus(url, leftover), "no realm left behind after recovery");
      bed.assertNothingRunning();
      bed.assertKnownGoodUnchanged();
    } finally {
      RUNNER.run(Command.of("bash", repo.resolve("scripts/keycloak.sh").toString(), "stop", kc.toString())
          .withTimeout(Duration.ofMinutes(1)));
    }
  }

  private static int realmStatus(String url, String realm) throws Exception {
    var c = HttpClient.newHttpClient();
    return c.send(HttpRequest.newBuilder(URI.create(url + "/realms/" + realm
        + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  @Order(14)
  void testSplitMode_prepareThenFinish_otherRunsWaitForTheLease() throws Exception {
    Path envFile = root.resolve("prepared.env");
    Path prepResult = root.resolve("prepare.json");
    Process prep = bed.launch(List.of("prepare", "--config", config.toString(), "--recipe", "sample", "--checkout",
        good.toString(), "--json", prepResult.toString(), "--env-file", envFile.toString())).start();
    String prepErr = QuickBed.finish(prep, Duration.ofSeconds(300));
    assertEquals(0, prep.exitValue(), prepErr);
    String runId = JSON.readTree(prepResult.toFile()).path("runId").asText();
    assertEquals("prepared", bed.journalPhase());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(envFile)));
    String env = Files.readString(envFile);
    assertTrue(env.contains("WARM_DOMAIN=" + seeded.domain()) && env.contains("WARM_RUN_ID=" + runId), env);
    assertTrue(platform.deployed(canonicalApp).orElseThrow().chaos(), "the PR head is deployed and left running");

    // a full run of the same recipe waits for the prepared run's finish
    Path waitingErr = root.resolve("after-lease.err");
    Process waiting = bed.startLogged(waitingErr, "sample", good, root.resolve("after-lease.json"), assertOk.toString());
    QuickBed.waitFor(() -> read(waitingErr).contains("is leased by prepared quick run " + runId), Duration.ofMinutes(2),
        "the second run to say it waits for the prepared run's lease");
    assertTrue(waiting.isAlive(), "it waits rather than failing or going ahead");
    assertEquals("prepared", bed.journalPhase(), "the waiting run did not touch the prepared one");

    Run fin = bed.warmQuick("finish", "--recipe", "sample", "--run-id", runId, "--outcome", "fail");
    assertEquals(1, fin.exit(), fin.toString());
    assertTrue(waiting.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, waiting.exitValue(), "the waiting run ran after the finish");
    assertTrue(JSON.readTree(root.resolve("after-lease.json").toFile()).path("restored").asBoolean() == false,
        "finish restored the known-good: the next run found the volumes clean");
    bed.assertKnownGoodUnchanged();
  }

  @Test
  @Order(15)
  void testRollbackFailure_isAnErrorWithExit4AndCriticalAlert() throws Exception {
    // Last test: damage the known-good's data on purpose so a restore cannot succeed (I6: a failed rollback is
    // never reported as a plain failure). First a FAIL run with the known-good intact: the volumes are then clean
    // and match its manifest (D4 checks that, so a forged clean@ state would not do), and the restore happens only
    // in the FAIL path.
    Run clean = bed.quick("sample", good, "false");
    assertEquals(1, clean.exit(), clean.toString());
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), bed.volumeState().state());
    Path data = root.resolve("state/sample/snapshots/known-good").toRealPath().resolve("data");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.writeString(f, "not what the manifest says");
      }
    }
    Run r2 = bed.quick("sample", good, "false");
    assertEquals(4, r2.exit(), r2.toString());
    assertEquals("error", r2.result().path("outcome").asText(), r2.result().toString());
    assertTrue(r2.result().path("reason").asText().contains("rollback FAILED"), r2.result().toString());
    assertTrue(Files.exists(bed.journal()), "the journal stays for the next recovery attempt");
    // The failed restore left the volumes dirty: the next run restores first — and fails there.
    new StateStore(cfg.stateRoot()).delete("sample", StateFile.JOURNAL);
    assertTrue(bed.volumeState().state().startsWith("dirty@"), bed.volumeState().state());
    Run r = bed.quick("sample", good, "false");
    assertEquals(4, r.exit(), r.toString());
    assertEquals("error", r.result().path("outcome").asText(), r.result().toString());
    assertTrue(r.result().path("reason").asText().contains("restore of the known-good before the run failed"),
        r.result().toString());
    assertTrue(Files.exists(bed.journal()), "the journal stays for the next recovery attempt");
    bed.assertNothingRunning();
    String alerts;
    try (Stream<Path> s = Files.list(root.resolve("state/alerts/outbox"))) {
      alerts = s.map(p -> {
        try {
          return Files.readString(p);
        } catch (IOException e) {
          return "";
        }
      }).reduce("", String::concat);
    }
    assertTrue(alerts.contains("quick-restore-failed") && alerts.contains("quick-rollback-failed"), alerts);
    assertTrue(alerts.contains("critical"), alerts);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private void killAndRecover(String phase, Path assertion) throws Exception {
    killAndRecoverWhen(() -> phase.equals(bed.journalPhase()), assertion);
  }

  private void killAndRecoverWhen(BooleanSupplier when, Path assertion) throws Exception {
    Process p = bed.start("sample", good, root.resolve("killed.json"), assertion.toString());
    QuickBed.waitFor(when, Duration.ofSeconds(180), "kill point");
    p.destroyForcibly(); // SIGKILL: no hook runs
    p.waitFor(30, TimeUnit.SECONDS);
    killLeftoverAssertion();
    assertTrue(Files.exists(bed.journal()), "the killed run left its journal");
    Run r = bed.warmQuick("recover", "--recipe", "sample");
    assertEquals(0, r.exit(), r.toString());
    assertFalse(Files.exists(bed.journal()), "recovered: journal removed");
    bed.assertNothingRunning();
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), bed.volumeState().state());
    assertTrue(SnapshotStore.forApp(cfg.stateRoot(), "sample").verify(bed.volumes(), true).identical(),
        "volumes equal the known-good after recovery");
    bed.assertKnownGoodUnchanged();
  }

  /**
   * Kills the assertion a SIGKILLed run left behind, by the pid it recorded ({@code exec} makes that the sleep
   * itself): only a process this test started, never one found by name (other engineers' tests share the machine).
   * An assertion killed before it recorded its pid ends on its own within a minute and touches nothing.
   */
  private void killLeftoverAssertion() throws IOException {
    Path pid = root.resolve("assert-pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
      Files.delete(pid);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
