package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import warm.core.ExitCode;
import warm.core.config.WarmConfig;
import warm.core.platform.DockerCli;
import warm.core.platform.DockerEngine;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;
import warm.quick.cli.Cli;

/** {@code warm platform check}: read-only check that the configured platform's Docker engine and Swarm answer. */
@Command(name = "platform", mixinStandardHelpOptions = true, description = "Deployment platform tools.",
    subcommands = {PlatformCommand.Check.class})
public final class PlatformCommand {

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Check that the Docker engine answers and Swarm is active; print the platform and Swarm state.",
          "Changes nothing. Exit 0 when usable, 2 on a configuration error, 4 when Docker or Swarm does not answer."})
  static final class Check implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    Cli.Common common;

    @Override
    public Integer call() throws Exception {
      WarmConfig config = common.config();
      DockerCli docker = Platforms.docker(config, ProcessRunner.system());
      // Platforms.create asks the engine for its Swarm state and fails with exit 4 (one line) when no engine or no Swarm
      // answers.
      Platform platform = Platforms.create(config, ProcessRunner.system(), docker);
      DockerEngine engine = docker.engine();
      ObjectNode out = JSON.createObjectNode();
      out.put("platform", platform.name());
      out.put("docker", config.docker());
      out.put("reads", docker.readsVia());
      out.put("serverVersion", engine.serverVersion());
      ObjectNode s = out.putObject("swarm");
      s.put("state", engine.swarmState());
      s.put("nodeId", engine.nodeId());
      s.put("manager", engine.manager());
      if (common.json) {
        System.out.println(JSON.writeValueAsString(out));
      } else {
        System.out.println("platform: " + platform.name());
        System.out.println("docker:   " + config.docker() + " (engine " + out.path("serverVersion").asText() + ")");
        System.out.println("reads:    " + docker.readsVia());
        System.out.println("swarm:    " + s.path("state").asText() + ", node " + s.path("nodeId").asText()
            + (s.path("manager").asBoolean() ? ", manager" : ", worker"));
      }
      return ExitCode.OK.code();
    }
  }
}
