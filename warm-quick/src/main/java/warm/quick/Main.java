package warm.quick;

import java.util.List;
import picocli.CommandLine.Command;
import warm.quick.cli.Cli;
import warm.quick.cli.QuickCommands;

/** {@code java -m warm.quick}: the entrypoint the CI runner calls for the {@code --quick} lane. */
@Command(name = "warm.quick", mixinStandardHelpOptions = true, version = "cc-ci-warm 0.1.0",
    description = {"The --quick lane of cc-ci-warm: reattach a recipe's canonical, upgrade it to the PR head,",
        "run the runner's assertions, roll back on failure.", "",
        "Exit codes: 0 pass, 1 test failed (rolled back), 2 usage/config error,",
        "3 no canonical (run cold first), 4 infrastructure failure."})
public final class Main implements Runnable {
  /** The commands, in help order; only the one an argument line names is built (Cli.execute). */
  public static final List<Class<?>> COMMANDS = List.of(QuickCommands.Run.class, QuickCommands.Prepare.class,
      QuickCommands.Finish.class, QuickCommands.Recover.class);

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** picocli instantiates it; so do the tests that enumerate its commands. */
  public Main() {
    // nothing to set up: picocli injects the spec
  }

  public static void main(String[] args) {
    Cli.exit(Cli.execute(new Main(), COMMANDS, args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
