package warm.core.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import warm.core.WarmException;
import warm.core.naming.Naming;
import warm.core.state.StateStore;

/** Semantic checks of a bound configuration; each failure names the field. */
final class ConfigValidator {
  private ConfigValidator() {}

  static WarmConfig validate(WarmConfig c) {
    if (!c.stateRoot().isAbsolute()) {
      throw fail("stateRoot", "must be an absolute path, got '" + c.stateRoot() + "'");
    }
    stateRootUsable(c.stateRoot());
    field("ciDomain", () -> Naming.requireDomain(c.ciDomain()));
    // Relative paths would resolve against whatever directory systemd or the runner started us in.
    absoluteIfSet("abra.abraDir", c.abra().abraDir());
    absoluteIfSet("swarm.recipesDir", c.swarm().recipesDir());
    absoluteIfSet("swarm.appsDir", c.swarm().appsDir());
    absoluteIfSet("keycloak.secretFile", c.keycloak().secretFile());
    if (c.docker().isBlank()) {
      throw fail("docker", "must name the docker executable, got an empty string");
    }
    if (c.abra().executable().isBlank()) {
      throw fail("abra.executable", "must name the abra executable, got an empty string");
    }
    if (!Set.of("swarm", "abra").contains(c.platform())) {
      throw fail("platform", "must be 'swarm' or 'abra', got '" + c.platform() + "'");
    }
    Set<String> infraNames = new HashSet<>();
    Set<String> infraDomainSet = new HashSet<>();
    for (int i = 0; i < c.infra().size(); i++) {
      InfraApp a = c.infra().get(i);
      String at = "infra[" + i + "]";
      if (a.name() == null) {
        throw fail(at + ".name", "is required");
      }
      appName(at + ".name", a.name());
      field(at + ".recipe", () -> Naming.requireRecipeName(a.recipe()));
      if (a.domain() == null) {
        throw fail(at + ".domain", "is required");
      }
      field(at + ".domain", () -> Naming.requireRoomForObjectNames(a.domain()));
      if (!infraNames.add(a.name())) {
        throw fail(at + ".name", "duplicate infra app '" + a.name() + "'");
      }
      if (!infraDomainSet.add(a.domain())) {
        throw fail(at + ".domain", "domain '" + a.domain() + "' is used by two infra apps");
      }
      if (a.healthUrl() != null) {
        requireHttpUrl(at + ".healthUrl", a.resolvedHealthUrl().orElse(""));
      }
      for (String v : a.acknowledged()) {
        if (v == null || v.isBlank() || v.contains("/") || v.length() > 128) {
          throw fail(at + ".acknowledged", "'" + v + "' is not a recipe version");
        }
      }
      if (a.upstreamNotes() != null) {
        upstreamNotes(at + ".upstreamNotes", a.upstreamNotes());
      }
    }
    Set<String> seen = new HashSet<>();
    Set<String> domains = new HashSet<>();
    for (int i = 0; i < c.recipes().size(); i++) {
      RecipeConfig r = c.recipes().get(i);
      String at = "recipes[" + i + "]";
      if (r.name() == null) {
        throw fail(at + ".name", "is required");
      }
      appName(at + ".name", r.name());
      if (!seen.add(r.name())) {
        throw fail(at + ".name", "recipe '" + r.name() + "' is enrolled twice");
      }
      // State is kept per name (<stateRoot>/<name>/: the lock, the snapshot store, the state files): a canonical and
      // an infra app of one name would share them, and the infra app's pre-upgrade snapshot would become the
      // canonical's known-good, pruning the snapshots before it.
      if (infraNames.contains(r.name())) {
        throw fail(at + ".name", "'" + r.name() + "' is also an infra app's name, and a canonical and an infra app of"
            + " one name would share <stateRoot>/" + r.name() + "/ (its lock, snapshots and state): give the infra app"
            + " another name (infra[].name; its recipe stays '" + r.name() + "' in infra[].recipe)");
      }
      String domain = canonicalDomainOf(c, r, at);
      field(at + ".domain", () -> Naming.requireRoomForObjectNames(domain));
      requireNotReserved(c, domain, at + ".domain");
      if (r.healthUrl() != null) {
        // Every deploy of the recipe waits for it (RecipeProbes): a URL no deploy could ever reach is a typo here.
        requireHttpUrl(at + ".healthUrl", r.healthUrl().replace("{domain}", domain));
      }
      if (!domains.add(domain)) {
        throw fail(at + ".domain", "canonical domain '" + domain + "' is used by two recipes");
      }
    }
    // Both templates are checked with no recipe enrolled: commands expand the canonical one for any recipe too.
    field("domains.canonical", () -> Naming.canonicalDomain(c.domains().canonical(), "probe", c.ciDomain()));
    field("domains.cold", () -> Naming.coldDomain(c.domains().cold(), "probe", c.ciDomain(), "abcdef"));
    for (int i = 0; i < c.channels().size(); i++) {
      NotifyChannel n = c.channels().get(i);
      String at = "notify[" + i + "]";
      if ("command".equals(n.type())) {
        if (n.command().isEmpty()) {
          throw fail(at + ".command", "a command channel needs a non-empty argv");
        }
      } else if ("webhook".equals(n.type())) {
        if ((n.url() == null) == (n.urlFile() == null)) {
          throw fail(at + ".url", "a webhook channel needs exactly one of url and urlFile");
        }
        if (n.url() != null && !(n.url().startsWith("http://") || n.url().startsWith("https://"))) {
          throw fail(at + ".url", "a webhook channel needs an http(s) URL");
        }
        absoluteIfSet(at + ".urlFile", n.urlFile());
        absoluteIfSet(at + ".headersFile", n.headersFile());
        if (!Set.of("json", "ntfy").contains(n.format())) {
          throw fail(at + ".format", "must be 'json' or 'ntfy', got '" + n.format() + "'");
        }
      } else {
        throw fail(at + ".type", "must be 'command' or 'webhook', got '" + n.type() + "'");
      }
      if (n.timeoutSeconds() <= 0) {
        throw fail(at + ".timeoutSeconds", "must be positive");
      }
    }
    KeycloakSettings k = c.keycloak();
    if (k.configured()) {
      if (!(k.url().startsWith("http://") || k.url().startsWith("https://"))) {
        throw fail("keycloak.url", "must be an http(s) URL");
      }
      if (keycloakHost(k) == null) {
        throw fail("keycloak.url", "has no host: '" + k.url() + "'");
      }
      if (!Set.of("password", "client_credentials").contains(k.grant())) {
        throw fail("keycloak.grant", "must be 'password' or 'client_credentials', got '" + k.grant() + "'");
      }
      if (k.secretFile() != null && !k.secretCommand().isEmpty()) {
        throw fail("keycloak.secretFile", "set either secretFile or secretCommand, not both");
      }
      if (k.realmTtlMinutes() <= 0) {
        throw fail("keycloak.realmTtlMinutes", "must be positive");
      }
      if (k.requestTimeoutSeconds() <= 0) {
        throw fail("keycloak.requestTimeoutSeconds", "must be positive");
      }
    }
    NightlySettings n = c.nightly();
    positive("nightly.recipeTimeoutSeconds", n.recipeTimeoutSeconds());
    positive("nightly.waitSeconds", n.waitSeconds());
    if (n.maxTests() != null) {
      positive("nightly.maxTests", n.maxTests());
    }
    if (!n.coldCommand().isEmpty()) {
      if (n.coldCommand().stream().anyMatch(a -> a == null || a.isEmpty())) {
        throw fail("nightly.coldCommand", "must not contain an empty argument");
      }
      if (n.coldCommand().stream().noneMatch(a -> a.contains("{file}"))) {
        throw fail("nightly.coldCommand", "must pass {file}, where the command writes its cold result");
      }
    }
    if (n.rebuildCommand().stream().anyMatch(a -> a == null || a.isEmpty())) {
      throw fail("nightly.rebuildCommand", "must not contain an empty argument");
    }
    DiskSettings d = c.disk();
    if (d.budgetBytes() != null && d.budgetPercent() != null) {
      throw fail("disk", "set either budgetBytes or budgetPercent, not both");
    }
    if (d.budgetBytes() != null && d.budgetBytes() <= 0) {
      throw fail("disk.budgetBytes", "must be positive, got " + d.budgetBytes());
    }
    percent("disk.budgetPercent", d.budgetPercent());
    percent("disk.warnPercent", d.warnPercent());
    Path textfile = c.status().textfile();
    if (textfile != null) {
      absoluteIfSet("status.textfile", textfile);
      if (textfile.getFileName() == null) {
        throw fail("status.textfile", "must be a file name, got '" + textfile + "'");
      }
    }
    gate(c.gate());
    Timeouts t = c.timeouts();
    positive("timeouts.deploySeconds", t.deploySeconds());
    positive("timeouts.undeploySeconds", t.undeploySeconds());
    positive("timeouts.healthSeconds", t.healthSeconds());
    positive("timeouts.healthUrlSeconds", t.healthUrlSeconds());
    positive("timeouts.lockWaitSeconds", t.lockWaitSeconds());
    positive("timeouts.commandSeconds", t.commandSeconds());
    positive("timeouts.testSeconds", t.testSeconds());
    PruneSettings p = c.prune();
    if (p.deenrolledGraceMinutes() < 0) {
      throw fail("prune.deenrolledGraceMinutes", "must not be negative, got " + p.deenrolledGraceMinutes());
    }
    if (p.realmGraceMinutes() < 0) {
      throw fail("prune.realmGraceMinutes", "must not be negative, got " + p.realmGraceMinutes());
    }
    // A run warm did not start is judged by age alone: younger than one deploy plus one test run, it may be alive.
    long longestRunSeconds = (long) t.deploySeconds() + t.testSeconds();
    if ((long) p.deadRunAgeMinutes() * 60 <= longestRunSeconds) {
      throw fail("prune.deadRunAgeMinutes", "must be longer than timeouts.deploySeconds + timeouts.testSeconds ("
          + longestRunSeconds + " s), or a run still in flight could be pruned; got " + p.deadRunAgeMinutes());
    }
    if (p.imagePruneAbovePercent() < 0 || p.imagePruneAbovePercent() > 100) {
      throw fail("prune.imagePruneAbovePercent", "must be 0-100 (percent used; 100 = never), got "
          + p.imagePruneAbovePercent());
    }
    // 0 would remove a delivered alert, or a note the gate fetched a moment ago, at the next prune.
    if (p.sentAlertAgeDays() < 1) {
      throw fail("prune.sentAlertAgeDays", "must be at least 1, got " + p.sentAlertAgeDays());
    }
    if (p.gateNoteAgeDays() < 1) {
      throw fail("prune.gateNoteAgeDays", "must be at least 1, got " + p.gateNoteAgeDays());
    }
    return c;
  }

