package warm.nightly.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import warm.snapshot.SnapshotStore;

/**
 * The sample recipe enrolled (under a recipe name of the test's choosing) in a throwaway state root on the real
 * Swarm, with no canonical yet, and {@code warm promote} of the built distribution run against it as a child process:
 * what the promotion ITs share. The recipe publishes newer tags on demand ({@link #publish}) for a version bump.
 */
public final class PromoteBed {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final ProcessRunner RUNNER = ProcessRunner.system();
  /** The sample recipe's last published version, which its compose file carries. */
  public static final String SAMPLE_LATEST = SampleRecipe.VERSIONS.get(SampleRecipe.VERSIONS.size() - 1);

  private final String recipe;
  private final Path root;
  private final Path config;
  private final WarmConfig cfg;
  private final Platform platform;
  private final AppRef app;

  private PromoteBed(String recipe, Path root, Path config, WarmConfig cfg, Platform platform, AppRef app) {
    this.recipe = recipe;
    this.root = root;
    this.config = config;
    this.cfg = cfg;
    this.platform = platform;
    this.app = app;
  }

  /** The sample recipe as {@code recipe}, enrolled, under a fresh random CI domain (other tests share the Swarm). */
  public static PromoteBed create(String prefix, String recipe) throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    Path root = Files.createTempDirectory("warm-" + prefix + "-it-");
    SampleRecipe.materialize(root.resolve("recipes").resolve(recipe), RUNNER);
    Path config = root.resolve("config.json");
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "%s-%s.localhost",
         "recipes": [{"name": "%s"}],
         "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "timeouts": {"healthSeconds": 25, "lockWaitSeconds": 300, "testSeconds": 120}}
        """.formatted(root.resolve("state"), prefix, Naming.randomHex(), recipe, root.resolve("recipes"),
        root.resolve("apps")));
    WarmConfig cfg = ConfigLoader.loadFile(config);
    return new PromoteBed(recipe, root, config, cfg, Platforms.create(cfg), new AppRef(recipe,
        cfg.canonicalDomain(recipe)));
  }

  /** Removes the canonical's stack, volumes, secrets and env file, and the state root. */
  public void cleanup() {
    RUNNER.run(Command.of("chattr", "-R", "-i", root.toString()));
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

  public AppRef app() {
    return app;
  }

  public Platform platform() {
    return platform;
  }

  public Path recipeDir() {
    return root.resolve("recipes").resolve(recipe);
  }

  // ------------------------------------------------------------------------------------------- the recipe

  /** The commit a published version's tag points at. */
  public String commitOf(String version) {
    return RUNNER.run(Command.of("git", "-C", recipeDir().toString(), "rev-parse",
        "refs/tags/" + version + "^{commit}")).requireSuccess().stdout().strip();
  }

  /**
   * Publishes {@code version} as a new tag: the sample's last release's compose file (not the previous test
   * release's, which may be broken on purpose) with its version replaced and {@code edit} applied (identity for a
   * good release). Returns the tag's commit.
   */
  public String publish(String version, UnaryOperator<String> edit) throws IOException {
    String base = RUNNER.run(Command.of("git", "-C", recipeDir().toString(), "show",
        "refs/tags/" + SAMPLE_LATEST + ":compose.yml")).requireSuccess().stdout();
    Files.writeString(recipeDir().resolve("compose.yml"), edit.apply(base.replace(SAMPLE_LATEST, version)));
    SampleRecipe.git(RUNNER, recipeDir(), "add", "-A");
    SampleRecipe.git(RUNNER, recipeDir(), "commit", "-q", "-m", "chore: publish " + version + " release");
    SampleRecipe.git(RUNNER, recipeDir(), "tag", version);
    return commitOf(version);
  }

  /** A cold-result file as the runner writes it. */
  public Path coldResult(String version, String commit, String outcome) throws IOException {
    Path f = root.resolve("cold-" + Naming.randomHex() + ".json");
    Files.writeString(f, JSON.writeValueAsString(Map.of("recipe", recipe, "version", version, "commit", commit,
        "mode", "cold", "outcome", outcome)));
    return f;
  }

  /** An executable {@code /bin/sh} script in the bed's root. */
  public Path script(String name, String body) throws IOException {
    Path p = root.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    p.toFile().setExecutable(true);
    return p;
  }

  // ------------------------------------------------------------------------------------------- running

  /** Exit status, stdout (JSON with --json) and stderr of one command. */
  public record Run(int exit, String out, String err) {
    public JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("no JSON on stdout: " + this, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** {@code bin/warm ARGS… --config <the bed's>} (unless ARGS name one) to its end (bounded). */
  public Run warm(String... args) throws Exception {
    return warm(Map.of(), args);
  }

  /** {@code bin/warm ARGS… --config <the bed's>} with extra environment (e.g. WARM_JAVA_OPTS). */
  public Run warm(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, null, args);
    String err = QuickBed.finish(p, Duration.ofMinutes(5));
    return new Run(p.exitValue(), Files.readString(root.resolve("last-out.txt")), err);
  }

  /**
   * Starts {@code bin/warm ARGS… --config <the bed's>} in the background (stdout to {@code last-out.txt}, stderr to
   * {@code stderrFile} when given, else a pipe). {@code bin/warm} execs java, so the process is the JVM itself.
   */
  public Process start(Map<String, String> env, Path stderrFile, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(Distribution.repoRoot().resolve("bin/warm").toString()));
    argv.addAll(List.of(args));
    int dashes = argv.indexOf("--");
    if (!argv.subList(0, dashes < 0 ? argv.size() : dashes).contains("--config")) {
      argv.addAll(dashes < 0 ? argv.size() : dashes, List.of("--config", config.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(root.resolve("last-out.txt").toFile());
    if (stderrFile != null) {
      pb.redirectError(stderrFile.toFile());
    }
    pb.environment().remove("WARM_CONFIG");
    pb.environment().remove("JOURNAL_STREAM");
    pb.environment().remove("WARM_LIB");
    pb.environment().put("JAVA", Distribution.java());
    pb.environment().putAll(env);
    return pb.start();
  }

  // ------------------------------------------------------------------------------------------- the state

  public StateStore state() {
    return new StateStore(cfg.stateRoot());
  }

  public SnapshotStore store() {
    return SnapshotStore.forApp(cfg.stateRoot(), recipe);
  }

  public CanonicalRecord canonical() {
    return state().read(recipe, StateFile.CANONICAL).orElseThrow();
  }

  public String knownGoodId() {
    return store().knownGoodId().orElseThrow();
  }

  /** The journal's phase, or {@code ""} when there is none (or it is being replaced right now). */
  public String journalPhase() {
    try {
      return JSON.readTree(state().path(recipe, StateFile.JOURNAL).toFile()).path("phase").asText();
    } catch (IOException e) {
      return "";
    }
  }

  public VolumeState volumeState() {
    return state().read(recipe, StateFile.VOLUME_STATE).orElseThrow();
  }

  public Map<String, Path> volumes() {
    Map<String, Path> m = new LinkedHashMap<>();
    for (VolumeInfo v : platform.volumes(app)) {
      m.put(v.name(), v.mountpoint());
    }
    return m;
  }

  /** The one data volume's directory. */
  public Path volume() {
    return volumes().values().iterator().next();
  }

  /** The complete snapshot directories in the store. */
  public List<String> snapshots() throws IOException {
    try (Stream<Path> s = Files.list(store().directory())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("snap-")).sorted().toList();
    }
  }

  /** The alert kinds in the outbox and sent folders, in no particular order. */
  public List<String> alertKinds() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (String d : List.of("outbox", "sent")) {
      Path dir = cfg.stateRoot().resolve("alerts").resolve(d);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.filter(f -> f.toString().endsWith(".json")).toList()) {
          kinds.add(JSON.readTree(p.toFile()).path("alert").path("kind").asText());
        }
      }
    }
    return kinds;
  }

  /**
   * What must not change when a promotion is refused or rolled back: the known-good id, the bytes of
   * canonical.json, and a hash of every path and byte of the canonical's volumes.
   */
  public record Fingerprint(String knownGood, String canonicalJson, String volumes) {}

  public Fingerprint fingerprint() throws Exception {
    return new Fingerprint(knownGoodId(),
        Files.readString(state().path(recipe, StateFile.CANONICAL)), treeHash(volume()));
  }

  /** The canonical is at rest: nothing running, no journal, volumes clean at the known-good and verified by content. */
  public void assertAtRest() {
    assertFalse(platform.anythingRunning(app), "no stack left running");
    assertFalse(Files.exists(state().path(recipe, StateFile.JOURNAL)), "no journal left");
    assertEquals(VolumeState.clean(knownGoodId()).state(), volumeState().state());
    assertTrue(store().verify(volumes(), true).identical(), "the volumes are the known-good, byte for byte");
  }

  /** Nothing of the canonical exists: no stack, volume, secret, env file or state directory. */
  public void assertNothingLeft() {
    String stack = app.stack();
    assertFalse(platform.anythingRunning(app), "a stack is left");
    assertEquals("", docker("volume", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack),
        "volumes are left");
    assertEquals("", docker("secret", "ls", "-q", "--filter", "name=" + stack + "_"), "secrets are left");
    assertEquals("", docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack),
        "networks are left");
    assertFalse(Files.exists(root.resolve("apps").resolve(app.domain() + ".env")), "the env file is left");
    assertFalse(Files.exists(cfg.stateRoot().resolve(recipe), LinkOption.NOFOLLOW_LINKS), "the state dir is left");
  }

  private static String docker(String... args) {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    return RUNNER.run(Command.of(argv)).requireSuccess().stdout().strip();
  }

  /** SHA-256 over every relative path, type and byte under {@code dir}. */
  public static String treeHash(Path dir) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          md.update(Files.readAllBytes(p));
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
