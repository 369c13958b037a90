package warm.core.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.config.AbraSettings;
import warm.core.config.Timeouts;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * {@link Platform} on the {@code abra} CLI, always non-interactive ({@code -n}). Changes go through abra; Swarm
 * state (labels, volumes, tasks) is read with {@code docker}, never parsed from abra's human output. The command
 * lines follow reference/abra.md; the details marked unconfirmed there all live in this one class.
 */
final class AbraPlatform extends SwarmStackPlatform {
  private static final Logger LOG = LoggerFactory.getLogger("warm.proc.abra");

  private final AbraSettings settings;
  private final Path abraDir;

  AbraPlatform(AbraSettings settings, ProcessRunner runner, DockerCli docker, Timeouts timeouts, RecipeProbes probes) {
    super(runner, docker, timeouts, probes);
    this.settings = settings;
    // Every abra command is given this directory as ABRA_DIR (AbraSettings.abraDirFor), so abra and this adapter never
    // disagree on where abra keeps its state.
    this.abraDir = settings.abraDirFor(System.getenv("ABRA_DIR"));
  }

  @Override
  public String name() {
    return "abra";
  }

  /**
   * Clones the recipe or brings its tags up to date, one warm process at a time per recipe: two fetches into one
   * checkout fail on git's ref locks ("cannot lock ref … .lock': File exists", exit 1; measured 4 of 30 races), and two
   * first clones into one directory fail outright. Seeds and promotions fetch before their app lock (a refusal must
   * create nothing), so this is the only thing that orders two runs of one recipe here. The lock file sits beside the
   * checkout, in abra's recipes directory (never under the state root), and is deleted by its holder once the fetch is
   * done, failed or not; the wait is bounded by {@code timeouts.commandSeconds}, the fetch's own bound.
   */
  @Override
  public Path fetchRecipe(String recipe) {
    Naming.requireRecipeName(recipe);
    Path dir = recipeDir(recipe);
    Path lockFile = dir.resolveSibling("." + recipe + ".warm-fetch.lock");
    LockFile lock = LockFile.lock(lockFile, "fetch of recipe " + recipe, timeouts.command(),
        "the checkout of recipe '" + recipe + "'");
    try {
      // Asked under the lock: a run that waited finds the clone the other one made, and only refreshes its tags.
      if (!Files.isDirectory(dir.resolve(".git"))) {
        abra(timeouts.command(), "recipe", "fetch", recipe);
      } else {
        refreshTags(recipe, dir);
      }
    } finally {
      lock.deleteAndClose(); // on every path: the lock does not outlive the fetch
    }
    return new RecipeCheckout(dir, runner, timeouts.command()).requireExists(recipe).dir();
  }

  /**
   * Brings a cloned recipe's tags (its published versions) up to date, so the reconciler sees a release published
   * since the clone. Only the tags move: abra keeps the shared working tree at the deployed tag. A clone without an
   * {@code origin}, or a fetch that fails (offline), keeps the versions known so far, with a warning.
   */
  private void refreshTags(String recipe, Path dir) {
    ProcessResult remote = runner.run(Command.of("git", "-C", dir.toString(), "remote", "get-url", "origin")
        .withTimeout(timeouts.command()));
    if (!remote.ok()) {
      LOG.debug("recipe {} has no origin remote: its tags are what is there", recipe);
      return;
    }
    ProcessResult fetched = runner.run(Command.of("git", "-C", dir.toString(), "fetch", "--quiet", "--tags",
        "--force", "origin").withTimeout(timeouts.command()));
    if (!fetched.ok()) {
      LOG.warn("cannot fetch the tags of recipe {} ({}); using the versions known so far", recipe,
          fetched.outputTail().strip());
    }
  }

  @Override
  public List<String> publishedVersions(String recipe) {
    // Tags of the recipe clone are abra's versions; reading git beats parsing `abra recipe versions` output.
    return checkout(recipe).tags();
  }

  @Override
  public Optional<String> releaseNote(String recipe, String version) {
    return checkout(recipe).releaseNote(version);
  }

