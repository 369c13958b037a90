package warm.core.sso;

import java.time.Duration;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * {@link RunLiveness} from the local Swarm: a run is alive while any service carries its stack's namespace label
 * ({@code docker service ls --filter label=com.docker.stack.namespace=<stack> -q} answers something). Both the abra
 * and the plain-Swarm adapters deploy through stacks, so this works for either.
 */
public final class DockerStackLiveness implements RunLiveness {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final ProcessRunner runner;
  private final String docker;

  /**
   * The production check with the {@code docker} on {@code PATH}.
   *
   * @param runner runs {@code docker}
   */
  public DockerStackLiveness(ProcessRunner runner) {
    this(runner, "docker");
  }

  DockerStackLiveness(ProcessRunner runner, String docker) {
    this.runner = runner;
    this.docker = docker;
  }

  @Override
  public boolean isAlive(String stack) {
    if (stack == null || stack.isEmpty()) {
      throw new WarmException(ExitCode.INFRA, "realm carries no stack to check");
    }
    ProcessResult r = runner.run(Command.of(docker, "service", "ls", "--filter",
        "label=com.docker.stack.namespace=" + stack, "-q").withTimeout(TIMEOUT));
    r.requireSuccess();
    return !r.stdout().isBlank();
  }
}
