package warm.core.sso;

import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.platform.DockerCli;

/**
 * {@link RunLiveness} from the local Swarm: a run is alive while any service carries its stack's namespace label
 * ({@code docker service ls --filter label=com.docker.stack.namespace=<stack> -q} answers something). Both the abra
 * and the plain-Swarm adapters deploy through stacks, so this works for either.
 */
public final class DockerStackLiveness implements RunLiveness {
  private final DockerCli docker;

  /**
   * The check through the configured docker CLI (config key {@code docker}) — over the Engine API's socket when the
   * CLI talks to one ({@link DockerCli#withEngineApi()}).
   *
   * @param docker asks Swarm
   */
  public DockerStackLiveness(DockerCli docker) {
    this.docker = docker;
  }

  @Override
  public boolean isAlive(String stack) {
    if (stack == null || stack.isEmpty()) {
      throw new WarmException(ExitCode.INFRA, "realm carries no stack to check");
    }
    return docker.hasServices(stack);
  }
}
