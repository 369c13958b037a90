package warm.core.sso;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A realm made for one run: what the run's assertions need to talk OIDC to it. {@link #toString} hides the secrets;
 * only an explicit JSON result for the caller carries them (DESIGN I10).
 *
 * @param realm the realm's name
 * @param runId the run it belongs to
 * @param issuer the OIDC issuer URL ({@code <keycloak>/realms/<realm>})
 * @param clientId the confidential OIDC client's id
 * @param clientSecret that client's secret
 * @param testUser the test user, or null when none was asked for
 */
public record RunRealm(String realm, String runId, String issuer, String clientId, String clientSecret,
    TestUser testUser) {

  /**
   * A user of the run's realm for login tests.
   *
   * @param username its name
   * @param password its password (random, not temporary)
   */
  public record TestUser(String username, String password) {
    @Override
    public String toString() {
      return "TestUser[username=" + username + ", password=***]";
    }
  }

  /**
   * The environment variables a run's assertions get: {@code WARM_SSO_REALM}, {@code WARM_SSO_ISSUER},
   * {@code WARM_SSO_CLIENT_ID}, {@code WARM_SSO_CLIENT_SECRET} and, with a test user, {@code WARM_SSO_TEST_USER} and
   * {@code WARM_SSO_TEST_PASSWORD}. Carries secrets: hand it to the child process only, never log it.
   *
   * @return variable name to value, in a stable order
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WARM_SSO_REALM", realm);
    env.put("WARM_SSO_ISSUER", issuer);
    env.put("WARM_SSO_CLIENT_ID", clientId);
    env.put("WARM_SSO_CLIENT_SECRET", clientSecret);
    if (testUser != null) {
      env.put("WARM_SSO_TEST_USER", testUser.username());
      env.put("WARM_SSO_TEST_PASSWORD", testUser.password());
    }
    return Collections.unmodifiableMap(env);
  }

  /**
   * The secret values of this realm, for redaction ({@code Command.withSecret}).
   *
   * @return the client secret and, with a test user, its password
   */
  public List<String> secrets() {
    return testUser == null ? List.of(clientSecret) : List.of(clientSecret, testUser.password());
  }

  @Override
  public String toString() {
    return "RunRealm[realm=" + realm + ", runId=" + runId + ", issuer=" + issuer + ", clientId=" + clientId
        + ", clientSecret=***, testUser=" + testUser + "]";
  }
}