  /**
   * An app name (recipe or infra app): the naming rule, and not a directory of the state root's own, which every
   * command on the app would refuse (StateStore#appDir) long after the configuration was accepted.
   */
  private static void appName(String at, String name) {
    field(at, () -> Naming.requireRecipeName(name));
    if (StateStore.RESERVED_NAMES.contains(name)) {
      throw fail(at, "'" + name + "' is reserved for the state root's own " + name + "/ directory (reserved: "
          + String.join(", ", StateStore.RESERVED_NAMES.stream().sorted().toList()) + ")");
    }
  }

  /** The canonical domain of an enrolled recipe: its explicit domain, else the template. */
  static String canonicalDomainOf(WarmConfig c, RecipeConfig r, String at) {
    if (r.domain() != null) {
      return field(at + ".domain", () -> Naming.requireDomain(r.domain()));
    }
    return field("domains.canonical", () -> Naming.canonicalDomain(c.domains().canonical(), r.name(), c.ciDomain()));
  }

  /**
   * Rejects a canonical domain that is the domain of an infra app or of the configured Keycloak: deploying a
   * canonical there would replace a live-warm app's stack.
   */
  static String requireNotReserved(WarmConfig c, String domain, String field) {
    String infra = c.infraDomains().get(domain);
    if (infra != null) {
      throw fail(field, "canonical domain '" + domain + "' equals the domain of infra app '" + infra
          + "': a canonical must never collide with a live-warm app");
    }
    if (domain.equals(keycloakHost(c.keycloak()))) {
      throw fail(field, "canonical domain '" + domain + "' equals the Keycloak domain (keycloak.url): a canonical"
          + " must never collide with a live-warm app");
    }
    return domain;
  }

