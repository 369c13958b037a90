package warm.core.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.config.Timeouts;
import warm.core.naming.Naming;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;

/**
 * {@link Platform} on plain {@code docker stack deploy}: a recipe is a git checkout under {@code recipesDir}
 * (compose.yml, .env.sample, git tags as versions, release/ notes), an app is an env file under {@code appsDir}.
 * Deploys write the labels abra writes ({@code coop-cloud.<stack>.version|recipe|chaos|chaos-version}) through a
 * generated compose override, so everything read back looks exactly like an abra deployment.
 */
final class SwarmPlatform extends SwarmStackPlatform {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmPlatform.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Label on the secrets this adapter generates, naming the stack they belong to. */
  static final String OWNER_LABEL = "cc-ci-warm.stack";

  private final Path recipesDir;
  private final Path appsDir;

  SwarmPlatform(Path recipesDir, Path appsDir, ProcessRunner runner, DockerCli docker, Timeouts timeouts,
      RecipeProbes probes) {
    super(runner, docker, timeouts, probes);
    this.recipesDir = recipesDir;
    this.appsDir = appsDir;
  }

  @Override
  public String name() {
    return "swarm";
  }

  @Override
  public Path fetchRecipe(String recipe) {
    // The swarm adapter never reaches the network: the recipe must already be checked out here.
    return checkout(recipe).dir();
  }

  @Override
  public List<String> publishedVersions(String recipe) {
    return checkout(recipe).tags();
  }

  @Override
  public Optional<String> releaseNote(String recipe, String version) {
    return checkout(recipe).releaseNote(version);
  }

