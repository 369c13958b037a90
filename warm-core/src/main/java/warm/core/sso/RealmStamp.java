package warm.core.sso;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes that mark a realm as made by this cc-ci-warm installation. Keycloak keeps no creation time of
 * its own, so the stamp carries one; the owner value names the installation, so two CI hosts sharing a Keycloak
 * never reap each other's realms.
 *
 * @param owner the installation ({@code cc-ci-warm/<ciDomain>})
 * @param recipe the parent recipe
 * @param runId the run's id
 * @param stack the run's Swarm stack, asked about by the liveness check
 * @param createdAt when the realm was created; null when the attribute is missing or unreadable
 */
public record RealmStamp(String owner, String recipe, String runId, String stack, Instant createdAt) {
  static final String OWNER = "cc-ci-warm.owner";
  static final String RECIPE = "cc-ci-warm.recipe";
  static final String RUN = "cc-ci-warm.run";
  static final String STACK = "cc-ci-warm.stack";
  static final String CREATED = "cc-ci-warm.created";

  /** The realm attributes that carry this stamp. */
  Map<String, String> attributes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(OWNER, owner);
    m.put(RECIPE, recipe);
    m.put(RUN, runId);
    m.put(STACK, stack);
    m.put(CREATED, createdAt.toString());
    return m;
  }

  /** Reads a stamp from realm attributes; empty when the realm carries no owner attribute at all. */
  static Optional<RealmStamp> from(Map<String, String> attributes) {
    String owner = attributes.get(OWNER);
    if (owner == null || owner.isEmpty()) {
      return Optional.empty();
    }
    Instant created = null;
    String c = attributes.get(CREATED);
    if (c != null) {
      try {
        created = Instant.parse(c);
      } catch (DateTimeParseException e) {
        created = null;
      }
    }
    return Optional.of(new RealmStamp(owner, attributes.get(RECIPE), attributes.get(RUN), attributes.get(STACK),
        created));
  }
}
