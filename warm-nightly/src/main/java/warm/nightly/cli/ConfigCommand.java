package warm.nightly.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import warm.core.ExitCode;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.quick.cli.Cli;

/** {@code warm config check}: loads and validates the configuration and prints it with every default filled in. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
    subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand {

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Validate the configuration and print it with all defaults filled in.",
          "Exit 0 when valid, 2 with one line naming the field when not."})
  static final class Check implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @Override
    public Integer call() throws Exception {
      WarmConfig c = common.config();
      System.out.println(ConfigLoader.toJson(c));
      return ExitCode.OK.code();
    }
  }
}
