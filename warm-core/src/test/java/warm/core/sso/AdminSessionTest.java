package warm.core.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.KeycloakSettings;
import warm.core.process.ProcessRunner;

/** Session set-up and failure reporting that need no Keycloak: bad URLs, nobody listening, secret sources. */
class AdminSessionTest {
  @TempDir
  Path tmp;

  private KeycloakSettings settings(String url, Path file, List<String> command) {
    return new KeycloakSettings(url, null, null, null, null, file, command, null, null, 3);
  }

  @Test
  void testParseBaseUrl_normalises() {
    assertEquals("https://auth.ci.example", AdminSession.parseBaseUrl("https://auth.ci.example/").toString());
    assertEquals("http://127.0.0.1:8080/kc", AdminSession.parseBaseUrl(" http://127.0.0.1:8080/kc// ").toString());
  }

  @Test
  void testParseBaseUrl_bad_usageErrorOneLine() {
    for (String bad : List.of("", "auth.ci.example", "ftp://auth.ci.example", "http://bad host/", "https://",
        "https://auth.ci.example/?x=1", "http://[::1")) {
      WarmException e = assertThrows(WarmException.class, () -> AdminSession.parseBaseUrl(bad), bad);
      assertEquals(ExitCode.USAGE, e.exitCode(), bad);
      assertTrue(e.getMessage().startsWith("keycloak.url"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void testParseBaseUrl_credentialsInUrl_rejectedWithoutEchoingThem() {
    WarmException e = assertThrows(WarmException.class,
        () -> AdminSession.parseBaseUrl("https://admin:s3cr3t-pw@auth.ci.example"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
  }

  @Test
  void testNoSecretSource_usageError() {
    WarmException e = assertThrows(WarmException.class,
        () -> new AdminSession(settings("http://127.0.0.1:1", null, null), ProcessRunner.system()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("secretFile"), e.getMessage());
  }

  @Test
  void testUnreachable_infraErrorNamingKeycloak_noSecret() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path pw = tmp.resolve("pw");
    Files.writeString(pw, "hunter2-very-secret\n");
    var m = new KeycloakRealmManager(settings("http://127.0.0.1:" + port, pw, null), "o", ProcessRunner.system());
    KeycloakException e = assertThrows(KeycloakException.class,
        () -> m.create(new RealmRequest("nextcloud", "abc123", "nextcloud.ci.example", false)));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertEquals(-1, e.status());
    assertEquals("Keycloak at http://127.0.0.1:" + port + " is unreachable while logging in as user 'admin' "
        + "(client 'admin-cli', realm 'master'): connection refused", e.getMessage());
  }

  @Test
  void testUnknownHost_saysSo() throws Exception {
    Path pw = tmp.resolve("pw");
    Files.writeString(pw, "pw");
    var m = new KeycloakRealmManager(settings("https://no-such-host.invalid", pw, null), "o", ProcessRunner.system());
    KeycloakException e = assertThrows(KeycloakException.class, () -> m.delete("ccw-x-1"));
    assertTrue(e.getMessage().startsWith("Keycloak at https://no-such-host.invalid is unreachable while"),
        e.getMessage());
  }

  @Test
  void testSecretFile_missingOrEmpty_usageError() throws Exception {
    var missing = new AdminSecret(settings("http://x", tmp.resolve("nope"), null), ProcessRunner.system(),
        Duration.ofSeconds(3));
    assertEquals(ExitCode.USAGE, assertThrows(WarmException.class, missing::get).exitCode());
    Path empty = Files.writeString(tmp.resolve("empty"), "\n");
    var e = assertThrows(WarmException.class, () -> new AdminSecret(settings("http://x", empty, null),
        ProcessRunner.system(), Duration.ofSeconds(3)).get());
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
  }

  @Test
  void testSystemdCredential_preferredOverTheRootOnlySecretFile() throws Exception {
    // The NixOS units load keycloak.secretFile as credential keycloak-secret; the file itself may be unreadable.
    Path rootOnly = tmp.resolve("root-only");
    Path creds = Files.createDirectories(tmp.resolve("credentials"));
    Files.writeString(creds.resolve("keycloak-secret"), "from-credential\n");
    assertEquals("from-credential", new AdminSecret(settings("http://x", rootOnly, null), ProcessRunner.system(),
        Duration.ofSeconds(3), creds.toString()).get());
    // No credential there (another unit, or outside systemd): the file as configured.
    Files.writeString(rootOnly, "from-file\n");
    assertEquals("from-file", new AdminSecret(settings("http://x", rootOnly, null), ProcessRunner.system(),
        Duration.ofSeconds(3), tmp.resolve("no-credentials").toString()).get());
    assertEquals("from-file", new AdminSecret(settings("http://x", rootOnly, null), ProcessRunner.system(),
        Duration.ofSeconds(3), null).get());
  }

  @Test
  void testSecretFile_lineTerminatorDropped_innerWhitespaceKept() throws Exception {
    Path f = Files.writeString(tmp.resolve("pw"), " pass word \r\n");
    assertEquals(" pass word ", new AdminSecret(settings("http://x", f, null), ProcessRunner.system(),
        Duration.ofSeconds(3)).get());
  }

  @Test
  void testSecretCommand_printsSecret() {
    var s = new AdminSecret(settings("http://x", null, List.of("printf", "from-command\\n")), ProcessRunner.system(),
        Duration.ofSeconds(5));
    assertEquals("from-command", s.get());
  }

  @Test
  void testSecretCommand_fails_messageNamesCommand_secretRedacted() {
    // A command that printed the secret and then failed: neither stdout nor stderr echoes it into the error.
    var s = new AdminSecret(settings("http://x", null,
        List.of("sh", "-c", "echo leaked-pw; echo 'cannot read leaked-pw' >&2; exit 3")), ProcessRunner.system(),
        Duration.ofSeconds(5));
    WarmException e = assertThrows(WarmException.class, s::get);
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().startsWith("keycloak.secretCommand 'sh -c"), e.getMessage());
    assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
    assertFalse(e.getMessage().contains("leaked-pw"), e.getMessage());
  }

  @Test
  void testSecretCommand_printsNothing_infraError() {
    var s = new AdminSecret(settings("http://x", null, List.of("true")), ProcessRunner.system(),
        Duration.ofSeconds(5));
    WarmException e = assertThrows(WarmException.class, s::get);
    assertTrue(e.getMessage().endsWith("printed nothing"), e.getMessage());
  }

  @Test
  void testDescribeError_keepsKeycloakFieldsOnly() {
    assertEquals(": invalid_grant: Invalid user credentials",
        AdminSession.describeError("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"));
    assertEquals("", AdminSession.describeError("{\"access_token\":\"eyJ...\"}"));
    assertEquals("", AdminSession.describeError("<html>oops</html>"));
  }
}
