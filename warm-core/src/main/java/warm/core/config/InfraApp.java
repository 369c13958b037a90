package warm.core.config;

/**
 * A live-warm infrastructure app (traefik, keycloak) that floats to the latest gated release.
 *
 * @param name app name used for state and locks (e.g. {@code keycloak})
 * @param recipe recipe name
 * @param domain the app's domain (its stack name derives from it)
 * @param stateful whether its volumes are snapshotted before an upgrade (keycloak: yes)
 * @param healthUrl optional HTTP probe of the app itself
 */
public record InfraApp(String name, String recipe, String domain, Boolean stateful, String healthUrl) {
  public InfraApp {
    recipe = recipe == null ? name : recipe;
    stateful = stateful != null && stateful;
  }
}
