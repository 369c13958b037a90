package warm.core.sso;

import warm.core.naming.Naming;

/**
 * What a run asks for: a realm for one run of a recipe whose app answers at {@code domain}.
 *
 * @param recipe the parent recipe (validated: lowercase letters, digits, {@code -}, {@code _})
 * @param runId the run's unique id (1-32 lowercase letters, digits, inner {@code -})
 * @param domain the run's app domain: fills {@code {domain}} in redirect URIs; its stack name is what the liveness
 *     check asks about
 * @param testUser whether to create a test user with a random password
 */
public record RealmRequest(String recipe, String runId, String domain, boolean testUser) {
  /**
   * Validates every part; bad input is a usage error (exit 2) and nothing is created.
   *
   * @param recipe the parent recipe
   * @param runId the run's unique id
   * @param domain the run's app domain
   * @param testUser whether to create a test user
   */
  public RealmRequest {
    Naming.requireRecipeName(recipe);
    RealmNames.requireRunId(runId);
    Naming.requireDomain(domain);
  }

  /**
   * The realm this request gets.
   *
   * @return {@code ccw-<recipe>-<run id>}
   */
  public String realmName() {
    return RealmNames.realmName(recipe, runId);
  }

  /**
   * The run's Swarm stack.
   *
   * @return its domain with dots turned into {@code _}
   */
  public String stack() {
    return Naming.stackName(domain);
  }
}
