package warm.nightly.prune;

import java.nio.file.Path;
import java.time.Clock;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.lock.LockFile;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;
import warm.core.sso.KeycloakRealmManager;
import warm.core.sso.RealmManager;

/** {@code warm prune} composed on the real parts: the configured platform, the docker CLI, the configured Keycloak. */
public final class Pruning {
  private Pruning() {}

  /**
   * Plans and, unless {@code dryRun}, carries out a prune. A real prune holds the state root's prune lock
   * ({@code locks/.prune.lock}) so two never interleave; a dry run changes nothing, not even that.
   *
   * @throws WarmException (infra) when another prune is running or Docker does not answer
   */
  public static PruneReport run(WarmConfig config, boolean dryRun) {
    ProcessRunner runner = ProcessRunner.system();
    Platform platform = Platforms.create(config, runner);
    StackInventory stacks = new DockerStacks(runner, config.docker(), config.timeouts().command());
    Images images = new DockerImages(runner, config.docker(), config.timeouts().command());
    RealmManager realms = config.keycloak().configured() ? KeycloakRealmManager.fromConfig(config, runner) : null;
    PrunePlanner planner = new PrunePlanner(config, platform, stacks, images, realms, Clock.systemUTC());
    if (dryRun) {
      PrunePlan plan = planner.plan();
      return new PruneReport(plan, true, java.util.List.of(), java.util.List.of(), java.util.List.of(), 0);
    }
    Path lockFile = config.stateRoot().resolve("locks").resolve(".prune.lock");
    try (LockFile lock = LockFile.tryLock(lockFile, "prune").orElseThrow(() -> WarmException.infra(
        "another warm prune is running (" + LockFile.holder(lockFile).map(h -> h.describe()).orElse("lock held")
            + "): not starting a second one"))) {
      return new PruneExecutor(config, platform, images, realms, Clock.systemUTC()).execute(planner.plan());
    }
  }
}