  @Override
  public void createApp(AppRef app) {
    if (Files.exists(envFile(app))) {
      return;
    }
    abra(timeouts.command(), "app", "new", app.recipe(), "--server", settings.server(), "--domain", app.domain());
  }

  @Override
  public void generateMissingSecrets(AppRef app) {
    Map<String, String> wanted = EnvFile.secretVersions(EnvFile.read(requireEnv(app)));
    wanted.forEach((name, version) -> Naming.requireObjectNamesFit(app.domain(), name + "_" + version));
    List<String> existing = docker.secretNames(app.stack() + "_");
    for (var e : wanted.entrySet()) {
      if (!existing.contains(app.stack() + "_" + e.getKey() + "_" + e.getValue())) {
        // By name and version: `--all` may fail or regenerate when some secrets already exist.
        abra(timeouts.command(), "app", "secret", "generate", app.domain(), e.getKey(), e.getValue());
      }
    }
  }

  @Override
  public void deploy(AppRef app, String version) {
    Instant since = Instant.now(); // what Swarm did after this is the deploy's doing (StackHealth.rolledBack)
    Path dir = recipeDir(app.recipe());
    if (Files.exists(dir.resolve(".git"))) {
      // Same contract as the swarm adapter: an unpublished version is bad input (exit 2) and nothing is touched;
      // abra would only say FATA after it has checked out the shared recipe tree.
      RecipeCheckout co = new RecipeCheckout(dir, runner, timeouts.command());
      if (!co.hasTag(version)) {
        throw WarmException.usage("version '" + version + "' is not a published version of recipe '" + app.recipe()
            + "' (tags: " + String.join(", ", co.tags()) + ")");
      }
    }
    List<String> args = new ArrayList<>(List.of("app", "deploy", app.domain(), version, "-f"));
    args.addAll(deployFlags());
    abra(timeouts.deploy(), args.toArray(String[]::new));
    health.awaitHealthy(app.stack(), timeouts.health(), probes.probe(app), since);
  }

  @Override
  public void deployChaos(AppRef app, Path checkout) {
    Instant since = Instant.now();
    new RecipeCheckout(checkout, runner, timeouts.command()).requireExists(app.recipe());
    List<String> args = new ArrayList<>(List.of("app", "deploy", app.domain(), "-C", "-f"));
    args.addAll(deployFlags());
    Path shared = recipeDir(app.recipe());
    if (sameFile(checkout, shared)) {
      abra(timeouts.deploy(), args.toArray(String[]::new));
    } else {
      // abra deploys whatever tree is at $ABRA_DIR/recipes/<recipe>. The shared tree must not be clobbered
      // (pitfalls: one working tree per recipe), so give abra an overlay ABRA_DIR whose recipes/<recipe> is the
      // checkout and whose other entries link to the real ABRA_DIR.
      Path overlay = overlayAbraDir(app.recipe(), checkout);
      try {
        run(command(timeouts.deploy(), args.toArray(String[]::new)).withEnv("ABRA_DIR", overlay.toString()));
      } finally {
        WorkDirs.delete(overlay);
      }
    }
    health.awaitHealthy(app.stack(), timeouts.health(), probes.probe(app), since);
  }

  @Override
  public void undeploy(AppRef app) {
    requestUndeploy(app);
    // abra returns before Swarm has removed the tasks.
    health.awaitGone(app.stack(), timeouts.undeploy());
  }

  @Override
  public void requestUndeploy(AppRef app) {
    if (!docker.services(app.stack()).isEmpty()) {
      Command c = command(timeouts.undeploy(), "app", "undeploy", app.domain());
      LOG.info("{}", c.display());
      // abra removes the stack with docker's code: the same errors mean Swarm is already removing it (D11).
      SwarmRemoval.requireDoneOrInProgress(runner.run(c));
    }
    // A deploy that failed half-way can leave only the stack's network, which abra does not see as deployed.
    if (docker.services(app.stack()).isEmpty()) {
      for (String net : docker.networks(app.stack())) {
        docker.removeNetwork(net);
      }
    }
  }

