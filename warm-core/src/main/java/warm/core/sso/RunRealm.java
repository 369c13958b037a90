package warm.core.sso;

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

  @Override
  public String toString() {
    return "RunRealm[realm=" + realm + ", runId=" + runId + ", issuer=" + issuer + ", clientId=" + clientId
        + ", clientSecret=***, testUser=" + testUser + "]";
  }
}
