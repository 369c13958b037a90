package warm.nightly.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.Prereq;
import warm.quick.QuickLanes;
import warm.snapshot.SnapshotStore;

/**
 * The quick lane end to end on the real Swarm, through the built distribution ({@code java -p lib -m warm.quick}),
 * with real processes killed mid-run. One canonical of the sample recipe is seeded once and shared by the tests in
 * order; every test checks that its known-good never changes.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickLaneIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private static Path root;
  private static Path config;
  private static WarmConfig cfg;
  private static Platform platform;
  private static AppRef canonicalApp;
  private static CanonicalRecord seeded;
  private static String knownGoodHash;
  private static Path good;
  private static Path assertOk;

  @BeforeAll
  static void seed() throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    root = Files.createTempDirectory("warm-quick-it-");
    SampleRecipe.materialize(root.resolve("recipes/sample"), RUNNER);
    config = root.resolve("config.json");
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "qit-%s.localhost",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "timeouts": {"healthSeconds": 25, "lockWaitSeconds": 300, "testSeconds": 120}}
        """.formatted(root.resolve("state"), Naming.randomHex(), root.resolve("recipes"), root.resolve("apps")));
    cfg = ConfigLoader.loadFile(config);
    platform = Platforms.create(cfg);
    seeded = QuickLanes.seed(cfg).seed("sample", "1.0.0+1.0", List.of());
    canonicalApp = new AppRef("sample", seeded.domain());
    knownGoodHash = knownGoodTreeHash();
    good = checkout("good", c -> c.replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good"));
    assertOk = script("assert-ok.sh", """
        c=$(docker ps -q --filter label=com.docker.swarm.service.name=${WARM_STACK}_app | head -1)
        [ -n "$c" ] || { echo "no container of $WARM_STACK"; exit 1; }
        [ "$WARM_MODE" = quick ] || exit 1
        docker exec "$c" wget -qO- http://127.0.0.1:8080/ | grep -q initialised
        """);
  }

  @AfterAll
  static void cleanup() {
    if (platform != null && canonicalApp != null) {
      try {
        platform.removeApp(canonicalApp);
      } catch (RuntimeException e) {
        System.err.println("cleanup: " + e.getMessage());
      }
    }
    if (root != null) {
      RUNNER.run(Command.of("rm", "-rf", root.toString()));
    }
  }

  @Test
  @Order(1)
  void testNoCanonical_exit3_createsNothing() throws Exception {
    Run r = quick("other", good, "true");
    assertEquals(3, r.exit, r.toString());
    assertEquals("no-canonical", r.result.path("outcome").asText());
    assertTrue(r.err.contains("no canonical for other — run cold first"), r.err);
    assertFalse(Files.exists(root.resolve("state/other/canonical.json")));
  }

  @Test
  @Order(2)
  void testPass_keepsKnownGoodByteIdentical_volumesDirty() throws Exception {
    Run r = quick("sample", good, assertOk.toString());
    assertEquals(0, r.exit, r.toString());
    assertEquals("pass", r.result.path("outcome").asText());
    assertEquals("quick", r.result.path("mode").asText());
    assertEquals("lower", r.result.path("confidence").asText());
    assertEquals(seeded.snapshotId(), r.result.path("canonical").path("snapshotId").asText());
    assertEquals(VolumeState.dirty(r.result.path("runId").asText()).state(), volumeState().state());
    assertNothingRunning();
    assertKnownGoodUnchanged();
    // PR-mutated data stays on the volume after a PASS
    assertTrue(Files.readString(volume().resolve("boots.log")).contains("boot pr-good"));
  }

  @Test
  @Order(3)
  void testNextRun_restoresBeforeDeploy() throws Exception {
    Run r = quick("sample", good, script("assert-restored.sh", """
        c=$(docker ps -q --filter label=com.docker.swarm.service.name=${WARM_STACK}_app | head -1)
        # restored before the deploy: the known-good's boots.log had one boot; now known-good boot + PR boot
        n=$(docker exec "$c" cat /data/boots.log | wc -l)
        [ "$n" -eq 3 ] || { echo "boots.log has $n lines"; exit 1; }
        """).toString());
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.result.path("restored").asBoolean(), "a dirty canonical is restored first");
    assertKnownGoodUnchanged();
  }

  @Test
  @Order(4)
  void testFail_assertion_restoresKnownGood_andCanonicalBootsHealthy() throws Exception {
    Run r = quick("sample", good, "false");
    assertEquals(1, r.exit, r.toString());
    assertFailRestored(r);
    // the operator CLI sees the same: app-mode verify (platform volumes, content hashes) passes, and a hand-made
    // snapshot of a canonical is refused (I1)
    Run verify = nightly("verify", "--app", "sample", "--verify-content", "--config", config.toString());
    assertEquals(0, verify.exit, verify.err);
    Run snap = nightly("snapshot", "--app", "sample", "--config", config.toString());
    assertEquals(2, snap.exit, snap.err);
    assertTrue(snap.err.contains("is a canonical"), snap.err);
    // the canonical boots healthy at its known-good version with its data
    platform.deploy(canonicalApp, seeded.version());
    assertEquals(seeded.version(), platform.deployed(canonicalApp).orElseThrow().version());
    assertTrue(Files.readString(volume().resolve("www/index.html")).contains("initialised by 1.0.0+1.0"));
    platform.undeploy(canonicalApp);
    // that boot dirtied the volume: mark it so, as the next quick run must restore
    new StateStore(cfg.stateRoot()).write("sample", StateFile.VOLUME_STATE, VolumeState.dirty("it-boot"));
  }

  @Test
  @Order(5)
  void testFail_prComposeDoesNotDeploy() throws Exception {
    Path broken = checkout("nodeploy", c -> c.replace("      - db_password\n", "      - db_password\n      - nosuch\n")
        .replace("secrets:\n  db_password:", "secrets:\n  nosuch:\n    external: true\n    name: nosuch_secret_v9\n  db_password:"));
    Run r = quick("sample", broken, assertOk.toString());
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.result.path("reason").asText().contains("did not deploy"), r.result.toString());
    assertFailRestored(r);
  }

  @Test
  @Order(6)
  void testFail_prDeploysUnhealthy() throws Exception {
    Path sick = checkout("unhealthy", c -> c.replace("test -f /data/initialised &&", "false &&")
        .replace("start_period: 120s", "start_period: 1s"));
    Run r = quick("sample", sick, assertOk.toString());
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.result.path("reason").asText().contains("did not become healthy"), r.result.toString());
    assertFailRestored(r);
  }

  @Test
  @Order(7)
  void testSigkillAfterReattach_nextInvocationRecovers() throws Exception {
    killAndRecover("deploying-known-good", assertOk);
  }

  @Test
  @Order(8)
  void testSigkillAfterChaosDeploy_nextInvocationRecovers() throws Exception {
    killAndRecover("testing", script("slow-assert.sh", "sleep 60"));
  }

  @Test
  @Order(9)
  void testSigkillDuringAssertion_nextInvocationRecovers() throws Exception {
    Path started = root.resolve("assert-started");
    killAndRecoverWhen(() -> Files.exists(started), script("marked-assert.sh",
        "echo $$ > " + root.resolve("assert-pid") + "; touch " + started + "; sleep 60"));
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
    Process p = start("sample", good, result, script("term-assert.sh", "touch " + started + "; sleep 60").toString());
    waitFor(() -> Files.exists(started), Duration.ofSeconds(120), "assertion start");
    p.destroy(); // SIGTERM, as a CI cancel sends
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "process ended after SIGTERM");
    JsonNode r = JSON.readTree(result.toFile());
    assertEquals("fail", r.path("outcome").asText(), r.toString());
    assertTrue(r.path("reason").asText().contains("cancelled"), r.toString());
    assertTrue(r.path("restored").asBoolean());
    assertFalse(Files.exists(journal()), "journal removed: the FAIL path completed");
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), volumeState().state());
    assertNothingRunning();
    assertKnownGoodUnchanged();
  }

  @Test
  @Order(12)
  void testTwoConcurrentRuns_neverInterleave() throws Exception {
    Path log = root.resolve("interleave.log");
    Path a = script("interleave.sh", "echo \"start $WARM_RUN_ID $(date +%s%N)\" >> " + log
        + "; sleep 3; echo \"end $WARM_RUN_ID $(date +%s%N)\" >> " + log);
    Path ra = root.resolve("ra.json");
    Path rb = root.resolve("rb.json");
    Process pa = start("sample", good, ra, a.toString());
    Process pb = start("sample", good, rb, a.toString());
    assertTrue(pa.waitFor(400, TimeUnit.SECONDS) && pb.waitFor(400, TimeUnit.SECONDS));
    assertEquals(0, pa.exitValue());
    assertEquals(0, pb.exitValue());
    List<String> lines = Files.readAllLines(log);
    assertEquals(4, lines.size(), lines.toString());
    // start A, end A, start B, end B: the second run's assertions begin only after the first run ended
    assertEquals(lines.get(0).split(" ")[1], lines.get(1).split(" ")[1], lines.toString());
    assertTrue(lines.get(0).startsWith("start") && lines.get(1).startsWith("end") && lines.get(2).startsWith("start"));
    assertNotEquals(JSON.readTree(ra.toFile()).path("runId").asText(), JSON.readTree(rb.toFile()).path("runId").asText());
    assertKnownGoodUnchanged();
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
      Path ssoAssert = script("assert-sso.sh", """
          [ -n "$WARM_SSO_REALM" ] && [ -n "$WARM_SSO_CLIENT_SECRET" ] || { echo "no SSO variables"; exit 1; }
          echo "$WARM_SSO_REALM" > %s
          echo "$WARM_SSO_CLIENT_SECRET" > %s
          curl -sf -o /dev/null -d grant_type=client_credentials -d client_id="$WARM_SSO_CLIENT_ID" \
            -d client_secret="$WARM_SSO_CLIENT_SECRET" "$WARM_SSO_ISSUER/protocol/openid-connect/token"
          """.formatted(realmFile, root.resolve("sso-secret.txt")));
      Path result = root.resolve("sso-result.json");
      Process p = start(ssoConfig, List.of("--sso"), "sample", good, result, ssoAssert.toString());
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(300, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), err);
      String realm = Files.readString(realmFile).strip();
      assertEquals(404, realmStatus(url, realm), "realm deleted after the run");
      String secret = Files.readString(root.resolve("sso-secret.txt")).strip();
      assertTrue(secret.length() >= 16, "the runner got a client secret");
      assertFalse(Files.readString(result).contains(secret), "no client secret in the result JSON (I10)");
      assertFalse(err.contains(secret), "no client secret in the logs (I10)");

      // SIGKILL during the assertion of an SSO run: recovery deletes the realm
      Path ssoStarted = root.resolve("sso-started");
      Process k = start(ssoConfig, List.of("--sso"), "sample", good, root.resolve("sso-killed.json"),
          script("sso-slow.sh", "echo \"$WARM_SSO_REALM\" > " + realmFile + "; touch " + ssoStarted
              + "; echo $$ > " + root.resolve("assert-pid") + "; sleep 60").toString());
      waitFor(() -> Files.exists(ssoStarted), Duration.ofSeconds(180), "SSO assertion start");
      String leftover = Files.readString(realmFile).strip();
      assertEquals(200, realmStatus(url, leftover), "realm exists during the run");
      k.destroyForcibly();
      k.waitFor(30, TimeUnit.SECONDS);
      killLeftoverAssertion();
      Run r = warmQuick(ssoConfig, "recover", "--recipe", "sample");
      assertEquals(0, r.exit, r.toString());
      assertEquals(404, realmStatus(url, leftover), "no realm left behind after recovery");
      assertNothingRunning();
      assertKnownGoodUnchanged();
    } finally {
      RUNNER.run(Command.of("bash", repo.resolve("scripts/keycloak.sh").toString(), "stop", kc.toString())
          .withTimeout(Duration.ofMinutes(1)));
    }
  }

  private static int realmStatus(String url, String realm) throws Exception {
    var c = java.net.http.HttpClient.newHttpClient();
    return c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/realms/" + realm
        + "/.well-known/openid-configuration")).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  @Order(14)
  void testSplitMode_prepareThenFinish_otherRunsWaitForTheLease() throws Exception {
    Path envFile = root.resolve("prepared.env");
    Path prepResult = root.resolve("prepare.json");
    Process prep = launch(List.of("prepare", "--config", config.toString(), "--recipe", "sample", "--checkout",
        good.toString(), "--json", prepResult.toString(), "--env-file", envFile.toString())).start();
    String prepErr = new String(prep.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(prep.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, prep.exitValue(), prepErr);
    String runId = JSON.readTree(prepResult.toFile()).path("runId").asText();
    assertEquals("prepared", journalPhase());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(envFile)));
    String env = Files.readString(envFile);
    assertTrue(env.contains("WARM_DOMAIN=" + seeded.domain()) && env.contains("WARM_RUN_ID=" + runId), env);
    assertTrue(platform.deployed(canonicalApp).orElseThrow().chaos(), "the PR head is deployed and left running");

    // a full run of the same recipe waits for the prepared run's finish
    Process waiting = start("sample", good, root.resolve("after-lease.json"), assertOk.toString());
    Thread.sleep(4000);
    assertTrue(waiting.isAlive());
    assertEquals("prepared", journalPhase(), "the waiting run did not touch the prepared one");

    Run fin = warmQuick("finish", "--recipe", "sample", "--run-id", runId, "--outcome", "fail");
    assertEquals(1, fin.exit, fin.toString());
    assertTrue(waiting.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, waiting.exitValue(), "the waiting run ran after the finish");
    assertTrue(JSON.readTree(root.resolve("after-lease.json").toFile()).path("restored").asBoolean() == false,
        "finish restored the known-good: the next run found the volumes clean");
    assertKnownGoodUnchanged();
  }

  @Test
  @Order(15)
  void testRollbackFailure_isAnErrorWithExit4AndCriticalAlert() throws Exception {
    // Last test: damage the known-good's data on purpose so the FAIL path's restore cannot succeed (I6: a failed
    // rollback is never reported as a plain failure).
    Path data = root.resolve("state/sample/snapshots/known-good").toRealPath().resolve("data");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.writeString(f, "not what the manifest says");
      }
    }
    // The canonical is dirty (the split-mode test's last run passed), so the run restores first — and fails there.
    assertTrue(volumeState().state().startsWith("dirty@"), volumeState().state());
    Run r = quick("sample", good, "false");
    assertEquals(4, r.exit, r.toString());
    assertEquals("error", r.result.path("outcome").asText(), r.result.toString());
    assertTrue(r.result.path("reason").asText().contains("restore of the known-good before the run failed"),
        r.result.toString());
    assertTrue(Files.exists(journal()), "the journal stays for the next recovery attempt");
    assertNothingRunning();
    // Once the volumes are clean, the restore happens only in the FAIL path: that failure is reported the same way.
    new StateStore(cfg.stateRoot()).delete("sample", StateFile.JOURNAL);
    new StateStore(cfg.stateRoot()).write("sample", StateFile.VOLUME_STATE, VolumeState.clean(seeded.snapshotId()));
    Run r2 = quick("sample", good, "false");
    assertEquals(4, r2.exit, r2.toString());
    assertEquals("error", r2.result.path("outcome").asText(), r2.result.toString());
    assertTrue(r2.result.path("reason").asText().contains("rollback FAILED"), r2.result.toString());
    assertTrue(Files.exists(journal()), "the journal stays for the next recovery attempt");
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
    killAndRecoverWhen(() -> phase.equals(journalPhase()), assertion);
  }

  private void killAndRecoverWhen(BooleanSupplier when, Path assertion) throws Exception {
    Process p = start("sample", good, root.resolve("killed.json"), assertion.toString());
    waitFor(when, Duration.ofSeconds(180), "kill point");
    p.destroyForcibly(); // SIGKILL: no hook runs
    p.waitFor(30, TimeUnit.SECONDS);
    killLeftoverAssertion();
    assertTrue(Files.exists(journal()), "the killed run left its journal");
    Run r = warmQuick("recover", "--recipe", "sample");
    assertEquals(0, r.exit, r.toString());
    assertFalse(Files.exists(journal()), "recovered: journal removed");
    assertNothingRunning();
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), volumeState().state());
    assertTrue(SnapshotStore.forApp(cfg.stateRoot(), "sample").verify(volumes(), true).identical(),
        "volumes equal the known-good after recovery");
    assertKnownGoodUnchanged();
  }

  private void killLeftoverAssertion() throws IOException {
    Path pid = root.resolve("assert-pid");
    if (Files.exists(pid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
      Files.delete(pid);
    }
    RUNNER.run(Command.of("pkill", "-f", "sleep 60"));
  }

  private void assertFailRestored(Run r) throws Exception {
    assertEquals("fail", r.result.path("outcome").asText(), r.result.toString());
    assertTrue(r.result.path("restored").asBoolean());
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), volumeState().state());
    assertTrue(SnapshotStore.forApp(cfg.stateRoot(), "sample").verify(volumes(), true).identical(),
        "data identical to the known-good");
    assertNothingRunning();
    assertKnownGoodUnchanged();
  }

  private static void assertNothingRunning() {
    assertFalse(platform.anythingRunning(canonicalApp), "no stack left running");
  }

  private static void assertKnownGoodUnchanged() throws Exception {
    CanonicalRecord now = new StateStore(cfg.stateRoot()).read("sample", StateFile.CANONICAL).orElseThrow();
    assertEquals(seeded.snapshotId(), now.snapshotId());
    assertEquals(seeded.commit(), now.commit());
    assertEquals(seeded.snapshotId(), SnapshotStore.forApp(cfg.stateRoot(), "sample").knownGoodId().orElseThrow());
    assertEquals(knownGoodHash, knownGoodTreeHash(), "known-good snapshot bytes unchanged");
  }

  /** SHA-256 over every path, type and byte of the known-good snapshot directory. */
  private static String knownGoodTreeHash() throws Exception {
    Path dir = root.resolve("state/sample/snapshots/known-good").toRealPath();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          md.update(Files.readAllBytes(p));
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static Map<String, Path> volumes() {
    Map<String, Path> m = new LinkedHashMap<>();
    for (VolumeInfo v : platform.volumes(canonicalApp)) {
      m.put(v.name(), v.mountpoint());
    }
    return m;
  }

  private static Path volume() {
    return volumes().values().iterator().next();
  }

  private static VolumeState volumeState() {
    return new StateStore(cfg.stateRoot()).read("sample", StateFile.VOLUME_STATE).orElseThrow();
  }

  private static Path journal() {
    return root.resolve("state/sample/journal.json");
  }

  private static String journalPhase() {
    try {
      return JSON.readTree(journal().toFile()).path("phase").asText();
    } catch (IOException e) {
      return "";
    }
  }

  private static void waitFor(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static Path checkout(String name, java.util.function.UnaryOperator<String> edit) throws Exception {
    Path dir = root.resolve("pr-" + name);
    RUNNER.run(Command.of("git", "clone", "-q", root.resolve("recipes/sample").toString(), dir.toString())).requireSuccess();
    Path compose = dir.resolve("compose.yml");
    String before = Files.readString(compose);
    String after = edit.apply(before);
    assertNotEquals(before, after, "the PR edit changed the compose file");
    Files.writeString(compose, after);
    return dir;
  }

  private static Path script(String name, String body) throws IOException {
    Path p = root.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    p.toFile().setExecutable(true);
    return p;
  }

  record Run(int exit, JsonNode result, String err) {}

  private static Run quick(String recipe, Path checkout, String... cmd) throws Exception {
    Path result = root.resolve("result-" + Naming.randomHex() + ".json");
    Process p = start(recipe, checkout, result, cmd);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    JsonNode r = Files.exists(result) ? JSON.readTree(result.toFile()) : JSON.createObjectNode();
    return new Run(p.exitValue(), r, err);
  }

  private static Process start(String recipe, Path checkout, Path result, String... cmd) throws IOException {
    return start(config, List.of(), recipe, checkout, result, cmd);
  }

  private static Process start(Path configFile, List<String> extra, String recipe, Path checkout, Path result,
      String... cmd) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--config", configFile.toString(), "--recipe", recipe,
        "--checkout", checkout.toString(), "--json", result.toString()));
    args.addAll(extra);
    args.add("--");
    args.addAll(List.of(cmd));
    return launch(args).start();
  }

  private static Run warmQuick(String... args) throws Exception {
    return warmQuick(config, args);
  }

  private static Run warmQuick(Path configFile, String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--config");
    a.add(configFile.toString());
    Process p = launch(a).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    return new Run(p.exitValue(), JSON.createObjectNode(), err);
  }

  private static Run nightly(String... args) throws Exception {
    Process p = launch("warm.nightly", List.of(args)).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    return new Run(p.exitValue(), JSON.createObjectNode(), err);
  }

  private static ProcessBuilder launch(List<String> args) {
    return launch("warm.quick", args);
  }

  private static ProcessBuilder launch(String module, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(Distribution.java(), "-p", Distribution.lib().toString(), "-m", module));
    argv.addAll(args);
    return new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
  }
}
