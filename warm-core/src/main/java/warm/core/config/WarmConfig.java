package warm.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration of cc-ci-warm, bound from one JSON file. Every field has a default, so the embedded
 * default (no file at all) is a usable local setup: swarm adapter, state under {@code /var/lib/ci-warm}.
 *
 * @param stateRoot where canonicals, snapshots, journals, locks and alerts live
 * @param ciDomain the CI host's domain; canonical and cold domains hang below it
 * @param platform which deployment engine drives apps: {@code swarm} or {@code abra}
 * @param domains templates for canonical and per-run cold domains
 * @param recipes the enrolled recipes (each gets a data-warm canonical)
 * @param infra the live-warm infrastructure apps (traefik, keycloak)
 * @param abra settings of the abra adapter
 * @param swarm settings of the plain-Swarm adapter
 * @param keycloak the live-warm Keycloak that per-run SSO realms are made in
 * @param channels alert channels (JSON key {@code notify})
 * @param timeouts bounds on every wait
 * @param docker the docker executable (name on PATH or absolute path) every adapter reads Swarm through
 * @param nightly the nightly rebuild → sweep
 * @param disk the disk budget of warm data
 * @param status what {@code warm status} writes (the Prometheus textfile)
 * @param prune what {@code warm prune} may remove and when
 * @param gate how the upgrade gate reads release notes here (deployment context, extra markers)
 */
public record WarmConfig(
    Path stateRoot,
    String ciDomain,
    String platform,
    DomainTemplates domains,
    List<RecipeConfig> recipes,
    List<InfraApp> infra,
    AbraSettings abra,
    SwarmSettings swarm,
    KeycloakSettings keycloak,
    @JsonProperty("notify") List<NotifyChannel> channels,
    Timeouts timeouts,
    String docker,
    NightlySettings nightly,
    DiskSettings disk,
    StatusSettings status,
    PruneSettings prune,
    GateSettings gate) {

  public static final Path DEFAULT_STATE_ROOT = Path.of("/var/lib/ci-warm");
  public static final String DEFAULT_CI_DOMAIN = "ci.localhost";

  public WarmConfig {
    stateRoot = stateRoot == null ? DEFAULT_STATE_ROOT : stateRoot;
    ciDomain = ciDomain == null ? DEFAULT_CI_DOMAIN : ciDomain;
    platform = platform == null ? "swarm" : platform;
    domains = domains == null ? new DomainTemplates(null, null) : domains;
    recipes = recipes == null ? List.of() : List.copyOf(recipes);
    infra = infra == null ? List.of() : List.copyOf(infra);
    abra = abra == null ? new AbraSettings(null, null, null, null, null) : abra;
    swarm = swarm == null ? new SwarmSettings(null, null) : swarm;
    keycloak = keycloak == null ? KeycloakSettings.none() : keycloak;
    channels = channels == null ? List.of() : List.copyOf(channels);
    timeouts = timeouts == null ? new Timeouts(null, null, null, null, null, null) : timeouts;
    docker = docker == null ? "docker" : docker;
    nightly = nightly == null ? NightlySettings.none() : nightly;
    disk = disk == null ? DiskSettings.none() : disk;
    status = status == null ? StatusSettings.none() : status;
    prune = prune == null ? PruneSettings.defaults() : prune;
    gate = gate == null ? GateSettings.defaults() : gate;
  }

  /** The embedded default: what runs when no configuration file exists. */
  public static WarmConfig defaults() {
    return new WarmConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  // Copies with one field changed: the only way to derive a configuration, so a field added later is carried over
  // everywhere (an 11-argument "legacy" constructor once silently reset 'docker' for warm demo and selftest).

  /** A copy with another state root. */
  public WarmConfig withStateRoot(Path root) {
    return new WarmConfig(root, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels, timeouts,
        docker, nightly, disk, status, prune, gate);
  }

  /** A copy with another platform adapter ({@code swarm} or {@code abra}). */
  public WarmConfig withPlatform(String adapter) {
    return new WarmConfig(stateRoot, ciDomain, adapter, domains, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other domain templates. */
  public WarmConfig withDomains(DomainTemplates templates) {
    return new WarmConfig(stateRoot, ciDomain, platform, templates, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other enrolled recipes and infra apps. */
  public WarmConfig withApps(List<RecipeConfig> enrolled, List<InfraApp> infraApps) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, enrolled, infraApps, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other abra adapter settings. */
  public WarmConfig withAbra(AbraSettings settings) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, settings, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other swarm adapter settings. */
  public WarmConfig withSwarm(SwarmSettings settings) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, settings, keycloak, channels,
        timeouts, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other notify channels. */
  public WarmConfig withNotify(List<NotifyChannel> notify) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, notify,
        timeouts, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other timeouts. */
  public WarmConfig withTimeouts(Timeouts bounds) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels,
        bounds, docker, nightly, disk, status, prune, gate);
  }

  /** A copy with other nightly settings. */
  public WarmConfig withNightly(NightlySettings settings) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, settings, disk, status, prune, gate);
  }

  /** A copy with another disk budget. */
  public WarmConfig withDisk(DiskSettings budget) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, budget, status, prune, gate);
  }

  /** A copy with other status settings. */
  public WarmConfig withStatus(StatusSettings settings) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, settings, prune, gate);
  }

  /** A copy with other prune settings. */
  public WarmConfig withPrune(PruneSettings settings) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, status, settings, gate);
  }

  /** A copy with other gate settings. */
  public WarmConfig withGate(GateSettings settings) {
    return new WarmConfig(stateRoot, ciDomain, platform, domains, recipes, infra, abra, swarm, keycloak, channels,
        timeouts, docker, nightly, disk, status, prune, settings);
  }

  /** The enrolled recipe of that name, if any. */
  public Optional<RecipeConfig> recipe(String name) {
    return recipes.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * The canonical's stable domain for an enrolled or ad-hoc recipe: the recipe's explicit domain, else the
   * canonical template.
   */
  public String canonicalDomain(String recipe) {
    RecipeConfig r = recipe(recipe).orElse(new RecipeConfig(recipe, null, null, null));
    // Enrolled recipes are checked on load; an ad-hoc recipe's templated domain must not hit an infra app either.
    return ConfigValidator.requireNotReserved(this,
        ConfigValidator.canonicalDomainOf(this, r, "recipes[" + recipe + "]"), "recipes[" + recipe + "].domain");
  }

  /** Domains of all infra apps, for collision checks. */
  public Map<String, String> infraDomains() {
    var m = new LinkedHashMap<String, String>();
    infra.forEach(a -> m.put(a.domain(), a.name()));
    return m;
  }
}
