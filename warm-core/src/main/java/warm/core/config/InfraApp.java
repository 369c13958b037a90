package warm.core.config;

import java.util.List;

/**
 * A live-warm infrastructure app (traefik, keycloak) that floats to the latest gated release.
 *
 * @param name app name used for state and locks (e.g. {@code keycloak})
 * @param recipe recipe name
 * @param domain the app's domain (its stack name derives from it)
 * @param stateful whether its volumes are snapshotted before an upgrade (keycloak: yes)
 * @param healthUrl optional HTTP probe of the app itself, which must answer 2xx after a deploy; {@code {domain}} is
 *     replaced by the app's domain
 * @param acknowledged versions whose manual step the operator has done by hand: they no longer hold the upgrade
 *     (a note's manual step of that version; a major bump when it is the target)
 * @param upstreamNotes optional: the gate also reads the upstream project's notes of the versions crossed
 */
public record InfraApp(String name, String recipe, String domain, Boolean stateful, String healthUrl,
    List<String> acknowledged, UpstreamNotesSettings upstreamNotes) {
  public InfraApp {
    recipe = recipe == null ? name : recipe;
    stateful = stateful != null && stateful;
    acknowledged = acknowledged == null ? List.of() : List.copyOf(acknowledged);
  }

  /** An app with nothing acknowledged. */
  public InfraApp(String name, String recipe, String domain, Boolean stateful, String healthUrl) {
    this(name, recipe, domain, stateful, healthUrl, null, null);
  }

  /** An app without upstream notes. */
  public InfraApp(String name, String recipe, String domain, Boolean stateful, String healthUrl,
      List<String> acknowledged) {
    this(name, recipe, domain, stateful, healthUrl, acknowledged, null);
  }

  /** The health URL with {@code {domain}} replaced, if one is configured. */
  public java.util.Optional<String> resolvedHealthUrl() {
    return healthUrl == null || healthUrl.isBlank() ? java.util.Optional.empty()
        : java.util.Optional.of(healthUrl.replace("{domain}", domain));
  }
}
