package warm.core.sso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.Durations;
import warm.core.WarmException;
import warm.core.config.KeycloakSettings;
import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;

/**
 * {@link RealmManager} on Keycloak's admin REST API ({@code java.net.http} and Jackson). Realms are named
 * {@code ccw-<recipe>-<run id>} and stamped with this installation's owner value, the run id, its stack and the
 * creation time; only stamped realms are ever deleted.
 */
public final class KeycloakRealmManager implements RealmManager {
  private static final Logger LOG = LoggerFactory.getLogger("warm.sso");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Name of the test user, when one is asked for. */
  public static final String TEST_USER = "test-user";

  private final KeycloakSettings settings;
  private final String owner;
  private final AdminSession session;
  private final Clock clock;

  /**
   * A manager for the configured Keycloak.
   *
   * @param settings the {@code keycloak} section of the configuration
   * @param owner this installation's stamp value (see {@link #ownerOf})
   * @param runner runs {@code keycloak.secretCommand}
   * @throws WarmException usage error when the URL or credential source is missing or malformed
   */
  public KeycloakRealmManager(KeycloakSettings settings, String owner, ProcessRunner runner) {
    this(settings, owner, runner, Clock.systemUTC());
  }

  KeycloakRealmManager(KeycloakSettings settings, String owner, ProcessRunner runner, Clock clock) {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("owner is empty");
    }
    this.settings = settings;
    this.owner = owner;
    this.session = new AdminSession(settings, runner);
    this.clock = clock;
  }

  /**
   * The manager for a loaded configuration.
   *
   * @param config the configuration ({@code keycloak} section and {@code ciDomain})
   * @param runner runs {@code keycloak.secretCommand}
   * @return the manager
   * @throws WarmException usage error when no Keycloak is configured
   */
  public static KeycloakRealmManager fromConfig(WarmConfig config, ProcessRunner runner) {
    if (!config.keycloak().configured()) {
      throw WarmException.usage("keycloak.url is not set in the configuration: per-run SSO realms need the "
          + "live-warm Keycloak");
    }
    return new KeycloakRealmManager(config.keycloak(), ownerOf(config), runner);
  }

  /**
   * The stamp value of an installation, {@code cc-ci-warm/<ciDomain>}: CI hosts sharing one Keycloak each reap
   * only their own realms.
   *
   * @param config the configuration
   * @return the stamp value
   */
  public static String ownerOf(WarmConfig config) {
    return "cc-ci-warm/" + config.ciDomain();
  }

  /**
   * The Keycloak base URL this manager talks to.
   *
   * @return the validated base URL, without trailing slash
   */
  public String keycloakUrl() {
    return session.baseUrl();
  }

  /**
   * This installation's stamp value.
   *
   * @return the owner attribute value of our realms
   */
  public String owner() {
    return owner;
  }

  AdminSession session() {
    return session;
  }

  @Override
  public RunRealm create(RealmRequest request) {
    String realm = request.realmName();
    String what = "creating realm '" + realm + "'";
    RealmStamp stamp = new RealmStamp(owner, request.recipe(), request.runId(), request.stack(),
        clock.instant().truncatedTo(ChronoUnit.SECONDS));
    ObjectNode rep = AdminSession.JSON.createObjectNode();
    rep.put("realm", realm);
    rep.put("enabled", true);
    rep.put("displayName", "cc-ci-warm run " + request.runId() + " of " + request.recipe());
    ObjectNode attrs = rep.putObject("attributes");
    stamp.attributes().forEach(attrs::put);
    AdminSession.Response r;
    try {
      r = session.admin("POST", "", rep, what);
    } catch (KeycloakException e) {
      if (e.getCause() instanceof HttpTimeoutException
          && !(e.getCause() instanceof HttpConnectTimeoutException) && e.getMessage().contains(what)) {
        // Keycloak may still finish the create after we gave up; the stamp lets reap find it.
        throw new KeycloakException(e.getMessage() + "; if realm '" + realm + "' appears later, 'warm sso reap' "
            + "removes it", e.status(), e);
      }
      throw e;
    }
    if (r.status() == 409) {
      throw WarmException.usage("realm '" + realm + "' already exists in Keycloak at " + keycloakUrl()
          + ": run id '" + request.runId() + "' is not unique for recipe '" + request.recipe() + "'");
    }
    if (r.status() != 201) {
      throw session.unexpected(r, what);
    }
    LOG.info("created realm {} for run {} of {}", realm, request.runId(), request.recipe());
    try {
      return populate(realm, request);
    } catch (RuntimeException e) {
      // Do not leave a half-made realm behind; if Keycloak is gone, reap removes it later.
      try {
        deleteStamped(realm);
      } catch (RuntimeException cleanup) {
        KeycloakException left = new KeycloakException(e.getMessage() + "; realm '" + realm
            + "' could not be removed again and is left for 'warm sso reap'",
            e instanceof KeycloakException k ? k.status() : -1, e);
        left.addSuppressed(cleanup);
        throw left;
      }
      throw e;
    }
  }

  private RunRealm populate(String realm, RealmRequest request) {
    String path = "/" + AdminSession.encode(realm);
    String clientId = request.recipe();
    ObjectNode client = AdminSession.JSON.createObjectNode();
    client.put("clientId", clientId);
    client.put("protocol", "openid-connect");
    client.put("enabled", true);
    client.put("publicClient", false);
    client.put("clientAuthenticatorType", "client-secret");
    client.put("standardFlowEnabled", true);
    // A service account lets a run (and our tests) prove the secret with a client-credentials grant.
    client.put("serviceAccountsEnabled", true);
    client.put("directAccessGrantsEnabled", request.testUser());
    ArrayNode uris = client.putArray("redirectUris");
    settings.redirectUris().forEach(u -> uris.add(u.replace("{domain}", request.domain())));
    client.putArray("webOrigins").add("+");
    String what = "creating client '" + clientId + "' in realm '" + realm + "'";
    AdminSession.Response r = session.admin("POST", path + "/clients", client, what);
    if (r.status() != 201) {
      throw session.unexpected(r, what);
    }
    String id = r.location().map(l -> l.substring(l.lastIndexOf('/') + 1)).orElseGet(() -> lookupClient(path, clientId));
    what = "reading the secret of client '" + clientId + "' in realm '" + realm + "'";
    r = session.admin("GET", path + "/clients/" + AdminSession.encode(id) + "/client-secret", null, what);
    if (r.status() != 200) {
      throw session.unexpected(r, what);
    }
    String secret = r.json().path("value").asText("");
    if (secret.isEmpty()) {
      throw new KeycloakException("Keycloak at " + keycloakUrl() + " returned no secret for client '" + clientId
          + "' in realm '" + realm + "'", r.status(), null);
    }
    RunRealm.TestUser user = request.testUser() ? createTestUser(path, realm, request.domain()) : null;
    return new RunRealm(realm, request.runId(), keycloakUrl() + "/realms/" + realm, clientId, secret, user);
  }

  private String lookupClient(String path, String clientId) {
    String what = "looking up client '" + clientId + "'";
    AdminSession.Response r = session.admin("GET", path + "/clients?clientId=" + AdminSession.encode(clientId), null, what);
    if (r.status() != 200 || !r.json().isArray() || r.json().isEmpty()) {
      throw session.unexpected(r, what);
    }
    return r.json().get(0).path("id").asText();
  }

  private RunRealm.TestUser createTestUser(String path, String realm, String domain) {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    ObjectNode user = AdminSession.JSON.createObjectNode();
    user.put("username", TEST_USER);
    user.put("enabled", true);
    // Keycloak's default user profile requires these; without them a login answers "account not fully set up".
    user.put("email", TEST_USER + "@" + domain);
    user.put("emailVerified", true);
    user.put("firstName", "Test");
    user.put("lastName", "User");
    ObjectNode cred = user.putArray("credentials").addObject();
    cred.put("type", "password");
    cred.put("value", password);
    cred.put("temporary", false);
    String what = "creating the test user in realm '" + realm + "'";
    AdminSession.Response r = session.admin("POST", path + "/users", user, what);
    if (r.status() != 201) {
      throw session.unexpected(r, what);
    }
    return new RunRealm.TestUser(TEST_USER, password);
  }

  @Override
  public DeleteOutcome delete(String realm) {
    if ("master".equals(realm) || settings.adminRealm().equals(realm)) {
      throw WarmException.usage("refusing to delete realm '" + realm + "': it is Keycloak's admin realm");
    }
    RealmNames.requireDeletableName(realm);
    String what = "reading realm '" + realm + "'";
    AdminSession.Response r = session.admin("GET", "/" + AdminSession.encode(realm), null, what);
    if (r.status() == 404) {
      LOG.info("realm {} does not exist: nothing to delete", realm);
      return DeleteOutcome.ABSENT;
    }
    if (r.status() != 200) {
      throw session.unexpected(r, what);
    }
    Optional<RealmStamp> stamp = RealmStamp.from(attributes(r.json()));
    if (stamp.isEmpty()) {
      throw WarmException.usage("refusing to delete realm '" + realm + "': it carries no cc-ci-warm stamp "
          + "(not created by cc-ci-warm)");
    }
    if (!owner.equals(stamp.get().owner())) {
      throw WarmException.usage("refusing to delete realm '" + realm + "': it belongs to '" + stamp.get().owner()
          + "', not to this installation ('" + owner + "')");
    }
    return deleteStamped(realm);
  }

  /** DELETE without the ownership check, for realms already known to be ours. 404 counts as done. */
  private DeleteOutcome deleteStamped(String realm) {
    String what = "deleting realm '" + realm + "'";
    AdminSession.Response r = session.admin("DELETE", "/" + AdminSession.encode(realm), null, what);
    if (r.status() == 204 || r.status() == 200) {
      LOG.info("deleted realm {}", realm);
      return DeleteOutcome.DELETED;
    }
    if (r.status() == 404) {
      return DeleteOutcome.ABSENT;
    }
    throw session.unexpected(r, what);
  }

  @Override
  public ReapReport reap(RunLiveness liveness, ReapPolicy policy) {
    String what = "listing realms";
    // The full representation: briefRepresentation=true would drop the attributes that carry our stamp.
    AdminSession.Response r = session.admin("GET", "?briefRepresentation=false", null, what);
    if (r.status() != 200 || !r.json().isArray()) {
      throw session.unexpected(r, what);
    }
    Instant now = clock.instant();
    List<ReapReport.Entry> entries = new ArrayList<>();
    int notOurs = 0;
    for (JsonNode realmNode : r.json()) {
      String realm = realmNode.path("realm").asText("");
      Optional<RealmStamp> stamp = RealmStamp.from(attributes(realmNode));
      if (realm.equals("master") || realm.equals(settings.adminRealm()) || stamp.isEmpty()
          || !owner.equals(stamp.get().owner())) {
        notOurs++;
        continue;
      }
      entries.add(judge(realm, stamp.get(), now, liveness, policy));
    }
    entries.sort(Comparator.comparing(ReapReport.Entry::realm));
    ReapReport report = new ReapReport(entries, notOurs, policy.dryRun());
    if (policy.dryRun()) {
      LOG.info("reap (dry run): {} of {} realm(s) of ours would be deleted, {} not ours untouched",
          entries.stream().filter(e -> e.action() == ReapReport.Action.WOULD_DELETE).count(), entries.size(), notOurs);
    } else {
      LOG.info("reap: {} of {} realm(s) of ours deleted, {} not ours untouched", report.deleted().size(),
          entries.size(), notOurs);
    }
    return report;
  }

  private ReapReport.Entry judge(String realm, RealmStamp stamp, Instant now, RunLiveness liveness, ReapPolicy policy) {
    Duration age = stamp.createdAt() == null ? null : Duration.between(stamp.createdAt(), now);
    String reason;
    if (age != null && age.compareTo(policy.ttl()) > 0) {
      reason = "expired: age " + Durations.human(age) + " > ttl " + Durations.human(policy.ttl());
    } else if (age != null && age.compareTo(policy.grace()) < 0) {
      return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.KEPT,
          "young: age " + Durations.human(age) + " < grace " + Durations.human(policy.grace()));
    } else if (stamp.stack() == null || stamp.stack().isEmpty()) {
      return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.KEPT,
          "no stack stamped: kept until the ttl");
    } else {
      boolean alive;
      try {
        alive = liveness.isAlive(stamp.stack());
      } catch (RuntimeException e) {
        return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.FAILED,
            "kept: cannot tell whether stack '" + stamp.stack() + "' is alive: " + e.getMessage());
      }
      if (alive) {
        return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.KEPT,
            "run alive: stack '" + stamp.stack() + "' exists");
      }
      reason = "run gone: stack '" + stamp.stack() + "' does not exist"
          + (age == null ? " (no creation time stamped)" : " (age " + Durations.human(age) + ")");
    }
    if (policy.dryRun()) {
      return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.WOULD_DELETE, reason);
    }
    try {
      DeleteOutcome o = deleteStamped(realm);
      return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.DELETED,
          o == DeleteOutcome.ABSENT ? reason + "; already gone" : reason);
    } catch (RuntimeException e) {
      return new ReapReport.Entry(realm, stamp.runId(), ReapReport.Action.FAILED,
          reason + "; delete failed: " + e.getMessage());
    }
  }

  private static Map<String, String> attributes(JsonNode realm) {
    Map<String, String> m = new LinkedHashMap<>();
    realm.path("attributes").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

}
