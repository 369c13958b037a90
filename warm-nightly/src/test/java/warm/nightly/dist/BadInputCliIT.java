package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution.Run;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleRecipe;
import warm.nightly.testing.Distribution;

/**
 * Bad input through the real CLI (the built distribution as a child process): one clear {@code error:} line on
 * stderr naming the problem, the documented exit code (2 usage/config, 4 infrastructure), nothing on stdout, and
 * nothing created — not even the configured state root.
 */
class BadInputCliIT {
  @TempDir
  Path tmp;

  private Path stateRoot() {
    return tmp.resolve("state-root");
  }

  /** A config file whose JSON body is {@code "stateRoot": <tmp>/state-root,} followed by {@code rest}. */
  private Path config(String rest) throws Exception {
    String body = "{\n  \"stateRoot\": \"" + stateRoot() + "\"" + (rest.isBlank() ? "" : ",\n  " + rest) + "\n}\n";
    return Files.writeString(tmp.resolve("config.json"), body);
  }

  private void assertRejected(Run r, int exit, String... mentions) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals("", r.out(), "nothing on stdout: " + r);
    assertEquals(1, r.errLines().size(), "exactly one line on stderr: " + r);
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("error: "), line);
    for (String m : mentions) {
      assertTrue(line.contains(m), "names '" + m + "': " + line);
    }
    assertFalse(Files.exists(stateRoot()), "state root was created: " + r);
  }

  private Run warm(String... args) throws Exception {
    return Distribution.module("warm.nightly", Map.of(), args);
  }

  @Test
  void reconcileOfAnAppThatIsNotConfigured() throws Exception {
    Path c = config("\"infra\": [{\"name\": \"traefik\", \"domain\": \"proxy.ci.example.org\"}]");
    assertRejected(warm("reconcile", "keycloak", "--config", c.toString()), 2, "'keycloak' is not a configured infra app",
        "traefik");
  }

  @Test
  void reconcileNeedsOneAppOrAll() throws Exception {
    Path c = config("");
    assertRejected(warm("reconcile", "--config", c.toString()), 2, "one infra app name or --all");
    assertRejected(warm("reconcile", "traefik", "--all", "--config", c.toString()), 2, "one infra app name or --all");
  }

  @Test
  void coldRunOfAnUnknownVersion() throws Exception {
    Path recipes = tmp.resolve("recipes");
    SampleRecipe.materialize(recipes.resolve("sample"), ProcessRunner.system());
    Path c = config("\"swarm\": {\"recipesDir\": \"" + recipes + "\", \"appsDir\": \"" + tmp.resolve("apps") + "\"}");
    assertRejected(warm("cold", "--recipe", "sample", "--recipe-version", "9.9.9+9", "--config", c.toString()), 2,
        "no published version 9.9.9+9");
    assertFalse(Files.exists(tmp.resolve("apps")), "no app was created");
  }

  /** The new-operator pass: what exited 0 (or wrote where a unit would not look) is bad input naming the problem. */
  @Test
  void snapshotsOfAStoreThatDoesNotExist() throws Exception {
    Path c = config("");
    assertRejected(warm("snapshots", "--app", "typo", "--config", c.toString()), 2, "no snapshot store at "
        + stateRoot().resolve("typo/snapshots"));
    Path store = tmp.resolve("no-such-store");
    assertRejected(warm("snapshots", "--store", store.toString(), "--json"), 2, "no snapshot store at " + store);
    assertFalse(Files.exists(store));
  }

  @Test
  void statusWithARelativeTextfile() throws Exception {
    Path c = config("\"docker\": \"" + tmp.resolve("no-docker") + "\"");
    assertRejected(warm("status", "--textfile", "warm.prom", "--config", c.toString()), 2, "--textfile",
        "absolute", "'warm.prom'");
  }

  @Test
  void gateOnADirectoryThatIsNotARecipe() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    assertRejected(warm("gate", "--recipe-dir", plain.toString(), "--from", "1.0.0+1", "--to", "1.1.0+1",
        "--config", config("").toString()), 2, "--recipe-dir " + plain, "not a recipe checkout", "compose.yml");
  }

  @Test
  void malformedConfig() throws Exception {
    Path c = config("\"ciDomain\": \"ci.example.org\"\n  \"platform\": \"swarm\""); // line 4 lacks the comma before it
    assertRejected(warm("config", "check", "--config", c.toString()), 2, c.toString(), "malformed JSON at line 4");
  }

  @Test
  void unknownKey() throws Exception {
    Path c = config("\"timeouts\": {\"deploySecs\": 60}");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "unknown key 'deploySecs'",
        "timeouts.deploySecs");
  }

  @Test
  void unknownKeyViaWarmConfigEnvironment() throws Exception {
    Path c = config("\"stateroot\": \"/x\"");
    Run r = Distribution.module("warm.nightly", Map.of("WARM_CONFIG", c.toString()), "config", "check");
    assertRejected(r, 2, "unknown key 'stateroot'", c.toString());
  }

  @Test
  void recipeNameWithPathTraversal() throws Exception {
    Path c = config("\"recipes\": [{\"name\": \"../../etc\"}]");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "recipes[0].name", "'../../etc'");
  }

  @Test
  void domainWhoseSecretNamesExceedSwarmLimit() throws Exception {
    String domain = "a-very-long-canonical-name-for-nextcloud.ci.example.org";
    Path c = config("\"recipes\": [{\"name\": \"nextcloud\", \"domain\": \"" + domain + "\"}]");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "recipes[0].domain", domain,
        "Swarm allows 64");
  }

  @Test
  void templatedCanonicalDomainPastSwarmLimit() throws Exception {
    Path c = config("\"ciDomain\": \"ci.example.org\", \"recipes\": [{\"name\": \"" + "x".repeat(30) + "\"}]");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "recipes[0].domain", "Swarm allows 64");
  }

  @Test
  void canonicalDomainEqualToKeycloakInfraDomain() throws Exception {
    Path c = config("\"infra\": [{\"name\": \"sso\", \"recipe\": \"keycloak\", \"domain\": \"warm-keycloak.ci.localhost\","
        + " \"stateful\": true}], \"recipes\": [{\"name\": \"keycloak\"}]");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "recipes[0].domain",
        "warm-keycloak.ci.localhost", "infra app 'sso'");
  }

  @Test
  void recipeNamedLikeAnInfraApp() throws Exception {
    Path c = config("\"infra\": [{\"name\": \"keycloak\", \"domain\": \"auth.ci.localhost\", \"stateful\": true}],"
        + " \"recipes\": [{\"name\": \"keycloak\"}]");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "recipes[0].name",
        "also an infra app's name", "<stateRoot>/keycloak/");
  }

  @Test
  void canonicalDomainEqualToKeycloakUrlDomain() throws Exception {
    Path c = config("\"keycloak\": {\"url\": \"https://auth.ci.localhost\"},"
        + " \"recipes\": [{\"name\": \"sso-app\", \"domain\": \"auth.ci.localhost\"}]");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "recipes[0].domain", "Keycloak domain");
  }

  @Test
  void configFileThatDoesNotExist() throws Exception {
    Path missing = tmp.resolve("missing.json");
    assertRejected(warm("config", "check", "--config", missing.toString()), 2, missing.toString(), "does not exist");
  }

  @Test
  void emptyConfigFile() throws Exception {
    for (String body : new String[] {"", " \n\t\n"}) {
      Path c = Files.writeString(tmp.resolve("empty.json"), body);
      Run r = warm("config", "check", "--config", c.toString());
      assertRejected(r, 2, "the configuration file " + c + " is empty");
      assertFalse(r.err().contains("end-of-input"), r.toString());
    }
  }

  @Test
  void stateRootThatIsAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path c = Files.writeString(tmp.resolve("c.json"), "{\"stateRoot\": \"" + file + "\"}");
    assertRejected(warm("config", "check", "--config", c.toString()), 2, "stateRoot", file.toString(),
        "not a directory");
    assertEquals("x", Files.readString(file));
  }

  @Test
  void stateRootUnderProcOrSys() throws Exception {
    for (String root : new String[] {"/proc/warm", "/proc", "/sys/fs/warm"}) {
      Path c = Files.writeString(tmp.resolve("c.json"), "{\"stateRoot\": \"" + root + "\"}");
      assertRejected(warm("config", "check", "--config", c.toString()), 2, "stateRoot", "'" + root + "'",
          "kernel");
    }
  }

  @Test
  void recoverWithAPathAsAppName() throws Exception {
    Path c = config("");
    assertRejected(warm("recover", "--app", "../x", "--config", c.toString()), 2, "'../x'");
    assertRejected(warm("recover", "--app", "../x", "--json", "--config", c.toString()), 2, "'../x'");
  }

  @Test
  void seedTakesTheRecipeVersionUnderBothSpellings() throws Exception {
    // The bad recipe name is found after the options parsed: either spelling of the version is accepted.
    Path c = config("");
    assertRejected(warm("canonical", "seed", "--recipe", "../x", "--recipe-version", "1.0.0+1.0", "--config",
        c.toString()), 2, "'../x'");
    assertRejected(warm("canonical", "seed", "--recipe", "../x", "--version", "1.0.0+1.0", "--config",
        c.toString()), 2, "'../x'");
  }

  @Test
  void promoteRefusesBadInputBeforeTouchingAnything() throws Exception {
    Path c = config("\"recipes\": [{\"name\": \"sample\"}]");
    assertRejected(warm("promote", "--recipe", "../x", "--config", c.toString()), 2, "'../x'");
    assertRejected(warm("promote", "--recipe", "other", "--config", c.toString()), 2, "recipe other is not enrolled");
    assertRejected(warm("promote", "--recipe", "sample", "--commit", "main;rm", "--config", c.toString()), 2,
        "--commit 'main;rm' is not a commit");
    assertRejected(warm("promote", "--recipe", "sample", "--cold-result", tmp.resolve("none.json").toString(),
        "--config", c.toString()), 2, "none.json is not a regular file");
    Path red = Files.writeString(tmp.resolve("red.json"), "{\"recipe\": \"sample\", \"version\": \"1.0.0+1.0\","
        + " \"commit\": \"abcdef1\", \"mode\": \"cold\", \"outcome\": \"fail\"}");
    assertRejected(warm("promote", "--recipe", "sample", "--json", "--cold-result", red.toString(),
        "--config", c.toString()), 2, "was not green (outcome 'fail')");
  }

  @Test
  void seedAndPromoteRefusedBeforeTheLock_noLockFileLeft() throws Exception {
    // Resolving the release (the checkout, its tags) refuses bad input before the app lock: not even the lock file
    // (nor the state root) is left behind.
    Path recipes = Files.createDirectories(tmp.resolve("recipes"));
    Path c = config("\"recipes\": [{\"name\": \"sample\"}], \"swarm\": {\"recipesDir\": \"" + recipes
        + "\", \"appsDir\": \"" + tmp.resolve("apps") + "\"}");
    assertRejected(warm("canonical", "seed", "--recipe", "sample", "--recipe-version", "1.0.0+1.0", "--config",
        c.toString()), 2, "recipe 'sample' has no git checkout");
    assertRejected(warm("promote", "--recipe", "sample", "--config", c.toString()), 2,
        "recipe 'sample' has no git checkout");
    SampleRecipe.materialize(recipes.resolve("sample"), ProcessRunner.system());
    assertRejected(warm("canonical", "seed", "--recipe", "sample", "--recipe-version", "9.9.9+9", "--config",
        c.toString()), 2, "'9.9.9+9' is not a published version of sample");
    Path older = Files.writeString(tmp.resolve("older.json"), "{\"recipe\": \"sample\", \"version\": \"1.0.0+1.0\","
        + " \"commit\": \"abcdef1\", \"mode\": \"cold\", \"outcome\": \"pass\"}");
    assertRejected(warm("promote", "--recipe", "sample", "--cold-result", older.toString(), "--config",
        c.toString()), 2, "which is not the latest published release");
    assertFalse(Files.exists(tmp.resolve("apps")), "no app was created");
  }

  @Test
  void alertsTestWithABlankMessage() throws Exception {
    // Was "error: unexpected IllegalArgumentException" and exit 4.
    Path c = config("");
    for (String blank : new String[] {"", "  "}) {
      assertRejected(warm("alerts", "test", "--message", blank, "--config", c.toString()), 2,
          "--message must not be blank");
    }
  }

  @Test
  void demoWhoseConfiguredDockerIsMissing() throws Exception {
    // The configured docker is the one checked (was: any docker on PATH, which the demo then never ran).
    Path docker = tmp.resolve("no-such-docker");
    Path c = config("\"docker\": \"" + docker + "\"");
    assertRejected(warm("demo", "--config", c.toString()), 4, "'" + docker + "' (config key 'docker')",
        "not an executable file");
  }

  @Test
  void noDockerEngineBecauseTheExecutableIsMissing() throws Exception {
    Path docker = tmp.resolve("no-such-docker");
    Path c = config("\"docker\": \"" + docker + "\"");
    assertRejected(warm("platform", "check", "--config", c.toString()), 4, "no Docker engine answers",
        docker.toString(), "'docker'");
  }

  @Test
  void noDockerEngineBecauseNothingListens() throws Exception {
    // The real docker CLI pointed at a socket nobody listens on: what an operator sees when dockerd is down.
    Path docker = tmp.resolve("docker-down");
    Files.writeString(docker, "#!/bin/sh\nexec docker -H unix://" + tmp.resolve("nobody.sock") + " \"$@\"\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
    Path c = config("\"docker\": \"" + docker + "\"");
    Run r = warm("platform", "check", "--json", "--config", c.toString());
    assertRejected(r, 4, "no Docker engine answers");
  }

  @Test
  void badConfigBeatsMissingDocker() throws Exception {
    // Config errors are found before anything runs: exit 2, and docker is never started.
    Path marker = tmp.resolve("docker-ran");
    Path docker = tmp.resolve("docker-spy");
    Files.writeString(docker, "#!/bin/sh\ntouch " + marker + "\nexit 1\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
    Path c = config("\"docker\": \"" + docker + "\", \"platform\": \"kubernetes\"");
    assertRejected(warm("platform", "check", "--config", c.toString()), 2, "platform", "kubernetes");
    assertFalse(Files.exists(marker), "docker was run for an invalid config");
  }
}