  @Override
  public void createApp(AppRef app) {
    Path env = envFile(app);
    if (Files.exists(env)) {
      return;
    }
    Path sample = checkout(app.recipe()).dir().resolve(".env.sample");
    StringBuilder text = new StringBuilder();
    try {
      if (Files.isRegularFile(sample)) {
        for (String line : Files.readAllLines(sample)) {
          if (!line.startsWith("DOMAIN=") && !line.startsWith("TYPE=") && !line.startsWith("RECIPE=")) {
            text.append(line).append('\n');
          }
        }
      }
      text.insert(0, "TYPE=" + app.recipe() + "\nDOMAIN=" + app.domain() + "\n");
      Files.createDirectories(appsDir);
      Path tmp = Files.createTempFile(appsDir, ".env-", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, env, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WarmException.infra("cannot create env file " + env + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void generateMissingSecrets(AppRef app) {
    Map<String, String> wanted = EnvFile.secretVersions(appEnv(app));
    String stack = app.stack();
    wanted.forEach((name, version) -> Naming.requireObjectNamesFit(app.domain(), name + "_" + version));
    List<String> existing = docker.secretNames(stack + "_");
    for (var e : wanted.entrySet()) {
      String secret = stack + "_" + e.getKey() + "_" + e.getValue();
      if (existing.contains(secret)) {
        continue;
      }
      byte[] value = new byte[24];
      RANDOM.nextBytes(value);
      String text = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
      // Not labelled with the stack namespace: `docker stack rm` deletes such secrets, and an undeploy must keep
      // them (abra's secrets survive undeploy).
      docker.run(docker.cmd("secret", "create", "--label", OWNER_LABEL + "=" + stack, secret, "-")
          .withStdin(text.getBytes(StandardCharsets.UTF_8)).withSecret(text));
      LOG.info("created secret {}", secret);
    }
  }

  @Override
  public void deploy(AppRef app, String version) {
    deploy(app, version, false);
  }

  @Override
  public void deployBeforeUpgrade(AppRef app, String version) {
    deploy(app, version, true);
  }

  private void deploy(AppRef app, String version, boolean ownChecks) {
    Instant since = Instant.now(); // what Swarm did after this is the deploy's doing (StackHealth.rolledBack)
    RecipeCheckout recipe = checkout(app.recipe());
    Path work = WorkDirs.create("warm-deploy-");
    try {
      Path tree = work.resolve("recipe");
      recipe.exportVersion(app.recipe(), version, tree);
      stackDeploy(app, tree, labels(app, version, false, ""));
    } finally {
      WorkDirs.delete(work);
    }
    health.awaitHealthy(app.stack(), timeouts.health(), probes.probe(app), since, ownChecks);
  }

  @Override
  public void deployChaos(AppRef app, Path checkoutDir) {
    Instant since = Instant.now();
    RecipeCheckout co = new RecipeCheckout(checkoutDir, runner, timeouts.command()).requireExists(app.recipe());
    String version = co.describe().orElse("");
    stackDeploy(app, checkoutDir, labels(app, version, true, co.chaosVersion()));
    health.awaitHealthy(app.stack(), timeouts.health(), probes.probe(app), since);
  }

  @Override
  public void undeploy(AppRef app) {
    requestUndeploy(app);
    health.awaitGone(app.stack(), timeouts.undeploy());
  }

  @Override
  public void requestUndeploy(AppRef app) {
    String stack = app.stack();
    // A deploy that failed half-way can leave only a network: remove the stack whenever anything of it exists.
    if (!docker.services(stack).isEmpty() || !docker.networks(stack).isEmpty()) {
      docker.removeStack(stack);
    }
  }

  @Override
  public void removeApp(AppRef app) {
    undeploy(app);
    String stack = app.stack();
    for (VolumeInfo v : docker.volumes(stack)) {
      docker.run("volume", "rm", v.name());
    }
    List<String> secrets = docker.secretNames(stack + "_");
    for (String s : secrets) {
      // Only secrets labelled as this stack's: a longer stack name can share the prefix.
      String label = docker.run("secret", "inspect", "--format",
          "{{index .Spec.Labels \"" + OWNER_LABEL + "\"}}", s).strip();
      if (stack.equals(label)) {
        docker.run("secret", "rm", s);
      }
    }
    try {
      Files.deleteIfExists(envFile(app));
    } catch (IOException e) {
      throw WarmException.infra("cannot delete env file " + envFile(app) + ": " + e.getMessage(), e);
    }
  }

  private void stackDeploy(AppRef app, Path tree, Map<String, String> labels) {
    Map<String, String> env = new LinkedHashMap<>(appEnv(app));
    env.put("STACK_NAME", app.stack());
    env.put("DOMAIN", app.domain());
    List<String> files = new ArrayList<>();
    for (String f : env.getOrDefault("COMPOSE_FILE", "compose.yml").split(":")) {
      if (f.isBlank() || f.contains("..") || f.startsWith("/")) {
        throw WarmException.usage("COMPOSE_FILE entry '" + f + "' of app " + app.domain() + " is not a file of the recipe");
      }
      if (!Files.isRegularFile(tree.resolve(f))) {
        throw WarmException.usage("recipe '" + app.recipe() + "' has no " + f + " in " + tree);
      }
      files.add(f);
    }
    Path work = WorkDirs.create("warm-labels-");
    try {
      Path override = work.resolve("warm-labels.yml");
      StringBuilder y = new StringBuilder("version: \"3.8\"\nservices:\n  app:\n    deploy:\n      labels:\n");
      labels.forEach((k, v) -> y.append("        ").append(k).append(": \"").append(v.replace("\"", "")).append("\"\n"));
      Files.writeString(override, y);
      List<String> argv = new ArrayList<>(List.of("stack", "deploy", "--prune", "--resolve-image", "never"));
      for (String f : files) {
        argv.add("-c");
        argv.add(tree.resolve(f).toString());
      }
      argv.add("-c");
      argv.add(override.toString());
      argv.add(app.stack());
      Command c = docker.cmd(argv.toArray(String[]::new)).withDir(tree).withEnv(env).withTimeout(timeouts.deploy());
      for (var e : env.entrySet()) {
        boolean sensitive = e.getKey().contains("PASSWORD") || e.getKey().contains("SECRET") || e.getKey().contains("TOKEN");
        if (sensitive && !e.getKey().endsWith("_VERSION") && e.getValue().length() >= 4) {
          c = c.withSecret(e.getValue());
        }
      }
      docker.run(c);
    } catch (IOException e) {
      throw WarmException.infra("cannot write compose override: " + e.getMessage(), e);
    } finally {
      WorkDirs.delete(work);
    }
  }

  private static Map<String, String> labels(AppRef app, String version, boolean chaos, String chaosVersion) {
    String p = "coop-cloud." + app.stack() + ".";
    Map<String, String> l = new LinkedHashMap<>();
    l.put(p + "version", version);
    l.put(p + "recipe", app.recipe());
    l.put(p + "chaos", Boolean.toString(chaos));
    l.put(p + "chaos-version", chaosVersion);
    return l;
  }

  private Map<String, String> appEnv(AppRef app) {
    Path env = envFile(app);
    if (!Files.isRegularFile(env)) {
      throw WarmException.usage("app " + app.domain() + " has no env file at " + env + " (create the app first)");
    }
    return EnvFile.read(env);
  }

  Path envFile(AppRef app) {
    return appsDir.resolve(app.domain() + ".env");
  }

  private RecipeCheckout checkout(String recipe) {
    Naming.requireRecipeName(recipe);
    return new RecipeCheckout(recipesDir.resolve(recipe), runner, timeouts.command()).requireExists(recipe);
  }
}
