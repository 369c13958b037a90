package warm.nightly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import warm.core.testing.Prereq;

/**
 * {@code warm sso create|delete|reap} against a real Keycloak started and stopped with
 * {@code scripts/keycloak.sh start|stop}.
 */
@Tag("keycloak")
class SsoCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path dir;
  private static Path script;
  private static String url;
  private static String adminPassword;
  private static Path config;

  @BeforeAll
  static void startKeycloak() throws Exception {
    if (missing() != null) {
      // Each test then skips with the reason (visible in the report); with CI=true this fails.
      Prereq.require(!Prereq.ci(), missing());
      return;
    }
    String root = System.getenv().getOrDefault("WARM_REPO_ROOT", Path.of("..").toAbsolutePath().normalize().toString());
    script = Path.of(root, "scripts", "keycloak.sh");
    dir = Files.createTempDirectory("warm-sso-cli-");
    Process p = new ProcessBuilder(script.toString(), "start", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("start.out").toFile()).start();
    int code = p.waitFor();
    String out = Files.readString(dir.resolve("start.out"));
    assertEquals(0, code, "scripts/keycloak.sh start failed:\n" + out);
    url = out.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(url.startsWith("http://127.0.0.1:"), out);
    adminPassword = Files.readString(dir.resolve("admin-password")).strip();
    config = Files.writeString(dir.resolve("config.json"), "{\"ciDomain\":\"ci.example\",\"keycloak\":{\"url\":\""
        + url + "\",\"secretFile\":\"" + dir.resolve("admin-password") + "\"}}");
  }

  private static String missing() {
    String home = System.getenv("WARM_KEYCLOAK_HOME");
    return home != null && Files.isRegularFile(Path.of(home, ".warm-augmented")) ? null
        : "WARM_KEYCLOAK_HOME does not point at a prepared Keycloak (run: export WARM_KEYCLOAK_HOME="
            + "$(scripts/keycloak.sh prepare))";
  }

  @BeforeEach
  void needKeycloak() {
    Prereq.require(url != null, String.valueOf(missing()));
  }

  @AfterAll
  static void stopKeycloak() throws Exception {
    if (dir == null) {
      return;
    }
    try {
      if (Files.exists(dir.resolve("kc.env"))) {
        Process p = new ProcessBuilder(script.toString(), "stop", dir.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static InProcessWarm.Run warm(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    InProcessWarm.Run r = InProcessWarm.warm(all);
    assertFalse(r.out().contains(adminPassword) || r.err().contains(adminPassword), "admin password leaked");
    return r;
  }

  private static int post(String path, Map<String, String> form) throws Exception {
    return send(path, form).statusCode();
  }

  private static HttpResponse<String> send(String path, Map<String, String> form) throws Exception {
    String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
        StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String adminToken() throws Exception {
    var r = send("/realms/master/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id",
        "admin-cli", "username", "admin", "password", adminPassword));
    return JSON.readTree(r.body()).path("access_token").asText();
  }

  private static HttpResponse<String> adminGet(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/admin/realms" + path))
        .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void testCreateJson_secretWorks_deleteTwice_gone_noSecretInLogs() throws Exception {
    var r = warm("sso", "create", "--recipe", "gitea", "--domain", "gitea-abc123.ci.example", "--run-id", "cli1",
        "--test-user", "--json", "--verbose");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = JSON.readTree(r.out());
    assertEquals("ccw-gitea-cli1", j.path("realm").asText());
    assertEquals(url + "/realms/ccw-gitea-cli1", j.path("issuer").asText());
    assertEquals("gitea", j.path("clientId").asText());
    String secret = j.path("clientSecret").asText();
    String password = j.path("testUser").path("password").asText();
    assertFalse(secret.isEmpty());
    assertEquals(200, post("/realms/ccw-gitea-cli1/protocol/openid-connect/token", Map.of("grant_type",
        "client_credentials", "client_id", "gitea", "client_secret", secret)));
    assertFalse(r.err().contains(secret), "logs carry no client secret");
    assertFalse(r.err().contains(password), "logs carry no test-user password");
    assertTrue(r.err().contains("created realm ccw-gitea-cli1"), "verbose logs say what happened: " + r.err());

    var d = warm("sso", "delete", "--recipe", "gitea", "--run-id", "cli1", "--json");
    assertEquals(0, d.exit(), d.err());
    assertEquals("deleted", JSON.readTree(d.out()).path("outcome").asText());
    assertEquals(404, adminGet("/ccw-gitea-cli1").statusCode());
    var again = warm("sso", "delete", "--realm", "ccw-gitea-cli1");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("does not exist"), again.out());
  }

  @Test
  void testCreateText_showsNoSecret() throws Exception {
    var r = warm("sso", "create", "--recipe", "wiki", "--domain", "wiki.ci.example", "--run-id", "text1");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("client secret: not shown (use --json)"), r.out());
    JsonNode clients = JSON.readTree(adminGet("/ccw-wiki-text1/clients?clientId=wiki").body());
    String id = clients.get(0).path("id").asText();
    String secret = JSON.readTree(adminGet("/ccw-wiki-text1/clients/" + id + "/client-secret").body())
        .path("value").asText();
    assertFalse(secret.isEmpty());
    assertFalse(r.out().contains(secret));
    assertFalse(r.err().contains(secret));
    assertEquals(0, warm("sso", "delete", "--realm", "ccw-wiki-text1").exit());
  }

  @Test
  void testDelete_master_refused_exit2() throws Exception {
    var r = warm("sso", "delete", "--realm", "master");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: refusing to delete realm 'master'"), r.err());
    assertEquals(200, adminGet("/master").statusCode());
  }

  @Test
  void testReap_deletesRealmOfDeadRun_reportsWhy() throws Exception {
    Prereq.require(swarmActive(), "reap asks the local Swarm (docker service ls): needs an active Swarm");
    // No stack named after this domain exists in the local Swarm, so its run is dead.
    var c = warm("sso", "create", "--recipe", "reaped", "--domain", "reaped-dead1.ci.example", "--run-id", "dead1");
    assertEquals(0, c.exit(), c.err());
    var dry = warm("sso", "reap", "--grace-minutes", "0", "--dry-run");
    assertTrue(dry.out().contains("would delete ccw-reaped-dead1 (run dead1): run gone"), dry.out() + dry.err());
    assertEquals(200, adminGet("/ccw-reaped-dead1").statusCode());
    var young = warm("sso", "reap", "--json");
    assertEquals(0, young.exit(), young.err());
    assertEquals(200, adminGet("/ccw-reaped-dead1").statusCode(), "kept within the default grace period");
    var r = warm("sso", "reap", "--grace-minutes", "0", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = JSON.readTree(r.out());
    boolean found = false;
    for (JsonNode e : j.path("realms")) {
      if (e.path("realm").asText().equals("ccw-reaped-dead1")) {
        found = true;
        assertEquals("deleted", e.path("action").asText());
        assertTrue(e.path("reason").asText().startsWith("run gone: stack 'reaped-dead1_ci_example'"), e.toString());
      }
    }
    assertTrue(found, r.out());
    assertTrue(j.path("notOurs").asInt() >= 1, "master at least");
    assertEquals(404, adminGet("/ccw-reaped-dead1").statusCode());
    assertEquals(200, adminGet("/master").statusCode());
  }

  @Test
  void testReap_asksTheConfiguredDocker_keepsRealmWhenItCannotAsk() throws Exception {
    Prereq.require(swarmActive(), "reap asks the local Swarm: needs an active Swarm");
    var c = warm("sso", "create", "--recipe", "reaped", "--domain", "reaped-dead2.ci.example", "--run-id", "dead2");
    assertEquals(0, c.exit(), c.err());
    // A docker that cannot run: "cannot ask" must never read as "the run is gone".
    Path broken = Files.writeString(dir.resolve("broken-docker.json"), "{\"ciDomain\":\"ci.example\",\"docker\":\""
        + dir.resolve("no-such-docker") + "\",\"keycloak\":{\"url\":\"" + url + "\",\"secretFile\":\""
        + dir.resolve("admin-password") + "\"}}");
    var failed = InProcessWarm.warm("sso", "reap", "--grace-minutes", "0", "--json", "--config", broken.toString());
    assertEquals(4, failed.exit(), failed.out() + failed.err());
    assertTrue(JSON.readTree(failed.out()).path("realms").toString().contains("\"realm\":\"ccw-reaped-dead2\""),
        failed.out());
    assertEquals(200, adminGet("/ccw-reaped-dead2").statusCode(), "kept when Swarm cannot be asked");
    // The configured executable, not the docker on PATH, is the one asked (here a wrapper off PATH that logs).
    Path log = dir.resolve("wrapper.log");
    Path wrapper = dir.resolve("wrapped-docker");
    Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec docker \"$@\"\n");
    assertTrue(wrapper.toFile().setExecutable(true));
    Path wrapped = Files.writeString(dir.resolve("wrapped-docker.json"), "{\"ciDomain\":\"ci.example\",\"docker\":\""
        + wrapper + "\",\"keycloak\":{\"url\":\"" + url + "\",\"secretFile\":\"" + dir.resolve("admin-password")
        + "\"}}");
    var r = InProcessWarm.warm("sso", "reap", "--grace-minutes", "0", "--config", wrapped.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("deleted ccw-reaped-dead2 (run dead2): run gone"), r.out());
    assertEquals(404, adminGet("/ccw-reaped-dead2").statusCode());
    assertTrue(Files.readString(log).contains("context inspect"), "the configured docker was asked where it talks to");
  }

  private static boolean swarmActive() {
    try {
      Process p = new ProcessBuilder("docker", "info", "--format", "{{.Swarm.LocalNodeState}}")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 && out.equals("active");
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void testWrongCredentials_exit4_oneLine() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-pw"), "definitely-wrong-pw\n");
    Path cfg = Files.writeString(dir.resolve("wrong.json"), "{\"keycloak\":{\"url\":\"" + url
        + "\",\"secretFile\":\"" + wrong + "\"}}");
    var r = InProcessWarm.warm("sso", "reap", "--config", cfg.toString());
    assertEquals(4, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: Keycloak at " + url + " rejected the admin credentials of user 'admin'"),
        r.err());
    assertFalse(r.err().contains("definitely-wrong-pw"));
  }
}
