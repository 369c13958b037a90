package warm.quick;

import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.platform.DockerCli;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;

/** Builds the quick lane and the seed path from the configuration. */
public final class QuickLanes {
  private QuickLanes() {}

  /** The lane; every command it runs goes through its cancellation's guard, so SIGTERM can stop them. */
  public static QuickLane create(WarmConfig config) {
    Cancellation cancellation = new Cancellation();
    ProcessRunner runner = cancellation.guard(ProcessRunner.system());
    Platform platform = Platforms.create(config, runner);
    return new QuickLane(config, platform, docker(config, runner), Alerts.fromConfig(config, runner),
        realms(config, runner), cancellation);
  }

  public static CanonicalSeed seed(WarmConfig config) {
    ProcessRunner runner = ProcessRunner.system();
    return new CanonicalSeed(config, Platforms.create(config, runner), docker(config, runner), runner);
  }

  /** Docker-proven quiescence of an app's volumes (DESIGN I2), for the snapshot commands' app mode. */
  public static warm.snapshot.QuiescenceCheck quiescence(WarmConfig config, Platform platform,
      warm.core.platform.AppRef app) {
    return new DockerQuiescence(platform, docker(config, ProcessRunner.system()), app);
  }

  static DockerCli docker(WarmConfig config, ProcessRunner runner) {
    return new DockerCli(runner, config.docker(), config.timeouts().command());
  }

  static RunRealms realms(WarmConfig config, ProcessRunner runner) {
    return config.keycloak().configured()
        ? new KeycloakRunRealms(warm.core.sso.KeycloakRealmManager.fromConfig(config, runner)) : RunRealms.none();
  }
}
