package warm.core.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the composers need of a deployment engine (DESIGN §4). Two mechanisms implement it: {@code SwarmPlatform}
 * (plain {@code docker stack deploy} of a recipe directory) and {@code AbraPlatform} (the {@code abra} CLI). Both
 * read Swarm state through {@code docker}, so everything a composer can see behaves the same.
 *
 * <p>Every method fails with a {@link warm.core.WarmException} of exit code INFRA when the engine fails, carrying
 * the command's output (abra prints {@code FATA} on stdout).
 */
public interface Platform {

  /** Name of the mechanism, for logs and status ({@code swarm}, {@code abra}). */
  String name();

  /**
   * Makes sure the recipe is present locally, with the releases published so far (abra: a clone's tags are fetched
   * again; the swarm adapter's recipes directory is what it is), and returns its checkout directory.
   */
  Path fetchRecipe(String recipe);

  /** Published versions of the recipe (its git tags), in the order git lists them. */
  List<String> publishedVersions(String recipe);

  /**
   * Text of {@code release/<version>}: the recipe checkout's working-tree entry when it exists, otherwise the note
   * committed in the version's tag (abra leaves its shared tree at the deployed tag). Empty when the version has no
   * note. A note that exists but cannot be served in full (a symbolic link or other non-regular entry, larger than
   * 1 MiB) fails with a {@link warm.core.WarmException}: it must never look like "no note" to the upgrade gate.
   */
  Optional<String> releaseNote(String recipe, String version);

  /** Creates the app's configuration (env file from the recipe's {@code .env.sample}) unless it exists. */
  void createApp(AppRef app);

  /** Generates the app's secrets that do not exist yet; existing ones are never replaced. */
  void generateMissingSecrets(AppRef app);

  /** Deploys the given published version (re-deploying if already deployed) and waits for convergence. */
  void deploy(AppRef app, String version);

  /**
   * {@link #deploy}, for a deployment that is upgraded next and that nothing reaches over the network before (the
   * quick lane's known-good, updated to the PR right after): a container whose healthcheck Docker has not passed yet
   * counts as healthy as soon as that healthcheck's own command, run by warm in the container, passes — instead of
   * one healthcheck {@code interval} after the start, when Docker's first probe runs (Docker's default interval is
   * 30 s). Until Docker's probe passes, Swarm keeps the task out of the service's virtual IP and DNS, so the deploy
   * may return before the app is reachable through the network. By default the plain {@link #deploy}.
   */
  default void deployBeforeUpgrade(AppRef app, String version) {
    deploy(app, version);
  }

  /**
   * Deploys a local checkout as it is, uncommitted changes included ("chaos"), and waits for convergence. The
   * labels keep the compose's version and record the short sha (+U when dirty) as chaos version.
   */
  void deployChaos(AppRef app, Path checkout);

  /** Removes the stack and returns only when no task or container of it remains (bounded). Volumes are kept. */
  void undeploy(AppRef app);

  /**
   * Requests the stack's removal and returns once Swarm has accepted it (its services are deleted), without waiting
   * for the tasks, containers and networks to go: those can hold a volume for seconds more. A refused request fails
   * like {@link #undeploy}. Whoever next touches the volumes or deploys the app calls {@link #awaitUndeployed} (or
   * {@link #undeploy}) first (DESIGN I2). Volumes are kept. By default the waiting {@link #undeploy}: a platform
   * that always waits leaves no removal in progress, so the two methods below need nothing either.
   */
  default void requestUndeploy(AppRef app) {
    undeploy(app);
  }

  /** Whether the stack is going down: no service of it is left, but a container or network still exists. */
  default boolean undeploying(AppRef app) {
    return false;
  }

  /**
   * Waits, bounded by the configured undeploy timeout, until a stack that is {@link #undeploying} is gone, finishing
   * what Swarm leaves (stopped task containers, networks it refused to delete while a task used them); fails naming
   * what is left when the bound passes. Returns at once when no removal is in progress (nothing of the stack, or a
   * deployed one: that is not a removal to wait for).
   */
  default void awaitUndeployed(AppRef app) {}

  /** What the stack's labels say is deployed; empty when nothing of the stack is deployed. */
  Optional<DeployedVersion> deployed(AppRef app);

  /**
   * One look at the deployed stack, without waiting: empty when every service is converged and its containers are
   * healthy, else why not (how the reconciler tells a running-but-unhealthy infra app, to heal it).
   */
  Optional<String> unhealthy(AppRef app);

  /** Whether any service, task or container of the stack still exists. */
  boolean anythingRunning(AppRef app);

  /**
   * Containers of any stack or none, running or stopped, that still mount the named volume (a snapshot or restore
   * must not touch a volume something holds, DESIGN I2).
   */
  List<String> volumeHolders(String volume);

  /**
   * Creates an empty volume of the app's stack, labelled as a stack deploy would (a later deploy reuses it): how a
   * removed canonical volume is repaired before the known-good is restored into it.
   *
   * @param volume the volume's full name ({@code <stack>_<volume>}), as the snapshot recorded it
   */
  void recreateVolume(AppRef app, String volume);

  /** The stack's volumes (label {@code com.docker.stack.namespace=<stack>}) with their mountpoints. */
  List<VolumeInfo> volumes(AppRef app);

  /**
   * Removes a per-run app completely: undeploy (waiting), then its volumes, secrets and config — and nothing that
   * belongs to another stack.
   */
  void removeApp(AppRef app);
}
