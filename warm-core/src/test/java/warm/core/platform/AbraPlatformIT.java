package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;
import warm.core.config.AbraSettings;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.testing.Prereq;

/**
 * The abra adapter against the real Docker engine and single-node Swarm, with a recording stand-in for the abra
 * binary (src/test/resources/warm/core/platform/abra-standin.sh): it checks the argv it gets, logs it, and does
 * what abra does — env files under $ABRA_DIR/servers, real secrets, real {@code docker stack deploy} of the tag
 * checked out in $ABRA_DIR/recipes/<recipe>, FATA on stdout and exit 1 on failure.
 */
@Tag("docker")
class AbraPlatformIT {
  private static final String SERVER = "default";

  private final ProcessRunner runner = ProcessRunner.system();
  @TempDir Path root;
  private Path abraDir;
  private Path shared;
  private Path log;
  private Platform platform;
  private AppRef app;
  private AppRef neighbour;

  @BeforeEach
  void setUp() throws IOException {
    Prereq.swarm();
    SampleImage.ensure(runner);
    abraDir = root.resolve("abra");
    // what `abra server add --local` leaves behind
    Files.createDirectories(abraDir.resolve("servers").resolve(SERVER));
    shared = SampleRecipe.materialize(abraDir.resolve("recipes/sample"), runner);
    log = root.resolve("abra-argv.log");
    Path abra = root.resolve("bin/abra");
    Files.createDirectories(abra.getParent());
    try (InputStream in = AbraPlatformIT.class.getResourceAsStream("abra-standin.sh")) {
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@LOG@", log.toString());
      Files.writeString(abra, script);
    }
    Files.setPosixFilePermissions(abra, PosixFilePermissions.fromString("rwxr-xr-x"));
    platform = Platforms.create(WarmConfig.defaults().withStateRoot(root.resolve("state")).withPlatform("abra")
        .withAbra(new AbraSettings(abra.toString(), abraDir, SERVER, null, null)));
    String hex = Naming.randomHex();
    app = new AppRef("sample", "sample-" + hex + ".ci.localhost");
    // A stack whose name extends app's: its volumes and secrets must survive app's removal.
    neighbour = new AppRef("sample", "sample-" + hex + "-x.ci.localhost");
  }

  @AfterEach
  void tearDown() {
    if (platform == null) {
      return;
    }
    for (AppRef a : List.of(app, neighbour)) {
      try {
        platform.removeApp(a);
      } catch (RuntimeException e) {
        System.err.println("cleanup of " + a.domain() + ": " + e.getMessage());
      }
      // whatever the adapter left (a failed test): only the exact names this test created
      dockerQuietly("secret", "rm", a.stack() + "_db_password_v1");
      dockerQuietly("volume", "rm", a.stack() + "_data");
    }
  }

