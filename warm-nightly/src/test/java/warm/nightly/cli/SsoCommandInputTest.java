package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.sso.ReapPolicy;

/** {@code warm sso} on bad input and an unreachable Keycloak: one clear line each, exit 2 or 4, no secret. */
class SsoCommandInputTest {
  @TempDir
  Path tmp;

  private Path config(String url) throws Exception {
    Path pw = Files.writeString(tmp.resolve("pw"), "pw-that-must-not-leak\n");
    return Files.writeString(tmp.resolve("config.json"),
        "{\"ciDomain\":\"ci.example\",\"keycloak\":{\"url\":\"" + url + "\",\"secretFile\":\"" + pw + "\"}}");
  }

  private static void assertOneErrorLine(InProcessWarm.Run r, int exit, String start) {
    assertEquals(exit, r.exit(), r.err());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith("error: " + start), lines[0]);
    assertFalse(r.err().contains("pw-that-must-not-leak"));
    assertFalse(r.out().contains("pw-that-must-not-leak"));
  }

  /** Without --grace-minutes, sso reap judges a dead run's realm by prune.realmGraceMinutes, as warm prune does. */
  @Test
  void testReapPolicy_defaultsFromTheConfiguration() {
    WarmConfig c = ConfigLoader.parse("{\"keycloak\": {\"url\": \"https://auth.ci.example\", \"realmTtlMinutes\": 90},"
        + " \"prune\": {\"realmGraceMinutes\": 75}}", "test");
    ReapPolicy p = SsoCommand.Reap.policy(c, null, null, false);
    assertEquals(Duration.ofMinutes(90), p.ttl());
    assertEquals(Duration.ofMinutes(75), p.grace(), "prune.realmGraceMinutes, not a fixed 30");
    ReapPolicy given = SsoCommand.Reap.policy(c, 10, 0, true);
    assertEquals(Duration.ofMinutes(10), given.ttl());
    assertEquals(Duration.ZERO, given.grace());
    assertTrue(given.dryRun());
    assertEquals(Duration.ofMinutes(30), SsoCommand.Reap.policy(WarmConfig.defaults(), null, null, false).grace());
  }

  @Test
  void testCreate_badRecipeName_exit2() throws Exception {
    Path c = config("http://127.0.0.1:1");
    for (String bad : new String[] {"Next/Cloud", "../etc", "with space", "ÜBER"}) {
      var r = InProcessWarm.warm("sso", "create", "--config", c.toString(), "--recipe", bad, "--domain", "x.ci.example");
      assertOneErrorLine(r, 2, "invalid recipe name");
    }
  }

  @Test
  void testCreate_badRunIdOrDomain_exit2() throws Exception {
    Path c = config("http://127.0.0.1:1");
    assertOneErrorLine(InProcessWarm.warm("sso", "create", "--config", c.toString(), "--recipe", "gitea",
        "--domain", "x.ci.example", "--run-id", "Run_1"), 2, "invalid run id");
    assertOneErrorLine(InProcessWarm.warm("sso", "create", "--config", c.toString(), "--recipe", "gitea",
        "--domain", "x/y"), 2, "invalid domain");
  }

  @Test
  void testBadUrl_exit2() throws Exception {
    // caught when the configuration loads, before anything talks to Keycloak
    var r = InProcessWarm.warm("sso", "reap", "--config", config("http://bad host:8080").toString());
    assertOneErrorLine(r, 2, "config ");
    assertTrue(r.err().contains("keycloak.url"), r.err());
  }

  @Test
  void testNotConfigured_exit2() throws Exception {
    Path c = Files.writeString(tmp.resolve("empty.json"), "{}");
    assertOneErrorLine(InProcessWarm.warm("sso", "reap", "--config", c.toString()), 2, "keycloak.url is not set");
  }

  @Test
  void testUnreachable_exit4_namesKeycloakAndUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path c = config("http://127.0.0.1:" + port);
    for (String[] cmd : new String[][] {{"create", "--recipe", "gitea", "--domain", "gitea.ci.example"},
        {"delete", "--realm", "ccw-gitea-1"}, {"reap"}}) {
      String[] args = new String[cmd.length + 4];
      args[0] = "sso";
      System.arraycopy(cmd, 0, args, 1, cmd.length);
      args[cmd.length + 1] = "--config";
      args[cmd.length + 2] = c.toString();
      args[cmd.length + 3] = "--json";
      var r = InProcessWarm.warm(args);
      assertOneErrorLine(r, 4, "Keycloak at http://127.0.0.1:" + port + " is unreachable");
    }
  }

  @Test
  void testDelete_needsRealmOrRecipeAndRunId_exit2() throws Exception {
    var r = InProcessWarm.warm("sso", "delete", "--config", config("http://127.0.0.1:1").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: "), r.err());
  }
}
