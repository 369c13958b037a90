package warm.core.sso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.KeycloakSettings;
import warm.core.process.ProcessRunner;

/**
 * An authenticated conversation with Keycloak's admin REST API. Admin access tokens live 60 s, so the session
 * refreshes them shortly before they expire (refresh token, else a fresh login) and, should Keycloak still answer
 * 401 (token revoked, server restarted), logs in again and retries once. Thread-safe: concurrent runs share one
 * session. Logs carry method and path only; credentials, tokens and bodies never reach a log or a message.
 */
final class AdminSession {
  private static final Logger LOG = LoggerFactory.getLogger("warm.sso.http");
  static final ObjectMapper JSON = new ObjectMapper();
  /** Renew at most this long before expiry; shorter lifetimes renew after 5/6 of their life. */
  private static final Duration MAX_RENEW_AHEAD = Duration.ofSeconds(10);

  private final KeycloakSettings settings;
  private final URI base;
  private final String baseText;
  private final Duration timeout;
  private final AdminSecret secret;
  private final HttpClient http;
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger refreshes = new AtomicInteger();

  private String accessToken;
  private long accessRenewAt;
  private String refreshToken;
  private long refreshValidUntil;

  AdminSession(KeycloakSettings settings, ProcessRunner runner) {
    this.settings = settings;
    this.base = parseBaseUrl(settings.url());
    this.baseText = base.toString();
    this.timeout = Duration.ofSeconds(settings.requestTimeoutSeconds());
    AdminSecret.requireConfigured(settings);
    this.secret = new AdminSecret(settings, runner, timeout);
    this.http = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        // Plain-HTTP h2c upgrade buys nothing here and some proxies mishandle it.
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * Validates the configured base URL: http(s), a host, no credentials, query or fragment. Trailing slashes are
   * dropped. A bad URL is a usage error (exit 2).
   */
  static URI parseBaseUrl(String url) {
    if (url == null || url.isBlank()) {
      throw WarmException.usage("keycloak.url is not set: SSO realms need the live-warm Keycloak's base URL");
    }
    URI u;
    try {
      u = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw WarmException.usage("keycloak.url '" + printable(url) + "' is not a valid URL: " + e.getReason());
    }
    String why = null;
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
      why = "scheme must be http or https";
    } else if (u.getHost() == null || u.getHost().isEmpty()) {
      why = "it has no host";
    } else if (u.getRawUserInfo() != null) {
      why = "credentials belong in keycloak.secretFile or keycloak.secretCommand, not in the URL";
    } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
      why = "it must not have a query or fragment";
    }
    if (why != null) {
      // Never echo a URL that carries credentials.
      String shown = u.getRawUserInfo() != null ? u.getScheme() + "://***@" + u.getHost() : printable(url);
      throw WarmException.usage("keycloak.url '" + shown + "' is not usable: " + why);
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
    return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path);
  }

  /** The base URL, as configured and validated (no trailing slash). */
  String baseUrl() {
    return baseText;
  }

  /** How many full logins this session has made (tests prove token renewal with it). */
  int logins() {
    return logins.get();
  }

  /** How many refresh-token renewals this session has made. */
  int refreshes() {
    return refreshes.get();
  }

  /** An admin API answer. */
  record Response(int status, String body, Optional<String> location) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new KeycloakException("Keycloak answered with malformed JSON", status, e);
      }
    }
  }

  /**
   * Sends an admin API call ({@code path} below {@code /admin/realms}) and returns any answer that is not 401;
   * 401 triggers one fresh login and a retry.
   *
   * @param what what the call is for, for error messages ("creating realm x")
   */
  Response admin(String method, String path, JsonNode body, String what) {
    String token = token(false);
    Response r = send(adminRequest(method, path, body, token), what);
    if (r.status() == 401) {
      LOG.debug("{} {}: 401, logging in again", method, path);
      invalidate(token);
      r = send(adminRequest(method, path, body, token(true)), what);
      if (r.status() == 401) {
        throw new KeycloakException("Keycloak at " + baseText + " refused a fresh admin token while " + what
            + " (HTTP 401)", 401, null);
      }
    }
    if (r.status() == 403) {
      throw new KeycloakException("Keycloak at " + baseText + " denied " + who() + " while " + what
          + " (HTTP 403): the account needs the admin role of realm '" + settings.adminRealm() + "'", 403, null);
    }
    return r;
  }

  /** An error for an admin answer the caller did not expect. */
  KeycloakException unexpected(Response r, String what) {
    return new KeycloakException("Keycloak at " + baseText + " answered HTTP " + r.status() + " while " + what
        + describeError(r.body()), r.status(), null);
  }

  /** Sends a token request to any realm's token endpoint (tests use it to prove a client secret works). */
  Response tokenRequest(String realm, Map<String, String> form, String what) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(baseText + "/realms/" + encode(realm)
            + "/protocol/openid-connect/token"))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
        .build();
    return send(req, what);
  }

  private HttpRequest adminRequest(String method, String path, JsonNode body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseText + "/admin/realms" + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  private Response send(HttpRequest req, String what) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      LOG.debug("{} {} -> {} ({} ms)", req.method(), req.uri().getRawPath(), resp.statusCode(),
          (System.nanoTime() - start) / 1_000_000);
      return new Response(resp.statusCode(), resp.body(), resp.headers().firstValue("Location"));
    } catch (IOException e) {
      throw new KeycloakException("Keycloak at " + baseText + " " + describeIo(e, what), -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WarmException(ExitCode.INFRA, "interrupted while " + what + " (Keycloak at " + baseText + ")", e);
    }
  }

  /** What went wrong on the wire, as the rest of a sentence starting "Keycloak at URL ...". */
  private String describeIo(IOException e, String what) {
    String unreachable = "is unreachable while " + what + ": ";
    if (e instanceof HttpConnectTimeoutException) {
      return unreachable + "connection timed out after " + timeout.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "did not answer within " + timeout.toSeconds() + " s while " + what;
    }
    if (e instanceof ConnectException) {
      Throwable c = e.getCause();
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return unreachable + "host '" + base.getHost() + "' not found";
      }
      return unreachable + "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return unreachable + "host '" + base.getHost() + "' not found";
    }
    if (e instanceof SSLException) {
      return unreachable + "TLS handshake failed (" + e.getMessage() + ")";
    }
    return "dropped the connection while " + what + " (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + printable(e.getMessage())) + ")";
  }

  /** A valid admin access token, renewing it when it is about to expire or when {@code force} is set. */
  private synchronized String token(boolean force) {
    long now = System.nanoTime();
    if (!force && accessToken != null && now < accessRenewAt) {
      return accessToken;
    }
    if (!force && refreshToken != null && now < refreshValidUntil) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("client_id", settings.clientId());
      if ("client_credentials".equals(settings.grant())) {
        form.put("client_secret", secret.get());
      }
      form.put("refresh_token", refreshToken);
      Response r = tokenRequest(settings.adminRealm(), form, "renewing the admin token");
      if (r.status() == 200) {
        refreshes.incrementAndGet();
        accept(r, now);
        return accessToken;
      }
      LOG.debug("refresh-token renewal answered {}: logging in again", r.status());
    }
    return login(now);
  }

  private String login(long now) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", settings.clientId());
    if ("client_credentials".equals(settings.grant())) {
      form.put("grant_type", "client_credentials");
      form.put("client_secret", secret.get());
    } else {
      form.put("grant_type", "password");
      form.put("username", settings.username());
      form.put("password", secret.get());
    }
    Response r = tokenRequest(settings.adminRealm(), form, "logging in as " + who());
    if (r.status() == 200) {
      logins.incrementAndGet();
      accept(r, now);
      return accessToken;
    }
    if (r.status() == 400 || r.status() == 401) {
      throw new KeycloakException("Keycloak at " + baseText + " rejected the admin credentials of " + who()
          + " (HTTP " + r.status() + describeError(r.body()) + ")", r.status(), null);
    }
    if (r.status() == 404) {
      throw new KeycloakException("Keycloak at " + baseText + " has no realm '" + settings.adminRealm()
          + "' to log in to (HTTP 404): is keycloak.url the Keycloak base URL?", 404, null);
    }
    throw new KeycloakException("Keycloak at " + baseText + " answered HTTP " + r.status() + " while logging in as "
        + who() + describeError(r.body()), r.status(), null);
  }

  private void accept(Response r, long now) {
    JsonNode j = r.json();
    String at = j.path("access_token").asText(null);
    if (at == null || at.isEmpty()) {
      throw new KeycloakException("Keycloak at " + baseText + " answered the admin login without an access token",
          r.status(), null);
    }
    long life = Math.max(1, j.path("expires_in").asLong(60));
    long ahead = Math.min(MAX_RENEW_AHEAD.toSeconds() * 1000, life * 1000 / 6);
    accessToken = at;
    accessRenewAt = now + Duration.ofMillis(life * 1000 - ahead).toNanos();
    refreshToken = j.path("refresh_token").asText(null);
    long rlife = j.path("refresh_expires_in").asLong(0);
    refreshValidUntil = refreshToken == null || rlife <= 0 ? 0 : now + Duration.ofSeconds(rlife).minusSeconds(5).toNanos();
  }

  private synchronized void invalidate(String token) {
    if (token.equals(accessToken)) {
      accessToken = null;
      refreshToken = null;
    }
  }

  /** Who logs in, for messages: never the secret. */
  private String who() {
    return "password".equals(settings.grant())
        ? "user '" + settings.username() + "' (client '" + settings.clientId() + "', realm '" + settings.adminRealm() + "')"
        : "client '" + settings.clientId() + "' (realm '" + settings.adminRealm() + "')";
  }

  /** Keycloak's own error fields of an error body, short and on one line; anything else is dropped. */
  static String describeError(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode j = JSON.readTree(body);
      String text = Stream.of("error", "error_description", "errorMessage")
          .map(k -> j.path(k).asText(""))
          .filter(s -> !s.isEmpty())
          .distinct()
          .collect(Collectors.joining(": "));
      if (text.isEmpty()) {
        return "";
      }
      text = printable(text);
      return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String formEncode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static String printable(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
