package warm.quick;

import warm.core.sso.KeycloakRealmManager;
import warm.core.sso.RealmRequest;
import warm.core.sso.RunRealm;

/** {@link RunRealms} in the live-warm Keycloak: a realm, confidential client and test user per quick run. */
final class KeycloakRunRealms implements RunRealms {
  private final KeycloakRealmManager manager;

  KeycloakRunRealms(KeycloakRealmManager manager) {
    this.manager = manager;
  }

  @Override
  public Created create(String recipe, String runId, String domain) {
    RunRealm r = manager.create(new RealmRequest(recipe, runId, domain, true));
    return new Created(r.realm(), r.environment());
  }

  @Override
  public void delete(String realm) {
    manager.delete(realm);
  }
}