  @Override
  public void removeApp(AppRef app) {
    undeploy(app);
    List<String> secrets = new ArrayList<>();
    if (Files.exists(envFile(app))) {
      EnvFile.secretVersions(EnvFile.read(envFile(app)))
          .forEach((name, version) -> secrets.add(app.stack() + "_" + name + "_" + version));
      abra(timeouts.command(), "app", "remove", app.domain(), "-f");
    }
    // `app remove` should have deleted them (unconfirmed); make sure, touching only volumes labelled as this
    // stack's and the exact secret names its env file declared — never a prefix match, which would also hit a
    // stack whose name extends this one.
    for (VolumeInfo v : docker.volumes(app.stack())) {
      docker.run("volume", "rm", v.name());
    }
    List<String> left = docker.secretNames(app.stack() + "_");
    for (String s : secrets) {
      if (left.contains(s)) {
        docker.run("secret", "rm", s);
      }
    }
  }

  private List<String> deployFlags() {
    List<String> f = new ArrayList<>();
    if (settings.noDomainChecks()) {
      f.add("--no-domain-checks");
    }
    f.addAll(settings.extraDeployFlags());
    return f;
  }

  private void abra(Duration timeout, String... args) {
    run(command(timeout, args));
  }

  private void run(Command c) {
    LOG.info("{}", c.display());
    // A failure carries abra's stdout, where it prints FATA.
    runner.run(c).requireSuccess();
  }

  private Command command(Duration timeout, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(settings.executable());
    argv.addAll(List.of(args));
    argv.add("-n");
    // Always the directory this adapter reads (env files, recipe clones), also when none is configured: abra's own
    // default is $HOME/.abra, and $HOME is not the service user's home under the NixOS quick launcher (env -i) or
    // sudo without -H, so abra would write where this adapter never looks.
    return Command.of(argv).withTimeout(timeout).withEnv("ABRA_DIR", abraDir.toString());
  }

  private Path overlayAbraDir(String recipe, Path checkout) {
    try {
      Path overlay = WorkDirs.create("warm-abra-");
      Files.createDirectories(abraDir);
      try (var entries = Files.list(abraDir)) {
        for (Path e : (Iterable<Path>) entries::iterator) {
          if (!e.getFileName().toString().equals("recipes")) {
            Files.createSymbolicLink(overlay.resolve(e.getFileName()), e.toAbsolutePath());
          }
        }
      }
      Path recipes = Files.createDirectories(overlay.resolve("recipes"));
      Path shared = abraDir.resolve("recipes");
      if (Files.isDirectory(shared)) {
        try (var entries = Files.list(shared)) {
          for (Path e : (Iterable<Path>) entries::iterator) {
            if (!e.getFileName().toString().equals(recipe)) {
              Files.createSymbolicLink(recipes.resolve(e.getFileName()), e.toAbsolutePath());
            }
          }
        }
      }
      Files.createSymbolicLink(recipes.resolve(recipe), checkout.toAbsolutePath());
      return overlay;
    } catch (IOException e) {
      throw WarmException.infra("cannot prepare an ABRA_DIR overlay for the chaos deploy: " + e.getMessage(), e);
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  Path envFile(AppRef app) {
    return abraDir.resolve("servers").resolve(settings.server()).resolve(app.domain() + ".env");
  }

  private Path requireEnv(AppRef app) {
    Path env = envFile(app);
    if (!Files.isRegularFile(env)) {
      throw WarmException.usage("app " + app.domain() + " has no abra env file at " + env + " (create the app first)");
    }
    return env;
  }

  private Path recipeDir(String recipe) {
    return abraDir.resolve("recipes").resolve(recipe);
  }

  private RecipeCheckout checkout(String recipe) {
    Naming.requireRecipeName(recipe);
    return new RecipeCheckout(recipeDir(recipe), runner, timeouts.command()).requireExists(recipe);
  }
}
