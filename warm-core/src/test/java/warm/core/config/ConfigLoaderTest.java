package warm.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;

/** Loading, defaults and every validation rule of the JSON configuration. */
class ConfigLoaderTest {
  @TempDir
  Path tmp;

  /** docs/config.example.json of this checkout: the test loads the very file operators copy. */
  static Path exampleFile() {
    String root = System.getenv("WARM_REPO_ROOT");
    Path dir = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path f = d.resolve("docs/config.example.json");
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    throw new AssertionError("docs/config.example.json not found above " + dir);
  }

  private static WarmException rejected(String json) {
    WarmException e = assertThrows(WarmException.class, () -> ConfigLoader.parse(json, "test.json"));
    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("config test.json: "), e.getMessage());
    return e;
  }

  /** Asserts the config is rejected with a message that starts with the field path. */
  private static void rejectedAt(String json, String field, String mentions) {
    String m = rejected(json).getMessage();
    assertTrue(m.startsWith("config test.json: " + field + ": "), "names field " + field + ": " + m);
    assertTrue(m.contains(mentions), "mentions '" + mentions + "': " + m);
  }

  // ---- the full example ------------------------------------------------------------------------------------

  @Test
  void fullExampleBindsEveryField() {
    WarmConfig c = ConfigLoader.loadFile(exampleFile());
    assertEquals(Path.of("/var/lib/ci-warm"), c.stateRoot());
    assertEquals("ci.example.org", c.ciDomain());
    assertEquals("abra", c.platform());
    assertEquals("/run/current-system/sw/bin/docker", c.docker());
    assertEquals("warm-{recipe}.{ciDomain}", c.domains().canonical());
    assertEquals("{recipe}-{hex}.{ciDomain}", c.domains().cold());

    assertEquals(List.of("custom-html", "nextcloud", "wordpress"), c.recipes().stream().map(RecipeConfig::name).toList());
    assertTrue(c.recipe("nextcloud").orElseThrow().sso());
    assertFalse(c.recipe("custom-html").orElseThrow().sso());
    assertEquals("https://{domain}/status.php", c.recipe("nextcloud").orElseThrow().healthUrl());
    assertEquals("warm-custom-html.ci.example.org", c.canonicalDomain("custom-html"));
    assertEquals("wp-canonical.ci.example.org", c.canonicalDomain("wordpress"));

    assertEquals(2, c.infra().size());
    InfraApp traefik = c.infra().get(0);
    assertEquals(new InfraApp("traefik", "traefik", "proxy.ci.example.org", false, null), traefik);
    InfraApp kc = c.infra().get(1);
    assertTrue(kc.stateful());
    assertEquals("auth.ci.example.org", kc.domain());
    assertEquals(new UpstreamNotesSettings(null, "https://github.com/keycloak/keycloak/releases/tag/{version}", 10,
        "hold"), kc.upstreamNotes());
    assertEquals(Map.of("proxy.ci.example.org", "traefik", "auth.ci.example.org", "keycloak"), c.infraDomains());

    assertEquals(new AbraSettings("/run/current-system/sw/bin/abra", Path.of("/var/lib/ci-warm/abra"), "default",
        true, List.of("--debug")), c.abra());
    assertEquals(new SwarmSettings(Path.of("/var/lib/ci-warm/recipes"), Path.of("/var/lib/ci-warm/apps")), c.swarm());

    KeycloakSettings k = c.keycloak();
    assertTrue(k.configured());
    assertEquals("https://auth.ci.example.org", k.url());
    assertEquals("client_credentials", k.grant());
    assertEquals("cc-ci-warm", k.clientId());
    assertEquals(Path.of("/run/secrets/cc-ci-warm-keycloak"), k.secretFile());
    assertEquals(240, k.realmTtlMinutes());
    assertEquals(List.of("https://{domain}/*", "https://{domain}/oauth/callback"), k.redirectUris());
    assertEquals(20, k.requestTimeoutSeconds());

    assertEquals(2, c.channels().size());
    assertEquals(List.of("/run/current-system/sw/bin/logger", "-t", "cc-ci-warm"), c.channels().get(0).command());
    assertEquals(10, c.channels().get(0).timeoutSeconds());
    NotifyChannel hook = c.channels().get(1);
    assertEquals("ntfy", hook.format());
    assertEquals(Map.of("Authorization", "Bearer tk_example"), hook.headers());

    assertEquals(Duration.ofSeconds(900), c.timeouts().deploy());
    assertEquals(Duration.ofSeconds(240), c.timeouts().undeploy());
    assertEquals(Duration.ofSeconds(420), c.timeouts().health());
    assertEquals(Duration.ofSeconds(90), c.timeouts().healthUrl());
    assertEquals(Duration.ofSeconds(3600), c.timeouts().lockWait());
    assertEquals(Duration.ofSeconds(180), c.timeouts().command());
    assertEquals(Duration.ofSeconds(5400), c.timeouts().test());

    assertEquals(List.of("10.0.0+26.0.0"), kc.acknowledged());
    NightlySettings n = c.nightly();
    assertEquals(List.of("/run/current-system/sw/bin/run_recipe_ci.py", "--recipe", "{recipe}", "--cold", "--result",
        "{file}"), n.coldCommand());
    assertEquals(Duration.ofSeconds(5400), n.recipeTimeout());
    assertEquals(20, n.maxTests());
    assertEquals(Duration.ofSeconds(7200), n.waitForRuns());
    assertEquals(List.of(), n.rebuildCommand());
    assertEquals(new DiskSettings(null, 40, 80), c.disk());
    assertEquals(Path.of("/var/lib/prometheus-node-exporter-text-files/cc-ci-warm.prom"), c.status().textfile());
    assertEquals(new PruneSettings(4320, 480, 30, 85, 120, 45), c.prune());
    assertEquals(new GateSettings(Map.of("kubernetes", false, "docker swarm", true), List.of("rotate the OIDC secret"),
        "minor"), c.gate());
  }

  @Test
  void nightlyColdCommandMustPassTheResultFile() {
    rejectedAt("{\"nightly\": {\"coldCommand\": [\"run\", \"{recipe}\"]}}", "nightly.coldCommand", "{file}");
    rejectedAt("{\"nightly\": {\"coldCommand\": [\"run\", \"\", \"{file}\"]}}", "nightly.coldCommand", "empty");
    rejectedAt("{\"nightly\": {\"maxTests\": 0}}", "nightly.maxTests", "positive");
    rejectedAt("{\"nightly\": {\"waitSeconds\": -1}}", "nightly.waitSeconds", "positive");
  }

  @Test
  void gateDefaultsAndRules() {
    GateSettings d = ConfigLoader.parse("{}", "test.json").gate();
    assertEquals(java.util.Map.of(), d.context());
    assertEquals(java.util.List.of(), d.markers());
    GateSettings g = ConfigLoader.parse("{\"gate\": {\"context\": {\"kubernetes\": true, \"nomad\": false},"
        + " \"markers\": [\"rotate the key\"]}}", "t").gate();
    assertEquals(Boolean.TRUE, g.context().get("kubernetes"));
    assertEquals(java.util.List.of("rotate the key"), g.markers());
    rejectedAt("{\"gate\": {\"markers\": [\"  \"]}}", "gate.markers[0]", "1-200 characters");
    rejectedAt("{\"gate\": {\"context\": {\" \": true}}}", "gate.context", "1-100 characters");
    rejectedAt("{\"gate\": {\"context\": {\"Helm\": true, \"helm\": false}}}", "gate.context", "given twice");
    rejectedAt("{\"gate\": {\"context\": {\"helm\": null}}}", "gate.context.helm", "true (used) or false");
    String unknown = rejected("{\"gate\": {\"marker\": []}}").getMessage();
    assertTrue(unknown.contains("unknown key 'marker' at gate.marker"), unknown);
  }

  @Test
  void gateAutoApply_defaultsToMinor_takesPatch_rejectsAnythingElseNamingTheKeyAndTheValues() {
    assertEquals("minor", ConfigLoader.parse("{}", "t").gate().autoApply());
    assertEquals("minor", ConfigLoader.parse("{\"gate\": {\"markers\": [\"x\"]}}", "t").gate().autoApply());
    assertEquals("minor", ConfigLoader.parse("{\"gate\": {\"autoApply\": \"minor\"}}", "t").gate().autoApply());
    GateSettings p = ConfigLoader.parse("{\"gate\": {\"autoApply\": \"patch\", \"markers\": [\"x\"]}}", "t").gate();
    assertEquals("patch", p.autoApply());
    assertEquals(java.util.List.of("x"), p.markers(), "the other gate keys are read as before");
    for (String bad : new String[] {"\"major\"", "\"Patch\"", "\"patch \"", "\"\"", "\"none\"", "1", "true"}) {
      String json = "{\"gate\": {\"autoApply\": " + bad + "}}";
      rejectedAt(json, "gate.autoApply", "'minor'");
      String msg = rejected(json).getMessage();
      assertTrue(msg.contains("'patch'"), msg);
    }
    String list = rejected("{\"gate\": {\"autoApply\": [\"patch\"]}}").getMessage();
    assertTrue(list.contains("gate.autoApply"), list);
  }

  @Test
  void pruneDefaultsAndRules() {
    PruneSettings d = ConfigLoader.parse("{}", "test.json").prune();
    assertEquals(Duration.ofDays(7), d.deenrolledGrace());
    assertEquals(Duration.ofHours(6), d.deadRunAge());
    assertEquals(Duration.ofMinutes(30), d.realmGrace());
    assertEquals(80, d.imagePruneAbovePercent());
    assertEquals(Duration.ofDays(90), d.sentAlertAge());
    assertEquals(Duration.ofDays(30), d.gateNoteAge());
    rejectedAt("{\"prune\": {\"sentAlertAgeDays\": 0}}", "prune.sentAlertAgeDays", "at least 1");
    rejectedAt("{\"prune\": {\"gateNoteAgeDays\": 0}}", "prune.gateNoteAgeDays", "at least 1");
    rejectedAt("{\"prune\": {\"deenrolledGraceMinutes\": -1}}", "prune.deenrolledGraceMinutes", "negative");
    rejectedAt("{\"prune\": {\"realmGraceMinutes\": -5}}", "prune.realmGraceMinutes", "negative");
    rejectedAt("{\"prune\": {\"imagePruneAbovePercent\": 101}}", "prune.imagePruneAbovePercent", "0-100");
    // default timeouts: deploy 600 s + test 3600 s = 70 min; a run younger than that may be in flight
    rejectedAt("{\"prune\": {\"deadRunAgeMinutes\": 70}}", "prune.deadRunAgeMinutes", "4200 s");
    assertEquals(71, ConfigLoader.parse("{\"prune\": {\"deadRunAgeMinutes\": 71}}", "t").prune().deadRunAgeMinutes());
    String unknown = rejected("{\"prune\": {\"graceMinutes\": 1}}").getMessage();
    assertTrue(unknown.contains("unknown key 'graceMinutes' at prune.graceMinutes"), unknown);
  }

  /**
   * {@code warm config check} prints derived defaults as derived, not as {@code null}: each recipe's canonical domain,
   * abra's directory ({@code ABRA_DIR}, else the user's home) and Swarm's directories under the state root. What it
   * prints loads back and prints the same.
   */
  @Test
  void effectiveConfigPrintsDerivedDefaults() throws Exception {
    WarmConfig c = ConfigLoader.parse("{\"stateRoot\": \"/srv/warm\", \"ciDomain\": \"ci.example.org\", \"recipes\": "
        + "[{\"name\": \"custom-html\"}, {\"name\": \"wordpress\", \"domain\": \"wp.ci.example.org\"}]}", "test");
    String json = ConfigLoader.toEffectiveJson(c, Map.of());
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertEquals("warm-custom-html.ci.example.org", tree.path("recipes").path(0).path("domain").asText(), json);
    assertEquals("wp.ci.example.org", tree.path("recipes").path(1).path("domain").asText(), json);
    assertEquals(Path.of(System.getProperty("user.home"), ".abra").toString(),
        tree.path("abra").path("abraDir").asText(), json);
    assertEquals("/srv/warm/recipes", tree.path("swarm").path("recipesDir").asText(), json);
    assertEquals("/srv/warm/apps", tree.path("swarm").path("appsDir").asText(), json);
    assertEquals("/opt/abra", new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(ConfigLoader.toEffectiveJson(c, Map.of("ABRA_DIR", "/opt/abra"))).path("abra").path("abraDir")
        .asText());
    assertEquals(json, ConfigLoader.toEffectiveJson(ConfigLoader.parse(json, "printed"), Map.of()));
    WarmConfig d = ConfigLoader.parse("{}", "empty");
    String printed = ConfigLoader.toEffectiveJson(d, Map.of());
    assertEquals(printed, ConfigLoader.toEffectiveJson(ConfigLoader.parse(printed, "printed default"), Map.of()));
  }

  @Test
  void printedConfigIsPlainPathsAndLoadsBackEqual() {
    WarmConfig c = ConfigLoader.loadFile(exampleFile());
    String json = ConfigLoader.toJson(c);
    assertFalse(json.contains("file:"), "paths print as plain strings: " + json);
    assertTrue(json.contains("\"stateRoot\" : \"/var/lib/ci-warm\""), json);
    assertEquals(c, ConfigLoader.parse(json, "printed"));
    WarmConfig d = ConfigLoader.parse("{}", "empty");
    assertEquals(d, ConfigLoader.parse(ConfigLoader.toJson(d), "printed default"));
  }

  @Test
  void configuredCollectionsAreImmutable() {
    WarmConfig c = ConfigLoader.loadFile(exampleFile());
    assertThrows(UnsupportedOperationException.class, () -> c.recipes().add(new RecipeConfig("x", null, null, null)));
    assertThrows(UnsupportedOperationException.class, () -> c.channels().get(1).headers().put("a", "b"));
    assertThrows(UnsupportedOperationException.class, () -> c.abra().extraDeployFlags().add("--x"));
  }

  // ---- defaults --------------------------------------------------------------------------------------------

  @Test
  void emptyObjectIsTheEmbeddedDefault() {
    WarmConfig c = ConfigLoader.parse("{}", "empty");
    assertEquals(WarmConfig.defaults(), c);
    assertEquals(Path.of("/var/lib/ci-warm"), c.stateRoot());
    assertEquals("ci.localhost", c.ciDomain());
    assertEquals("swarm", c.platform());
    assertEquals("docker", c.docker());
    assertEquals("abra", c.abra().executable());
    assertEquals("default", c.abra().server());
    assertTrue(c.abra().noDomainChecks());
    assertFalse(c.keycloak().configured());
    assertEquals("master", c.keycloak().adminRealm());
    assertEquals(List.of(), c.recipes());
    assertEquals(List.of(), c.infra());
    assertEquals(List.of(), c.channels());
    assertEquals(Duration.ofSeconds(600), c.timeouts().deploy());
    assertEquals(Duration.ofSeconds(120), c.timeouts().command());
    assertEquals("warm-gitea.ci.localhost", c.canonicalDomain("gitea"));
  }

  @Test
  void nestedDefaultsFillMissingFields() {
    WarmConfig c = ConfigLoader.parse("""
        {"timeouts": {"deploySeconds": 5}, "notify": [{"type": "webhook", "url": "http://h/x"}],
         "infra": [{"name": "traefik", "domain": "proxy.ci.localhost"}]}""", "t");
    assertEquals(Duration.ofSeconds(5), c.timeouts().deploy());
    assertEquals(Duration.ofSeconds(180), c.timeouts().undeploy());
    assertEquals(Duration.ofSeconds(60), c.timeouts().healthUrl(), "healthUrlSeconds defaults to 60, not healthSeconds");
    assertEquals("json", c.channels().get(0).format());
    assertEquals(20, c.channels().get(0).timeoutSeconds());
    assertEquals("traefik", c.infra().get(0).recipe());
    assertFalse(c.infra().get(0).stateful());
  }

  @Test
  void explicitNullMeansDefault() {
    assertEquals(WarmConfig.defaults(), ConfigLoader.parse("{\"stateRoot\": null, \"timeouts\": null}", "t"));
  }

  @Test
  void noFileAnywhereIsTheEmbeddedDefault() {
    // Only meaningful where the NixOS default path does not exist (every build machine).
    Assumptions.assumeFalse(Files.exists(ConfigLoader.DEFAULT_PATH));
    assertEquals(WarmConfig.defaults(), ConfigLoader.load(null, Map.of()));
  }

  // ---- resolution order -----------------------------------------------------------------------------------

  @Test
  void explicitFileWinsOverEnvironment() throws Exception {
    Path a = Files.writeString(tmp.resolve("a.json"), "{\"ciDomain\": \"a.example\"}");
    Path b = Files.writeString(tmp.resolve("b.json"), "{\"ciDomain\": \"b.example\"}");
    assertEquals("a.example", ConfigLoader.load(a, Map.of(ConfigLoader.ENV, b.toString())).ciDomain());
    assertEquals("b.example", ConfigLoader.load(null, Map.of(ConfigLoader.ENV, b.toString())).ciDomain());
  }

  @Test
  void namedFileThatDoesNotExistIsAnError() {
    Path missing = tmp.resolve("nope.json");
    WarmException e = assertThrows(WarmException.class, () -> ConfigLoader.load(missing, Map.of()));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    WarmException viaEnv = assertThrows(WarmException.class,
        () -> ConfigLoader.load(null, Map.of(ConfigLoader.ENV, missing.toString())));
    assertTrue(viaEnv.getMessage().contains(missing.toString()), viaEnv.getMessage());
  }

  // ---- syntax and binding ----------------------------------------------------------------------------------

  @Test
  void malformedJsonNamesTheLine() {
    String m = rejected("{\n  \"ciDomain\": \"a.b\",\n  \"stateRoot\" \"/x\"\n}").getMessage();
    assertTrue(m.contains("malformed JSON at line 3"), m);
  }

  @Test
  void trailingGarbageIsRejected() {
    rejected("{} {}");
  }

  @Test
  void emptyAndNonObjectDocumentsAreRejected() {
    rejected("");
    rejected("null");
    rejected("[]");
  }

  @Test
  void duplicateKeyIsRejected() {
    String m = rejected("{\"ciDomain\": \"a.example\", \"ciDomain\": \"b.example\"}").getMessage();
    assertTrue(m.contains("ciDomain"), m);
  }

  @Test
  void unknownTopLevelKeyIsRejectedAndNamed() {
    String m = rejected("{\"stateroot\": \"/x\"}").getMessage();
    assertTrue(m.contains("unknown key 'stateroot'"), m);
    assertTrue(m.contains("known:") && m.contains("stateRoot"), "lists the known keys: " + m);
  }

  @Test
  void unknownNestedKeyIsRejectedWithItsPath() {
    String m = rejected("{\"recipes\": [{\"name\": \"a\"}, {\"name\": \"b\", \"ssso\": true}]}").getMessage();
    assertTrue(m.contains("unknown key 'ssso' at recipes[1].ssso"), m);
    String t = rejected("{\"timeouts\": {\"deploySecs\": 1}}").getMessage();
    assertTrue(t.contains("at timeouts.deploySecs"), t);
  }

  @Test
  void wrongTypeNamesTheFieldPath() {
    String m = rejected("{\"timeouts\": {\"healthSeconds\": \"soon\"}}").getMessage();
    assertTrue(m.contains("bad value at timeouts.healthSeconds"), m);
    String n = rejected("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\", \"stateful\": [1]}]}").getMessage();
    assertTrue(n.contains("bad value at infra[0].stateful"), n);
  }

  // ---- validation rules: one test each ---------------------------------------------------------------------

  @Test
  void stateRootMustBeAbsolute() {
    rejectedAt("{\"stateRoot\": \"var/lib/warm\"}", "stateRoot", "absolute");
  }

  @Test
  void stateRootMustNotBeAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    rejectedAt("{\"stateRoot\": \"" + file + "\"}", "stateRoot", "'" + file + "' exists and is not a directory");
  }

  @Test
  void stateRootMustNotBeUnderProcOrSys() throws Exception {
    rejectedAt("{\"stateRoot\": \"/proc/warm\"}", "stateRoot", "under /proc, a kernel filesystem");
    rejectedAt("{\"stateRoot\": \"/proc/self/../warm\"}", "stateRoot", "under /proc");
    rejectedAt("{\"stateRoot\": \"/sys\"}", "stateRoot", "under /sys");
    Path link = Files.createSymbolicLink(tmp.resolve("to-proc"), Path.of("/proc/self"));
    rejectedAt("{\"stateRoot\": \"" + link + "\"}", "stateRoot", "under /proc");
    // a root that does not exist yet is fine: the first writing command creates it
    assertEquals(tmp.resolve("new-root"), ConfigLoader.parse("{\"stateRoot\": \"" + tmp.resolve("new-root") + "\"}",
        "t").stateRoot());
  }

  @Test
  void emptyFileIsNamedAsEmpty() throws Exception {
    for (String body : new String[] {"", "  \n"}) {
      Path f = Files.writeString(tmp.resolve("empty.json"), body);
      WarmException e = assertThrows(WarmException.class, () -> ConfigLoader.loadFile(f));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().startsWith("the configuration file " + f + " is empty"), e.getMessage());
    }
  }

  @Test
  void configuredDirectoriesMustBeAbsolute() {
    rejectedAt("{\"abra\": {\"abraDir\": \"abra\"}}", "abra.abraDir", "absolute");
    rejectedAt("{\"swarm\": {\"recipesDir\": \"./recipes\"}}", "swarm.recipesDir", "absolute");
    rejectedAt("{\"swarm\": {\"appsDir\": \"apps\"}}", "swarm.appsDir", "absolute");
    rejectedAt("{\"keycloak\": {\"secretFile\": \"kc.secret\"}}", "keycloak.secretFile", "absolute");
  }

  @Test
  void ciDomainMustBeADomain() {
    rejectedAt("{\"ciDomain\": \"CI.Example\"}", "ciDomain", "invalid domain");
    rejectedAt("{\"ciDomain\": \"ci/../etc\"}", "ciDomain", "invalid domain");
  }

  @Test
  void platformMustBeKnown() {
    rejectedAt("{\"platform\": \"kubernetes\"}", "platform", "'swarm' or 'abra'");
  }

  @Test
  void dockerExecutableMustNotBeEmpty() {
    rejectedAt("{\"docker\": \" \"}", "docker", "docker executable");
  }

  @Test
  void abraExecutableMustNotBeEmpty() {
    rejectedAt("{\"abra\": {\"executable\": \"\"}}", "abra.executable", "abra executable");
  }

  @Test
  void infraHealthUrlMustBeHttp() {
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\", \"healthUrl\": \"ftp://{domain}/x\"}]}",
        "infra[0].healthUrl", "http://");
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\", \"healthUrl\": \"health\"}]}",
        "infra[0].healthUrl", "http://");
    // A recipe's probe is asked by every deploy of it: checked the same way.
    rejectedAt("{\"recipes\": [{\"name\": \"web\", \"healthUrl\": \"ftp://{domain}/x\"}]}",
        "recipes[0].healthUrl", "http://");
    rejectedAt("{\"recipes\": [{\"name\": \"web\", \"healthUrl\": \"status.php\"}]}",
        "recipes[0].healthUrl", "http://");
  }

  private static String infraWithUpstream(String upstreamNotes) {
    return "{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\", \"upstreamNotes\": " + upstreamNotes + "}]}";
  }

  @Test
  void infraUpstreamNotesBindWithDefaults() {
    WarmConfig c = ConfigLoader.parse(infraWithUpstream(
        "{\"urlTemplate\": \"https://github.com/keycloak/keycloak/releases/tag/{version}\"}"), "test.json");
    UpstreamNotesSettings u = c.infra().get(0).upstreamNotes();
    assertEquals("https://github.com/keycloak/keycloak/releases/tag/{version}", u.urlTemplate());
    assertEquals(null, u.directory());
    assertEquals(10, u.timeoutSeconds());
    assertEquals("hold", u.onUnreachable());
    assertEquals(null, ConfigLoader.parse("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\"}]}", "t")
        .infra().get(0).upstreamNotes(), "optional: no upstream notes unless configured");
    UpstreamNotesSettings d = ConfigLoader.parse(infraWithUpstream(
        "{\"directory\": \"/srv/notes/keycloak\", \"timeoutSeconds\": 3, \"onUnreachable\": \"proceed\"}"),
        "test.json").infra().get(0).upstreamNotes();
    assertEquals(Path.of("/srv/notes/keycloak"), d.directory());
    assertEquals("proceed", d.onUnreachable());
  }

  @Test
  void infraUpstreamNotesAreValidated() {
    rejectedAt(infraWithUpstream("{}"), "infra[0].upstreamNotes", "exactly one of directory or urlTemplate");
    rejectedAt(infraWithUpstream("{\"directory\": \"/srv/n\", \"urlTemplate\": \"https://x.org/{version}\"}"),
        "infra[0].upstreamNotes", "exactly one of directory or urlTemplate");
    rejectedAt(infraWithUpstream("{\"directory\": \"notes\"}"), "infra[0].upstreamNotes.directory", "absolute");
    rejectedAt(infraWithUpstream("{\"urlTemplate\": \"https://x.org/notes\"}"),
        "infra[0].upstreamNotes.urlTemplate", "{version}");
    rejectedAt(infraWithUpstream("{\"urlTemplate\": \"file:///srv/{version}\"}"),
        "infra[0].upstreamNotes.urlTemplate", "http://");
    rejectedAt(infraWithUpstream("{\"urlTemplate\": \"https://x.org/{version}\", \"timeoutSeconds\": 0}"),
        "infra[0].upstreamNotes.timeoutSeconds", "between 1 and 120");
    rejectedAt(infraWithUpstream("{\"urlTemplate\": \"https://x.org/{version}\", \"timeoutSeconds\": 121}"),
        "infra[0].upstreamNotes.timeoutSeconds", "between 1 and 120");
    rejectedAt(infraWithUpstream("{\"urlTemplate\": \"https://x.org/{version}\", \"onUnreachable\": \"skip\"}"),
        "infra[0].upstreamNotes.onUnreachable", "'hold' or 'proceed'");
    String unknown = rejected(infraWithUpstream("{\"url\": \"https://x.org/{version}\"}")).getMessage();
    assertTrue(unknown.contains("infra[0].upstreamNotes"), unknown);
  }

  @Test
  void infraHealthUrlTakesTheDomain() throws Exception {
    WarmConfig c = ConfigLoader.parse("{\"infra\": [{\"name\": \"kc\", \"domain\": \"auth.ci.example\","
        + " \"healthUrl\": \"https://{domain}/health\", \"acknowledged\": [\"2.0.0+26.5.6\"]}]}", "test.json");
    assertEquals("https://auth.ci.example/health", c.infra().get(0).resolvedHealthUrl().orElseThrow());
    assertEquals(List.of("2.0.0+26.5.6"), c.infra().get(0).acknowledged());
  }

  @Test
  void infraAcknowledgedMustBeVersions() {
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\", \"acknowledged\": [\"\"]}]}",
        "infra[0].acknowledged", "not a recipe version");
  }

  @Test
  void infraNameIsRequired() {
    rejectedAt("{\"infra\": [{\"domain\": \"a.b\"}]}", "infra[0].name", "required");
  }

  @Test
  void infraNameMustBeSafe() {
    rejectedAt("{\"infra\": [{\"name\": \"../kc\", \"domain\": \"a.b\"}]}", "infra[0].name", "invalid recipe name");
  }

  @Test
  void infraRecipeMustBeSafe() {
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"recipe\": \"key/cloak\", \"domain\": \"a.b\"}]}", "infra[0].recipe",
        "invalid recipe name");
  }

  @Test
  void infraDomainIsRequired() {
    rejectedAt("{\"infra\": [{\"name\": \"kc\"}]}", "infra[0].domain", "required");
  }

  @Test
  void infraDomainMustLeaveRoomForSecretNames() {
    String longDomain = "a".repeat(50) + ".ci.localhost";
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"domain\": \"" + longDomain + "\"}]}", "infra[0].domain", "64");
  }

  @Test
  void infraNamesAreUnique() {
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\"}, {\"name\": \"kc\", \"domain\": \"c.d\"}]}",
        "infra[1].name", "duplicate");
  }

  @Test
  void infraDomainsAreUnique() {
    rejectedAt("{\"infra\": [{\"name\": \"kc\", \"domain\": \"a.b\"}, {\"name\": \"tr\", \"domain\": \"a.b\"}]}",
        "infra[1].domain", "two infra apps");
  }

  @Test
  void recipeNameIsRequired() {
    rejectedAt("{\"recipes\": [{\"sso\": true}]}", "recipes[0].name", "required");
  }

  @Test
  void recipeNameWithPathTraversalIsRejected() {
    rejectedAt("{\"recipes\": [{\"name\": \"../../etc\"}]}", "recipes[0].name", "'../../etc'");
  }

  @Test
  void recipeEnrolledTwiceIsRejected() {
    rejectedAt("{\"recipes\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", "recipes[1].name", "enrolled twice");
  }

  @Test
  void explicitRecipeDomainMustBeADomain() {
    rejectedAt("{\"recipes\": [{\"name\": \"a\", \"domain\": \"a_b.example\"}]}", "recipes[0].domain", "invalid domain");
  }

  @Test
  void recipeDomainWhoseSecretNamesPassSwarmLimitIsRejected() {
    // stack name 46 chars + "_db_root_password_v1" (20) = 66 > 64
    String domain = "a".repeat(33) + ".ci.localhost";
    rejectedAt("{\"recipes\": [{\"name\": \"a\", \"domain\": \"" + domain + "\"}]}", "recipes[0].domain",
        "Swarm allows 64");
  }

  @Test
  void templatedCanonicalDomainPastSwarmLimitIsRejected() {
    rejectedAt("{\"recipes\": [{\"name\": \"" + "r".repeat(40) + "\"}]}", "recipes[0].domain", "Swarm allows 64");
  }

  @Test
  void canonicalDomainEqualToInfraDomainIsRejected() {
    rejectedAt("""
        {"infra": [{"name": "sso", "recipe": "keycloak", "domain": "warm-keycloak.ci.localhost"}],
         "recipes": [{"name": "keycloak"}]}""", "recipes[0].domain", "infra app 'sso'");
  }

  @Test
  void recipeNamedLikeAnInfraAppIsRejected() {
    // The canonical and the infra app would share <stateRoot>/keycloak/: one lock, one snapshot store.
    rejectedAt("""
        {"infra": [{"name": "keycloak", "domain": "auth.ci.localhost"}],
         "recipes": [{"name": "keycloak"}]}""", "recipes[0].name", "also an infra app's name");
    WarmConfig c = ConfigLoader.parse("""
        {"infra": [{"name": "sso", "recipe": "keycloak", "domain": "auth.ci.localhost"}],
         "recipes": [{"name": "keycloak"}]}""", "test.json");
    assertEquals("keycloak", c.infra().get(0).recipe());
  }

  @Test
  void canonicalDomainEqualToKeycloakUrlHostIsRejected() {
    rejectedAt("""
        {"keycloak": {"url": "https://auth.ci.localhost/"},
         "recipes": [{"name": "kc", "domain": "auth.ci.localhost"}]}""", "recipes[0].domain", "Keycloak domain");
  }

  @Test
  void twoRecipesOnOneCanonicalDomainAreRejected() {
    rejectedAt("{\"recipes\": [{\"name\": \"a-b\"}, {\"name\": \"a_b\"}]}", "recipes[1].domain", "used by two recipes");
  }

  @Test
  void canonicalTemplateWithUnknownPlaceholderIsRejected() {
    rejectedAt("{\"domains\": {\"canonical\": \"{name}.{ciDomain}\"}, \"recipes\": [{\"name\": \"a\"}]}",
        "domains.canonical", "unknown placeholder");
  }

  @Test
  void reservedStateRootNamesAreRejectedForRecipesAndInfraApps() {
    // Every command on such an app refuses it (StateStore#appDir); `warm config check` must say so first.
    rejectedAt("{\"recipes\": [{\"name\": \"locks\"}]}", "recipes[0].name", "reserved");
    rejectedAt("{\"infra\": [{\"name\": \"gate-cache\", \"domain\": \"g.ci.localhost\"}]}", "infra[0].name",
        "reserved");
  }

  @Test
  void canonicalTemplateIsCheckedEvenWithoutRecipes() {
    // Commands also expand it for a recipe that is not enrolled: a typo must fail `warm config check` now, not the
    // first command that expands it.
    rejectedAt("{\"domains\": {\"canonical\": \"warm-{foo}.{ciDomain}\"}}", "domains.canonical",
        "unknown placeholder");
    rejectedAt("{\"domains\": {\"canonical\": \"WARM_{recipe}.{ciDomain}\"}}", "domains.canonical", "invalid domain");
  }

  @Test
  void coldTemplateIsCheckedEvenWithoutRecipes() {
    rejectedAt("{\"domains\": {\"cold\": \"{recipe}-{run}.{ciDomain}\"}}", "domains.cold", "unknown placeholder");
    rejectedAt("{\"domains\": {\"cold\": \"{recipe}/{hex}.{ciDomain}\"}}", "domains.cold", "invalid domain");
  }

  @Test
  void notifyTypeMustBeKnown() {
    rejectedAt("{\"notify\": [{\"type\": \"email\"}]}", "notify[0].type", "'command' or 'webhook'");
  }

  @Test
  void commandChannelNeedsArgv() {
    rejectedAt("{\"notify\": [{\"type\": \"command\"}]}", "notify[0].command", "non-empty argv");
  }

  @Test
  void webhookNeedsExactlyOneOfUrlAndUrlFile() {
    rejectedAt("{\"notify\": [{\"type\": \"webhook\"}]}", "notify[0].url", "exactly one of url and urlFile");
    rejectedAt("{\"notify\": [{\"type\": \"webhook\", \"url\": \"https://x/y\", \"urlFile\": \"/run/u\"}]}",
        "notify[0].url", "exactly one of url and urlFile");
    rejectedAt("{\"notify\": [{\"type\": \"webhook\", \"urlFile\": \"run/u\"}]}", "notify[0].urlFile", "absolute");
    rejectedAt("{\"notify\": [{\"type\": \"webhook\", \"url\": \"https://x/y\", \"headersFile\": \"h\"}]}",
        "notify[0].headersFile", "absolute");
    WarmConfig c = ConfigLoader.parse(
        "{\"notify\": [{\"type\": \"webhook\", \"urlFile\": \"/run/u\", \"headersFile\": \"/run/h\"}]}", "test.json");
    assertEquals(Path.of("/run/u"), c.channels().get(0).urlFile());
    assertEquals(Path.of("/run/h"), c.channels().get(0).headersFile());
  }

  @Test
  void webhookNeedsHttpUrl() {
    rejectedAt("{\"notify\": [{\"type\": \"webhook\", \"url\": \"ftp://x/y\"}]}", "notify[0].url", "http(s)");
  }

  @Test
  void webhookFormatMustBeKnown() {
    rejectedAt("{\"notify\": [{\"type\": \"webhook\", \"url\": \"https://x/y\", \"format\": \"xml\"}]}",
        "notify[0].format", "'json' or 'ntfy'");
  }

  @Test
  void channelTimeoutMustBePositive() {
    rejectedAt("{\"notify\": [{\"type\": \"command\", \"command\": [\"true\"], \"timeoutSeconds\": 0}]}",
        "notify[0].timeoutSeconds", "positive");
  }

  @Test
  void keycloakUrlMustBeHttp() {
    rejectedAt("{\"keycloak\": {\"url\": \"auth.ci.localhost\"}}", "keycloak.url", "http(s)");
  }

  @Test
  void keycloakUrlNeedsAHost() {
    rejectedAt("{\"keycloak\": {\"url\": \"https:///realms\"}}", "keycloak.url", "no host");
  }

  @Test
  void keycloakGrantMustBeKnown() {
    rejectedAt("{\"keycloak\": {\"url\": \"https://a.b\", \"grant\": \"implicit\"}}", "keycloak.grant", "'password'");
  }

  @Test
  void keycloakSecretHasOneSource() {
    rejectedAt("{\"keycloak\": {\"url\": \"https://a.b\", \"secretFile\": \"/s\", \"secretCommand\": [\"pass\"]}}",
        "keycloak.secretFile", "not both");
  }

  @Test
  void keycloakRealmTtlMustBePositive() {
    rejectedAt("{\"keycloak\": {\"url\": \"https://a.b\", \"realmTtlMinutes\": -1}}", "keycloak.realmTtlMinutes",
        "positive");
  }

  @Test
  void keycloakRequestTimeoutMustBePositive() {
    rejectedAt("{\"keycloak\": {\"url\": \"https://a.b\", \"requestTimeoutSeconds\": 0}}",
        "keycloak.requestTimeoutSeconds", "positive");
  }

  @Test
  void healthUrlSecondsBadValuesNameTheKey() {
    rejectedAt("{\"timeouts\": {\"healthUrlSeconds\": -5}}", "timeouts.healthUrlSeconds", "positive");
    String m = rejected("{\"timeouts\": {\"healthUrlSeconds\": \"1min\"}}").getMessage();
    assertTrue(m.contains("bad value at timeouts.healthUrlSeconds"), m);
  }

  @Test
  void everyTimeoutMustBePositive() {
    for (String t : List.of("deploySeconds", "undeploySeconds", "healthSeconds", "healthUrlSeconds", "lockWaitSeconds",
        "commandSeconds", "testSeconds")) {
      rejectedAt("{\"timeouts\": {\"" + t + "\": 0}}", "timeouts." + t, "positive");
    }
  }

  // ---- ad-hoc recipes ----------------------------------------------------------------------------------------

  // ---- disk budget and status ---------------------------------------------------------------------------

  @Test
  void diskBudgetInBytesOrPercentWithAWarningShare() {
    WarmConfig d = ConfigLoader.parse("{}", "empty");
    assertFalse(d.disk().hasBudget(), "no budget by default");
    assertEquals(80, d.disk().warnPercent());
    assertEquals(null, d.status().textfile());
    WarmConfig b = ConfigLoader.parse("{\"disk\": {\"budgetBytes\": 1073741824, \"warnPercent\": 90},"
        + " \"status\": {\"textfile\": \"/var/lib/node-exporter/warm.prom\"}}", "t");
    assertEquals(new DiskSettings(1073741824L, null, 90), b.disk());
    assertEquals(Path.of("/var/lib/node-exporter/warm.prom"), b.status().textfile());
    assertEquals(new DiskSettings(null, 40, 80), ConfigLoader.parse("{\"disk\": {\"budgetPercent\": 40}}", "t").disk());
    assertEquals(b, ConfigLoader.parse(ConfigLoader.toJson(b), "printed"));
    WarmConfig copied = d.withDisk(new DiskSettings(5L, null, null)).withStatus(new StatusSettings(Path.of("/x.prom")));
    assertEquals(5L, copied.disk().budgetBytes());
    assertEquals(Path.of("/x.prom"), copied.status().textfile());
    assertEquals(copied.disk(), copied.withStateRoot(Path.of("/other")).disk(), "copies carry the budget over");
  }

  @Test
  void diskBudgetIsCheckedField_byField() {
    rejectedAt("{\"disk\": {\"budgetBytes\": 0}}", "disk.budgetBytes", "positive");
    rejectedAt("{\"disk\": {\"budgetBytes\": -5}}", "disk.budgetBytes", "positive");
    rejectedAt("{\"disk\": {\"budgetPercent\": 0}}", "disk.budgetPercent", "1 to 100");
    rejectedAt("{\"disk\": {\"budgetPercent\": 101}}", "disk.budgetPercent", "1 to 100");
    rejectedAt("{\"disk\": {\"budgetBytes\": 5, \"budgetPercent\": 10}}", "disk", "not both");
    rejectedAt("{\"disk\": {\"warnPercent\": 0}}", "disk.warnPercent", "1 to 100");
    rejectedAt("{\"disk\": {\"warnPercent\": 150}}", "disk.warnPercent", "1 to 100");
    String typo = rejected("{\"disk\": {\"budget\": 5}}").getMessage();
    assertTrue(typo.contains("unknown key 'budget' at disk.budget"), typo);
  }

  @Test
  void statusTextfileMustBeAnAbsoluteFileName() {
    rejectedAt("{\"status\": {\"textfile\": \"warm.prom\"}}", "status.textfile", "absolute");
    rejectedAt("{\"status\": {\"textfile\": \"/\"}}", "status.textfile", "file name");
  }

  @Test
  void adHocRecipeCanonicalMustNotHitAnInfraApp() {
    WarmConfig c = ConfigLoader.parse("{\"infra\": [{\"name\": \"traefik\", \"domain\": \"warm-traefik.ci.localhost\"}]}",
        "t");
    WarmException e = assertThrows(WarmException.class, () -> c.canonicalDomain("traefik"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("infra app 'traefik'"), e.getMessage());
    assertEquals("warm-gitea.ci.localhost", c.canonicalDomain("gitea"));
  }

  @Test
  void adHocRecipeNameIsValidated() {
    WarmException e = assertThrows(WarmException.class, () -> WarmConfig.defaults().canonicalDomain("../x"));
    assertEquals(ExitCode.USAGE, e.exitCode());
  }

  @Test
  void hostileDocumentsAreUsageErrorsNeverCrashes() {
    for (String doc : List.of("{\"recipes\": [null]}", "{\"infra\": [null]}", "{\"notify\": [null]}",
        "{\"recipes\": null, \"infra\": [{}]}", "{\"abra\": {\"extraDeployFlags\": [null]}}",
        "{\"notify\": [{\"type\": \"command\", \"command\": [null]}]}",
        "{\"notify\": [{\"type\": \"webhook\", \"url\": \"http://a/b\", \"headers\": {\"a\": null}}]}",
        "{\"keycloak\": {\"url\": \"https://a b\"}}", "{\"keycloak\": {\"url\": \"http://\"}}",
        "{\"stateRoot\": \"\"}", "{\"stateRoot\": \"/a\\u0000b\"}", "{\"ciDomain\": \"\"}",
        "{\"domains\": {\"canonical\": \"\"}, \"recipes\": [{\"name\": \"a\"}]}", "{\"domains\": {\"cold\": \"\"}}",
        "{\"timeouts\": {\"deploySeconds\": 1e99}}", "{\"timeouts\": {\"deploySeconds\": -0}}",
        "{\"recipes\": {\"name\": \"a\"}}", "{\"platform\": null, \"docker\": []}",
        "{\"swarm\": {\"appsDir\": 5}}", "\"just a string\"", "42", "{\"a\": ", "\u0000")) {
      try {
        ConfigLoader.parse(doc, "test.json");
        throw new AssertionError("accepted: " + doc);
      } catch (WarmException e) {
        assertEquals(ExitCode.USAGE, e.exitCode(), doc);
        assertFalse(e.getMessage().contains("\n"), doc + " -> " + e.getMessage());
      } catch (RuntimeException e) {
        throw new AssertionError(doc + " -> " + e, e);
      }
    }
  }
}
