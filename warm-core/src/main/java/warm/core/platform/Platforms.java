package warm.core.platform;

import java.io.IOException;
import warm.core.WarmException;
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
    return create(config, runner, docker(config, runner));
  }

  /**
   * The configured docker CLI (config keys {@code docker} and {@code timeouts.commandSeconds}), its reads on the
   * engine's socket when the CLI talks to one: a look at a stack is then five HTTP requests, not five process starts
   * ({@link DockerCli#withEngineApi}). Asks {@code docker context inspect} once.
   */
  public static DockerCli docker(WarmConfig config, ProcessRunner runner) {
    return new DockerCli(runner, config.docker(), config.timeouts().command()).withEngineApi();
  }

  /**
   * The platform the configuration names, reading Swarm through {@code docker} (a caller that also reads the engine
   * itself, as {@code warm platform check} does, asks {@code docker context inspect} once). Checks that Swarm answers.
   */
  public static Platform create(WarmConfig config, ProcessRunner runner, DockerCli docker) {
    try {
      docker.requireSwarm();
    } catch (WarmException e) {
      if (e.getCause() instanceof IOException io) {
        // The runner's "cannot start" line does not say what is missing or which setting to fix.
        throw WarmException.infra("no Docker engine answers: cannot run the docker executable '" + config.docker()
            + "' (config key 'docker'): " + io.getMessage(), e);
      }
      throw e;
    }
    if ("abra".equals(config.platform())) {
      return new AbraPlatform(config.abra(), runner, docker, config.timeouts(), RecipeProbes.of(config));
    }
    var swarm = config.swarm();
    return new SwarmPlatform(
        swarm.recipesDirUnder(config.stateRoot()), swarm.appsDirUnder(config.stateRoot()),
        runner, docker, config.timeouts(), RecipeProbes.of(config));
  }
}