  private static String keycloakHost(KeycloakSettings k) {
    if (!k.configured()) {
      return null;
    }
    try {
      String host = URI.create(k.url()).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Kernel pseudo-filesystems: nothing written there persists or behaves like a file (proc(5), sysfs(5)). */
  private static final List<Path> KERNEL_FILESYSTEMS =
      List.of(Path.of("/proc"), Path.of("/sys"));

  /**
   * The state root must be able to hold the state: not an existing non-directory, not inside /proc or /sys (also
   * through a symlink). A root that does not exist yet is fine: the first writing command creates it.
   */
  /**
   * Context terms and markers are matched as text: blank or huge ones, or one term given twice, are mistakes; the
   * step limit is one of its two values, spelled exactly (a typo must not silently keep or change the limit).
   */
  private static void gate(GateSettings g) {
    Set<String> terms = new HashSet<>();
    for (Map.Entry<String, Boolean> e : g.context().entrySet()) {
      String term = e.getKey() == null ? "" : e.getKey().strip();
      if (term.isEmpty() || term.length() > 100) {
        throw fail("gate.context", "a term must be 1-100 characters, got '" + e.getKey() + "'");
      }
      if (e.getValue() == null) {
        throw fail("gate.context." + term, "must be true (used) or false (not used), got null");
      }
      if (!terms.add(term.toLowerCase(java.util.Locale.ROOT))) {
        throw fail("gate.context", "'" + term + "' is given twice (terms are case-insensitive)");
      }
    }
    for (int i = 0; i < g.markers().size(); i++) {
      String m = g.markers().get(i);
      if (m == null || m.isBlank() || m.length() > 200) {
        throw fail("gate.markers[" + i + "]", "must be a phrase of 1-200 characters, got '" + m + "'");
      }
    }
    if (!GateSettings.AUTO_APPLY_VALUES.contains(g.autoApply())) {
      throw fail("gate.autoApply", "must be 'minor' (a major step holds; the notes decide minor and patch steps) or"
          + " 'patch' (a minor step holds too; the notes decide patch steps), got '" + g.autoApply() + "'");
    }
  }

  private static void stateRootUsable(Path root) {
    Path real = root.normalize();
    if (Files.exists(root)) {
      if (!Files.isDirectory(root)) {
        throw fail("stateRoot", "'" + root + "' exists and is not a directory");
      }
      try {
        real = root.toRealPath();
      } catch (IOException e) {
        throw fail("stateRoot", "'" + root + "' cannot be resolved: " + e.getMessage());
      }
    }
    for (Path k : KERNEL_FILESYSTEMS) {
      if (real.startsWith(k)) {
        throw fail("stateRoot", "'" + root + "' is under " + k + ", a kernel filesystem that cannot hold state");
      }
    }
  }

  /** An http(s) URL with a host: what the reconciler's health probe can ask. */
  private static void upstreamNotes(String at, UpstreamNotesSettings u) {
    if ((u.directory() == null) == (u.urlTemplate() == null)) {
      throw fail(at, "give exactly one of directory or urlTemplate");
    }
    if (u.directory() != null && !u.directory().isAbsolute()) {
      throw fail(at + ".directory", "must be an absolute path, got '" + u.directory() + "'");
    }
    if (u.urlTemplate() != null) {
      if (!u.urlTemplate().contains("{version}")) {
        throw fail(at + ".urlTemplate", "'" + u.urlTemplate() + "' must contain {version}");
      }
      requireHttpUrl(at + ".urlTemplate", u.urlTemplate().replace("{version}", "1.0.0"));
    }
    if (u.timeoutSeconds() < 1 || u.timeoutSeconds() > UpstreamNotesSettings.MAX_TIMEOUT_SECONDS) {
      throw fail(at + ".timeoutSeconds", "must be between 1 and " + UpstreamNotesSettings.MAX_TIMEOUT_SECONDS
          + ", got " + u.timeoutSeconds());
    }
    if (!Set.of("hold", "proceed").contains(u.onUnreachable())) {
      throw fail(at + ".onUnreachable", "must be 'hold' or 'proceed', got '" + u.onUnreachable() + "'");
    }
  }

  private static void requireHttpUrl(String field, String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw fail(field, "'" + url + "' is not a URL: " + e.getMessage());
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw fail(field, "'" + url + "' must be an http:// or https:// URL with a host");
    }
  }

  private static void absoluteIfSet(String field, Path p) {
    if (p != null && !p.isAbsolute()) {
      throw fail(field, "must be an absolute path, got '" + p + "'");
    }
  }

  private static void percent(String field, Integer value) {
    if (value != null && (value < 1 || value > 100)) {
      throw fail(field, "must be a percentage from 1 to 100, got " + value);
    }
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw fail(field, "must be positive, got " + value);
    }
  }

  private static <T> T field(String field, Supplier<T> check) {
    try {
      return check.get();
    } catch (WarmException e) {
      throw fail(field, e.getMessage());
    }
  }

  private static WarmException fail(String field, String message) {
    return WarmException.usage(field + ": " + message);
  }
}
