package warm.nightly.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * A tiny Keycloak admin client for tests against the Swarm-deployed Keycloak of {@link KeycloakRecipe}: logs in as the
 * bootstrap admin (password grant, a fresh token per call: tokens live 60 s and calls are few), creates and lists
 * realms and users. {@code warm.core.sso.AdminSession} is package-private in warm.core and does more than a test needs.
 */
public final class KeycloakAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Bounds one call so a hung server fails the test instead of hanging it. The first realm creation after a boot
   * builds the realm's defaults on a JVM running C1 only: at load 10–15 on the 2-core machine (warm-nightly's ITs two
   * at a time beside other builds) it took over 20 s, the former bound.
   */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final String baseUrl;
  private final String password;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .version(HttpClient.Version.HTTP_1_1).build();

  public KeycloakAdmin(String baseUrl, String password) {
    this.baseUrl = baseUrl;
    this.password = password;
  }

  /**
   * The admin password as the running Keycloak container sees it ({@code /run/secrets/admin_password} of a running
   * task of the stack's {@code app} service), the way cc-ci reads the keycloak recipe's secret.
   */
  public static String passwordOf(String stack, ProcessRunner runner) {
    String id = runner.run(Command.of("docker", "ps", "-q", "--filter",
        "label=com.docker.swarm.service.name=" + stack + "_app")).requireSuccess().stdout().strip();
    if (id.isEmpty()) {
      throw new AssertionError("no running container of " + stack + "_app to read the admin password from");
    }
    ProcessResult r = runner.run(Command.of("docker", "exec", id.lines().findFirst().orElseThrow(), "cat",
        "/run/secrets/admin_password"));
    String pw = r.requireSuccess().stdout().strip();
    if (pw.isEmpty()) {
      throw new AssertionError("empty admin password in " + stack);
    }
    return pw;
  }

  /** The command that prints the admin password (for {@code keycloak.secretCommand}). */
  public static List<String> passwordCommand(String stack) {
    return List.of("sh", "-c", "docker exec \"$(docker ps -q --filter label=com.docker.swarm.service.name=" + stack
        + "_app | head -n 1)\" cat /run/secrets/admin_password");
  }

  /** The HTTP status a plain GET of {@code url} answers, or -1 when nothing answers. */
  public static int status(String url) {
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A fresh admin access token. */
  public String token() throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", "admin-cli",
            "username", "admin", "password", password)))));
    if (r.statusCode() != 200) {
      throw new AssertionError("admin login at " + baseUrl + " answered HTTP " + r.statusCode());
    }
    return JSON.readTree(r.body()).path("access_token").asText();
  }

  /** Creates an enabled realm; fails unless Keycloak answers 201. */
  public void createRealm(String realm) throws IOException, InterruptedException {
    expect(201, "POST", "", JSON.createObjectNode().put("realm", realm).put("enabled", true), "creating realm " + realm);
  }

  /** Creates an enabled user with a password in {@code realm}; fails unless Keycloak answers 201. */
  public void createUser(String realm, String username, String userPassword) throws IOException, InterruptedException {
    var body = JSON.createObjectNode().put("username", username).put("enabled", true)
        .put("email", username + "@example.com").put("firstName", username).put("lastName", "Test");
    body.putArray("credentials").addObject().put("type", "password").put("value", userPassword)
        .put("temporary", false);
    expect(201, "POST", "/" + realm + "/users", body, "creating user " + username);
  }

  /** Names of all realms. */
  public List<String> realms() throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode r : JSON.readTree(expect(200, "GET", "?briefRepresentation=true", null, "listing realms"))) {
      out.add(r.path("realm").asText());
    }
    return out;
  }

  /** User names of a realm. */
  public List<String> users(String realm) throws IOException, InterruptedException {
    List<String> out = new ArrayList<>();
    for (JsonNode u : JSON.readTree(expect(200, "GET", "/" + realm + "/users?briefRepresentation=true", null,
        "listing users of " + realm))) {
      out.add(u.path("username").asText());
    }
    return out;
  }

  /** Whether a user of {@code realm} can log in with this password (direct grant on the realm's account client). */
  public int userLogin(String realm, String username, String userPassword) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", "admin-cli",
            "username", username, "password", userPassword))))).statusCode();
  }

  private String expect(int status, String method, String path, JsonNode body, String what)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms" + path))
        .header("Authorization", "Bearer " + token()).header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = send(b);
    if (r.statusCode() != status) {
      throw new AssertionError(what + " at " + baseUrl + ": HTTP " + r.statusCode() + " (wanted " + status + "): "
          + r.body());
    }
    return r.body();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String form(Map<String, String> f) {
    return f.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