  @Test
  void testLifecycle_argvAndSwarmStateThroughTheStandIn() throws Exception {
    String d = app.domain();
    assertEquals(SampleRecipe.VERSIONS, platform.publishedVersions("sample").stream().sorted().toList());
    assertEquals(shared, platform.fetchRecipe("sample")); // already cloned: abra is not asked
    assertEquals(List.of(), calls());

    platform.createApp(app);
    Path env = abraDir.resolve("servers").resolve(SERVER).resolve(d + ".env");
    assertTrue(Files.readString(env).contains("DOMAIN=" + d), "env written by the stand-in from .env.sample");
    platform.createApp(app); // exists: abra is not asked again
    platform.generateMissingSecrets(app);
    String secretName = app.stack() + "_db_password_v1";
    String secretId = docker("secret", "inspect", "--format", "{{.ID}}", secretName);
    platform.generateMissingSecrets(app); // existing secrets are never replaced (abra would FATA)
    assertEquals(secretId, docker("secret", "inspect", "--format", "{{.ID}}", secretName));
    assertEquals(List.of(
        argv("app", "new", "sample", "--server", SERVER, "--domain", d, "-n"),
        argv("app", "secret", "generate", d, "db_password", "v1", "-n")), calls());

    assertTrue(platform.deployed(app).isEmpty());
    platform.deploy(app, "1.0.0+1.0");
    DeployedVersion v1 = platform.deployed(app).orElseThrow();
    assertEquals(new DeployedVersion("1.0.0+1.0", false, null, "sample"), v1);
    assertEquals("1.0.0+1.0", v1.effective());
    // abra checked the tag out in its shared tree; the 2.0.0 note is still found (from the tag)
    assertFalse(Files.exists(shared.resolve("release/2.0.0+2.0")));
    assertTrue(platform.releaseNote("sample", "2.0.0+2.0").orElseThrow().contains("ATTENTION"));
    assertTrue(platform.releaseNote("sample", "1.0.0+1.0").isEmpty());

    List<VolumeInfo> volumes = platform.volumes(app);
    assertEquals(List.of(app.stack() + "_data"), volumes.stream().map(VolumeInfo::name).toList());
    Path data = volumes.get(0).mountpoint();
    assertTrue(Files.isDirectory(data), "mountpoint exists on this host: " + data);
    assertTrue(Files.exists(data.resolve("initialised")));
    Files.writeString(data.resolve("marker.txt"), "written before undeploy");

    platform.undeploy(app);
    // abra returns before Swarm is done; the adapter returns only when nothing of the stack remains
    assertFalse(platform.anythingRunning(app));
    assertEquals("", docker("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + app.stack()));
    assertTrue(platform.deployed(app).isEmpty());
    assertEquals(secretId, docker("secret", "inspect", "--format", "{{.ID}}", secretName), "secret survives");

    platform.deploy(app, "1.1.0+1.1");
    assertEquals("1.1.0+1.1", platform.deployed(app).orElseThrow().version());
    assertEquals("written before undeploy", Files.readString(data.resolve("marker.txt")), "volume reattached");
    assertEquals(2, Files.readAllLines(data.resolve("boots.log")).size());
    assertTrue(Files.readString(env).contains("TYPE=sample:1.1.0+1.1"), "abra records the deployed version");

    // chaos deploy of a modified checkout somewhere else: abra must see it at recipes/sample of an overlay
    // ABRA_DIR, and the shared tree must stay exactly as it was
    String sharedHead = git(shared, "rev-parse", "HEAD");
    String sharedCompose = Files.readString(shared.resolve("compose.yml"));
    Path checkout = root.resolve("pr-checkout");
    runner.run(Command.of("git", "clone", "-q", "-b", "main", shared.toString(), checkout.toString())).requireSuccess();
    Files.writeString(checkout.resolve("compose.yml"),
        Files.readString(checkout.resolve("compose.yml")).replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr"));
    String sha = git(checkout, "rev-parse", "--short=8", "HEAD");
    platform.deployChaos(app, checkout);
    DeployedVersion chaos = platform.deployed(app).orElseThrow();
    assertEquals(new DeployedVersion("2.0.0+2.0", true, sha + "+U", "sample"), chaos,
        "chaos keeps the compose's version label and records the dirty sha");
    assertEquals(sha + "+U", chaos.effective());
    assertTrue(Files.readString(data.resolve("boots.log")).contains("boot pr"), "the checkout was deployed");
    assertEquals(sharedHead, git(shared, "rev-parse", "HEAD"), "shared recipe tree not moved");
    assertEquals("", git(shared, "status", "--porcelain"), "shared recipe tree not modified");
    assertEquals(sharedCompose, Files.readString(shared.resolve("compose.yml")));
    assertFalse(Files.isSymbolicLink(shared));

    // removing the per-run app deletes its volumes and secrets and no other
    platform.createApp(neighbour);
    platform.generateMissingSecrets(neighbour);
    docker("volume", "create", "--label", "com.docker.stack.namespace=" + neighbour.stack(), neighbour.stack() + "_data");
    platform.removeApp(app);
    assertFalse(platform.anythingRunning(app));
    assertTrue(platform.volumes(app).isEmpty());
    assertEquals("", docker("secret", "ls", "-q", "--filter", "name=" + secretName));
    assertFalse(Files.exists(env));
    assertEquals(List.of(neighbour.stack() + "_data"), platform.volumes(neighbour).stream().map(VolumeInfo::name).toList());
    assertFalse(docker("secret", "inspect", "--format", "{{.ID}}", neighbour.stack() + "_db_password_v1").isEmpty());

    List<Call> all = callsWithDir();
    List<List<String>> expected = List.of(
        argv("app", "new", "sample", "--server", SERVER, "--domain", d, "-n"),
        argv("app", "secret", "generate", d, "db_password", "v1", "-n"),
        argv("app", "deploy", d, "1.0.0+1.0", "-f", "--no-domain-checks", "-n"),
        argv("app", "undeploy", d, "-n"),
        argv("app", "deploy", d, "1.1.0+1.1", "-f", "--no-domain-checks", "-n"),
        argv("app", "deploy", d, "-C", "-f", "--no-domain-checks", "-n"),
        argv("app", "new", "sample", "--server", SERVER, "--domain", neighbour.domain(), "-n"),
        argv("app", "secret", "generate", neighbour.domain(), "db_password", "v1", "-n"),
        argv("app", "undeploy", d, "-n"),
        argv("app", "remove", d, "-f", "-n"));
    assertEquals(expected, all.stream().map(Call::argv).toList());
    for (int i = 0; i < all.size(); i++) {
      Path dir = all.get(i).abraDir();
      if (i == 5) {
        assertNotEquals(abraDir, dir, "chaos deploy runs on an overlay ABRA_DIR");
        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "overlay deleted after the deploy: " + dir);
      } else {
        assertEquals(abraDir, dir, "configured ABRA_DIR passed to abra");
      }
    }
  }

  @Test
  void testFetchOfAClonedRecipe_seesTagsPublishedSinceTheClone() throws Exception {
    Path upstream = SampleRecipe.materialize(root.resolve("upstream/tagged"), runner);
    Path clone = abraDir.resolve("recipes/tagged");
    runner.run(Command.of("git", "clone", "-q", upstream.toString(), clone.toString())).requireSuccess();
    SampleRecipe.git(runner, clone, "checkout", "-q", "1.0.0+1.0"); // abra leaves the tree at the deployed tag
    SampleRecipe.git(runner, upstream, "tag", "2.1.0+2.1");
    assertFalse(platform.publishedVersions("tagged").contains("2.1.0+2.1"));
    assertEquals(clone, platform.fetchRecipe("tagged"));
    assertTrue(platform.publishedVersions("tagged").contains("2.1.0+2.1"), "the new release is seen");
    assertTrue(Files.exists(clone.resolve("compose.yml")));
    assertEquals(List.of(), calls(), "abra is not asked for a cloned recipe");
    // Offline (origin gone): the versions known so far, no failure.
    runner.run(Command.of("rm", "-rf", upstream.toString())).requireSuccess();
    assertEquals(clone, platform.fetchRecipe("tagged"));
    assertTrue(platform.publishedVersions("tagged").contains("2.1.0+2.1"));
  }

  @Test
  void testFailures_fataOnStdoutUsageErrorsAndCleanUndeploy() throws Exception {
    platform.createApp(app);
    String d = app.domain();

    // an unpublished version: bad input (exit 2), abra is not even asked
    WarmException unknown = assertThrows(WarmException.class, () -> platform.deploy(app, "9.9.8+nope"));
    assertEquals(2, unknown.exitCode().code());
    assertTrue(unknown.getMessage().contains("9.9.8+nope") && unknown.getMessage().contains("1.0.0+1.0"),
        unknown.getMessage());

    // no secret generated: docker refuses the stack (after creating its network) and abra says FATA on stdout
    WarmException noSecret = assertThrows(WarmException.class, () -> platform.deploy(app, "1.0.0+1.0"));
    assertEquals(4, noSecret.exitCode().code());
    assertTrue(noSecret.getMessage().contains("stdout: FATA deploy failed"), noSecret.getMessage());
    assertTrue(noSecret.getMessage().contains("secret not found"), noSecret.getMessage());
    platform.undeploy(app); // nothing abra calls deployed: the adapter removes the stray network itself
    assertFalse(platform.anythingRunning(app));
    assertEquals("", docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + app.stack()));

    // a published but broken release: abra's converge check fails, FATA on stdout, exit 1 → exit 4
    SampleRecipe.git(runner, shared, "tag", "9.9.9+broken");
    platform.generateMissingSecrets(app);
    WarmException broken = assertThrows(WarmException.class, () -> platform.deploy(app, "9.9.9+broken"));
    assertEquals(4, broken.exitCode().code());
    assertTrue(broken.getMessage().contains("exited with code 1: stdout: FATA deploy failed"), broken.getMessage());
    assertFalse(platform.anythingRunning(app));

    // a recipe that is not cloned: abra cannot fetch it here
    WarmException fetch = assertThrows(WarmException.class, () -> platform.fetchRecipe("nosuchrecipe"));
    assertEquals(4, fetch.exitCode().code());
    assertTrue(fetch.getMessage().contains("FATA unable to clone recipe nosuchrecipe"), fetch.getMessage());

    platform.removeApp(app);
    assertFalse(platform.anythingRunning(app));
    assertEquals("", docker("secret", "ls", "-q", "--filter", "name=" + app.stack() + "_db_password_v1"));
    assertEquals(List.of(
        argv("app", "new", "sample", "--server", SERVER, "--domain", d, "-n"),
        argv("app", "deploy", d, "1.0.0+1.0", "-f", "--no-domain-checks", "-n"),
        argv("app", "secret", "generate", d, "db_password", "v1", "-n"),
        argv("app", "deploy", d, "9.9.9+broken", "-f", "--no-domain-checks", "-n"),
        argv("recipe", "fetch", "nosuchrecipe", "-n"),
        argv("app", "remove", d, "-f", "-n")), calls());
  }

  @Test
  void testStandIn_rejectsWhatAbraWouldNot() throws Exception {
    // The stand-in is strict like abra: these must fail with FATA on stdout and exit 1, or the argv
    // assertions above would prove nothing.
    Path abra = root.resolve("bin/abra");
    for (List<String> bad : List.of(
        List.of("app", "new", "sample", "--server", SERVER, "--domain", app.domain()), // no -n: would prompt
        List.of("app", "deploy", "Not_A_Domain", "1.0.0+1.0", "-f", "-n"),
        List.of("app", "deploy", app.domain(), "1.0.0+1.0", "--bogus", "-n"),
        List.of("app", "frobnicate", app.domain(), "-n"))) {
      List<String> argv = new ArrayList<>(List.of(abra.toString()));
      argv.addAll(bad);
      var r = runner.run(Command.of(argv).withEnv("ABRA_DIR", abraDir.toString()));
      assertEquals(1, r.exitCode(), String.join(" ", bad));
      assertTrue(r.stdout().startsWith("FATA unexpected argv"), r.stdout());
    }
  }

  private record Call(Path abraDir, List<String> argv) {}

  private List<Call> callsWithDir() throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<Call> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split("\t", -1);
      out.add(new Call(Path.of(f[0]), List.of(f).subList(1, f.length)));
    }
    return out;
  }

  private List<List<String>> calls() throws IOException {
    return callsWithDir().stream().map(Call::argv).toList();
  }

  private static List<String> argv(String... args) {
    return List.of(args);
  }

  private String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    return runner.run(Command.of(argv)).requireSuccess().stdout().strip();
  }

  private String docker(String... args) {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    return runner.run(Command.of(argv)).requireSuccess().stdout().strip();
  }

  /** Cleanup of what may not exist: failures are expected and ignored. */
  private void dockerQuietly(String... args) {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    runner.run(Command.of(argv));
  }
}
