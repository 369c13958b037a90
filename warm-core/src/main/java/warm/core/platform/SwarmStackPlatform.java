package warm.core.platform;

import java.util.List;
import java.util.Optional;
import warm.core.config.Timeouts;
import warm.core.process.ProcessRunner;

/**
 * What both adapters share: however a stack was deployed (abra, or {@code docker stack deploy}), it is one Swarm
 * stack, and what it runs, its health, its labels and its volumes are read from Docker the same way. Kept in one place
 * so the two adapters cannot come to disagree on what "deployed", "unhealthy" or "undeploying" means.
 */
abstract sealed class SwarmStackPlatform implements Platform permits AbraPlatform, SwarmPlatform {
  final ProcessRunner runner;
  final DockerCli docker;
  final StackHealth health;
  final StackReader reader;
  final Timeouts timeouts;
  final RecipeProbes probes;

  SwarmStackPlatform(ProcessRunner runner, DockerCli docker, Timeouts timeouts, RecipeProbes probes) {
    this.runner = runner;
    this.docker = docker;
    this.health = new StackHealth(docker, docker::events);
    this.reader = new StackReader(docker);
    this.timeouts = timeouts;
    this.probes = probes;
  }

  @Override
  public final boolean undeploying(AppRef app) {
    return health.removing(app.stack());
  }

  @Override
  public final void awaitUndeployed(AppRef app) {
    if (health.removing(app.stack())) {
      health.awaitGone(app.stack(), timeouts.undeploy());
    }
  }

  @Override
  public final Optional<DeployedVersion> deployed(AppRef app) {
    return reader.deployed(app);
  }

  @Override
  public final Optional<String> unhealthy(AppRef app) {
    StackHealth.Observation o = health.observe(app.stack());
    return o.healthy() ? Optional.empty() : Optional.of(o.reason());
  }

  @Override
  public final boolean anythingRunning(AppRef app) {
    return health.anything(app.stack());
  }

  @Override
  public final List<String> volumeHolders(String volume) {
    return docker.containersUsing(volume);
  }

  @Override
  public final void recreateVolume(AppRef app, String volume) {
    docker.createStackVolume(volume, app.stack());
  }

  @Override
  public final List<VolumeInfo> volumes(AppRef app) {
    return docker.volumes(app.stack());
  }
}
