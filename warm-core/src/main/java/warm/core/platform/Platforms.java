package warm.core.platform;

import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;

/** Builds the configured {@link Platform} mechanism. */
public final class Platforms {
  private Platforms() {}

  /** The platform the configuration names, on the system process runner. Checks that Swarm answers. */
  public static Platform create(WarmConfig config) {
    return create(config, ProcessRunner.system());
  }

  /** The platform the configuration names, on the given runner. Checks that Swarm answers. */
  public static Platform create(WarmConfig config, ProcessRunner runner) {
    DockerCli docker = new DockerCli(runner, config.docker(), config.timeouts().command());
    docker.requireSwarm();
    if ("abra".equals(config.platform())) {
      return new AbraPlatform(config.abra(), runner, docker, config.timeouts());
    }
    var swarm = config.swarm();
    return new SwarmPlatform(
        swarm.recipesDir() != null ? swarm.recipesDir() : config.stateRoot().resolve("recipes"),
        swarm.appsDir() != null ? swarm.appsDir() : config.stateRoot().resolve("apps"),
        runner, docker, config.timeouts());
  }
}
