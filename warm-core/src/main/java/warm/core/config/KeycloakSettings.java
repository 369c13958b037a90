package warm.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The live-warm Keycloak that per-run realms are created in.
 *
 * @param url base URL (e.g. {@code https://auth.ci.example.org}); null means SSO is not configured
 * @param adminRealm realm the admin authenticates against ({@code master})
 * @param grant {@code password} (admin-cli) or {@code client_credentials}
 * @param username admin user for the password grant
 * @param clientId client id: {@code admin-cli} for the password grant, the service account's for client credentials
 * @param secretFile file holding the password (password grant) or client secret (client credentials)
 * @param secretCommand command printing that secret on stdout (alternative to {@code secretFile})
 * @param realmTtlMinutes realms older than this are reaped even when their run looks alive
 * @param redirectUris redirect URIs of per-run clients; {@code {domain}} is replaced by the run's domain
 * @param requestTimeoutSeconds bound on each HTTP request
 */
public record KeycloakSettings(String url, String adminRealm, String grant, String username, String clientId,
    Path secretFile, List<String> secretCommand, Integer realmTtlMinutes, List<String> redirectUris,
    Integer requestTimeoutSeconds) {
  public KeycloakSettings {
    adminRealm = adminRealm == null ? "master" : adminRealm;
    grant = grant == null ? "password" : grant;
    username = username == null ? "admin" : username;
    clientId = clientId == null ? "admin-cli" : clientId;
    secretCommand = secretCommand == null ? List.of() : List.copyOf(secretCommand);
    realmTtlMinutes = realmTtlMinutes == null ? 360 : realmTtlMinutes;
    redirectUris = redirectUris == null ? List.of("https://{domain}/*") : List.copyOf(redirectUris);
    requestTimeoutSeconds = requestTimeoutSeconds == null ? 30 : requestTimeoutSeconds;
  }

  static KeycloakSettings none() {
    return new KeycloakSettings(null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether a Keycloak is configured at all. */
  public boolean configured() {
    return url != null;
  }
}
