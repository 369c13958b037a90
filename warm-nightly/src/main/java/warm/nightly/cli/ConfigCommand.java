package warm.nightly.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import warm.core.ExitCode;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.quick.cli.Cli;

/**
 * {@code warm config check}: loads and validates the configuration and prints it with every default filled in, the
 * derived ones (a recipe's domain, abra's and Swarm's directories) as derived.
 */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
    subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand {

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Validate the configuration and print it with all defaults filled in.",
          "Derived defaults (a recipe's domain, abra.abraDir, swarm.recipesDir and appsDir) print as derived.",
          "Exit 0 when valid, 2 with one line naming the field when not."})
  static final class Check implements Callable<Integer> {
    @Mixin
    Cli.Common common;

    @Override
    public Integer call() throws Exception {
      WarmConfig c = common.config();
      System.out.println(ConfigLoader.toEffectiveJson(c, System.getenv()));
      return ExitCode.OK.code();
    }
  }
}
