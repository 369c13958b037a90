package warm.quick;

import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;
import warm.core.sso.KeycloakRealmManager;

/** Builds the quick lane from the configuration. */
public final class QuickLanes {
  private QuickLanes() {}

  /** The lane; every command it runs goes through its cancellation's guard, so SIGTERM can stop them. */
  public static QuickLane create(WarmConfig config) {
    Cancellation cancellation = new Cancellation();
    ProcessRunner runner = cancellation.guard(ProcessRunner.system());
    Platform platform = Platforms.create(config, runner);
    return new QuickLane(config, platform, Alerts.fromConfig(config, runner),
        realms(config, runner), cancellation);
  }

  static RunRealms realms(WarmConfig config, ProcessRunner runner) {
    return config.keycloak().configured()
        ? new KeycloakRunRealms(KeycloakRealmManager.fromConfig(config, runner)) : RunRealms.none();
  }
}
