package warm.quick;

import java.util.Map;
import warm.core.WarmException;

/** Per-run SSO realms as the quick lane needs them: create one for a run, delete it afterwards. */
public interface RunRealms {
  /** A created realm: its name (recorded in the journal) and the variables handed to the runner's assertions. */
  record Created(String realm, Map<String, String> env) {}

  Created create(String recipe, String runId, String domain);

  /** Deletes the realm; idempotent. */
  void delete(String realm);

  /** For configurations without Keycloak: asking for SSO is a usage error. */
  static RunRealms none() {
    return new RunRealms() {
      @Override
      public Created create(String recipe, String runId, String domain) {
        throw WarmException.usage("--sso asked for, but no keycloak is configured (keycloak.url)");
      }

      @Override
      public void delete(String realm) {}
    };
  }
}
