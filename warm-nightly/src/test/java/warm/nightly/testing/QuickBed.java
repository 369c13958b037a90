package warm.nightly.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.core.testing.Prereq;
import warm.nightly.canonical.CanonicalSeed;
import warm.snapshot.SnapshotStore;

/**
 * A seeded canonical of the sample recipe (under a recipe name of the test's choosing) in a throwaway state root on
 * the real Swarm, and the quick lane of the built distribution run against it as child processes
 * ({@code java -p lib -m warm.quick}): what the quick-lane ITs share.
 */
public final class QuickBed {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final ProcessRunner RUNNER = ProcessRunner.system();

  private final String recipe;
  private final Path root;
  private final Path config;
  private final WarmConfig cfg;
  private final Platform platform;
  private final AppRef app;
  private final CanonicalRecord seeded;
  private final String knownGoodHash;

  private QuickBed(String recipe, Path root, Path config, WarmConfig cfg, Platform platform, AppRef app,
      CanonicalRecord seeded, String knownGoodHash) {
    this.recipe = recipe;
    this.root = root;
    this.config = config;
    this.cfg = cfg;
    this.platform = platform;
    this.app = app;
    this.seeded = seeded;
    this.knownGoodHash = knownGoodHash;
  }

  /**
   * Materialises the sample recipe as {@code recipe} and seeds its canonical at {@code 1.0.0+1.0}, at a domain under
   * a fresh random CI domain (other tests share the Swarm).
   */
  public static QuickBed seed(String prefix, String recipe) throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    Path root = Files.createTempDirectory("warm-" + prefix + "-it-");
    SampleRecipe.materialize(root.resolve("recipes").resolve(recipe), RUNNER);
    Path config = root.resolve("config.json");
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "%s-%s.localhost",
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "timeouts": {"healthSeconds": 25, "lockWaitSeconds": 300, "testSeconds": 120}}
        """.formatted(root.resolve("state"), prefix, Naming.randomHex(), root.resolve("recipes"), root.resolve("apps")));
    WarmConfig cfg = ConfigLoader.loadFile(config);
    Platform platform = Platforms.create(cfg);
    AppRef app = new AppRef(recipe, cfg.canonicalDomain(recipe));
    try {
      CanonicalRecord seeded = CanonicalSeed.create(cfg).seed(recipe, "1.0.0+1.0", List.of());
      return new QuickBed(recipe, root, config, cfg, platform, app, seeded, knownGoodTreeHash(root, recipe));
    } catch (Exception | Error e) {
      // No bed, so no cleanup() from the test: remove what the failed seed left on the shared Swarm here.
      new QuickBed(recipe, root, config, cfg, platform, app, null, null).cleanup();
      throw e;
    }
  }

  /** Removes the canonical's stack, volumes and secrets and the state root. */
  public void cleanup() {
    try {
      platform.removeApp(app);
    } catch (RuntimeException e) {
      System.err.println("cleanup: " + e.getMessage());
    }
    RUNNER.run(Command.of("rm", "-rf", root.toString()));
  }

  public String recipe() {
    return recipe;
  }

  public Path root() {
    return root;
  }

  public Path config() {
    return config;
  }

  public WarmConfig cfg() {
    return cfg;
  }

  public Platform platform() {
    return platform;
  }

  public AppRef app() {
    return app;
  }

  public CanonicalRecord seeded() {
    return seeded;
  }

  // ------------------------------------------------------------------------------------------- the state

  public Path journal() {
    return root.resolve("state").resolve(recipe).resolve("journal.json");
  }

  /** The journal's phase, or {@code ""} when there is none (or it is being replaced right now). */
  public String journalPhase() {
    try {
      return JSON.readTree(journal().toFile()).path("phase").asText();
    } catch (IOException e) {
      return "";
    }
  }

  public VolumeState volumeState() {
    return new StateStore(cfg.stateRoot()).read(recipe, StateFile.VOLUME_STATE).orElseThrow();
  }

  public Map<String, Path> volumes() {
    Map<String, Path> m = new LinkedHashMap<>();
    for (VolumeInfo v : platform.volumes(app)) {
      m.put(v.name(), v.mountpoint());
    }
    return m;
  }

  public Path volume() {
    return volumes().values().iterator().next();
  }

  public void assertNothingRunning() {
    assertFalse(platform.anythingRunning(app), "no stack left running");
  }

  /**
   * After a PASS: the undeploy was requested, so no service of the stack is left (issue 15: the run does not wait for
   * Swarm to remove the tasks; whatever touches the volumes next does).
   */
  public void assertUndeployRequested() {
    assertTrue(platform.deployed(app).isEmpty(), "no service of the stack is left after a PASS");
  }

  /** canonical.json, the known-good pointer and every byte of the known-good snapshot are as seeded (I1). */
  public void assertKnownGoodUnchanged() throws Exception {
    CanonicalRecord now = new StateStore(cfg.stateRoot()).read(recipe, StateFile.CANONICAL).orElseThrow();
    assertEquals(seeded.snapshotId(), now.snapshotId());
    assertEquals(seeded.commit(), now.commit());
    assertEquals(seeded.snapshotId(), SnapshotStore.forApp(cfg.stateRoot(), recipe).knownGoodId().orElseThrow());
    assertEquals(knownGoodHash, knownGoodTreeHash(root, recipe), "known-good snapshot bytes unchanged");
  }

  /** A FAIL that rolled back: volumes restored, identical to the known-good, marked clean, nothing running. */
  public void assertFailRestored(JsonNode result) throws Exception {
    assertEquals("fail", result.path("outcome").asText(), result.toString());
    assertTrue(result.path("restored").asBoolean(), result.toString());
    assertEquals(VolumeState.clean(seeded.snapshotId()).state(), volumeState().state());
    assertTrue(SnapshotStore.forApp(cfg.stateRoot(), recipe).verify(volumes(), true).identical(),
        "data identical to the known-good");
    assertNothingRunning();
    assertKnownGoodUnchanged();
  }

  /** SHA-256 over every path, type and byte of the known-good snapshot directory. */
  private static String knownGoodTreeHash(Path root, String recipe) throws Exception {
    Path dir = root.resolve("state").resolve(recipe).resolve("snapshots/known-good").toRealPath();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          md.update(Files.readAllBytes(p));
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  // ------------------------------------------------------------------------------------------- inputs

  /** A clone of the recipe at {@code pr-<name>} with its compose file edited (the edit must change it). */
  public Path checkout(String name, UnaryOperator<String> edit) throws Exception {
    Path dir = root.resolve("pr-" + name);
    RUNNER.run(Command.of("git", "clone", "-q", root.resolve("recipes").resolve(recipe).toString(), dir.toString()))
        .requireSuccess();
    Path compose = dir.resolve("compose.yml");
    String before = Files.readString(compose);
    String after = edit.apply(before);
    assertNotEquals(before, after, "the PR edit changed the compose file");
    Files.writeString(compose, after);
    return dir;
  }

  /** An executable {@code /bin/sh} script in the bed's root. */
  public Path script(String name, String body) throws IOException {
    Path p = root.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    p.toFile().setExecutable(true);
    return p;
  }

  // ------------------------------------------------------------------------------------------- running

  /** Exit status, result JSON (empty object when none was written) and stderr of one run. */
  public record Run(int exit, JsonNode result, String err) {}

  /**
   * Waits for {@code p} to end, bounded: its stderr is drained on another thread meanwhile (a pipe read to its end
   * first would make the bound never apply). On timeout the process tree is killed and the test fails.
   */
  public static String finish(Process p, Duration max) throws InterruptedException {
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(stderr unreadable: " + e + ")";
      }
    });
    if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("the process did not end within " + max.toSeconds() + " s");
    }
    try {
      return err.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "(stderr not read: " + e + ")";
    }
  }

  /** {@code run --recipe R --checkout DIR --json FILE -- CMD…} to its end. */
  public Run quick(String recipe, Path checkout, String... cmd) throws Exception {
    Path result = root.resolve("result-" + Naming.randomHex() + ".json");
    Process p = start(recipe, checkout, result, cmd);
    String err = finish(p, Duration.ofSeconds(300));
    JsonNode r = Files.exists(result) ? JSON.readTree(result.toFile()) : JSON.createObjectNode();
    return new Run(p.exitValue(), r, err);
  }

  /** Starts {@code run} in the background (stderr is a pipe: read it, or the child may block on a full one). */
  public Process start(String recipe, Path checkout, Path result, String... cmd) throws IOException {
    return start(config, List.of(), recipe, checkout, result, cmd);
  }

  public Process start(Path configFile, List<String> extra, String recipe, Path checkout, Path result,
      String... cmd) throws IOException {
    return runBuilder(configFile, extra, recipe, checkout, result, cmd).start();
  }

  /**
   * Starts {@code run} in the background with its stderr going to {@code stderrFile}: unlike a pipe, the file keeps
   * what the run printed after a test signals it ({@link Process#destroy()} closes the pipes).
   */
  public Process startLogged(Path stderrFile, String recipe, Path checkout, Path result, String... cmd)
      throws IOException {
    return runBuilder(config, List.of(), recipe, checkout, result, cmd).redirectError(stderrFile.toFile()).start();
  }

  private ProcessBuilder runBuilder(Path configFile, List<String> extra, String recipe, Path checkout, Path result,
      String... cmd) {
    List<String> args = new ArrayList<>(List.of("run", "--config", configFile.toString(), "--recipe", recipe,
        "--checkout", checkout.toString(), "--json", result.toString()));
    args.addAll(extra);
    args.add("--");
    args.addAll(List.of(cmd));
    return launch(args);
  }

  /** {@code java -m warm.quick ARGS… --config <the bed's>} to its end. */
  public Run warmQuick(String... args) throws Exception {
    return warmQuick(config, args);
  }

  public Run warmQuick(Path configFile, String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--config");
    a.add(configFile.toString());
    Process p = launch(a).start();
    String err = finish(p, Duration.ofSeconds(300));
    return new Run(p.exitValue(), JSON.createObjectNode(), err);
  }

  /** {@code java -m warm.nightly ARGS…} to its end. */
  public Run nightly(String... args) throws Exception {
    Process p = launch("warm.nightly", List.of(args)).start();
    String err = finish(p, Duration.ofSeconds(300));
    return new Run(p.exitValue(), JSON.createObjectNode(), err);
  }

  public ProcessBuilder launch(List<String> args) {
    return launch("warm.quick", args);
  }

  public static ProcessBuilder launch(String module, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(Distribution.java(), "-p", Distribution.lib().toString(), "-m", module));
    argv.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // The child must see only the configuration a test gives it.
    pb.environment().remove("WARM_CONFIG");
    return pb;
  }

  /** Polls {@code cond} every 50 ms until it holds; fails after {@code max}. */
  public static void waitFor(BooleanSupplier cond, Duration max, String what) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
