package warm.quick;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import warm.quick.cli.Cli;
import warm.quick.cli.QuickCommands;

/** {@code java -m warm.quick} ({@code bin/warm-quick}): the entrypoint the CI runner calls for the {@code --quick} lane. */
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
  CommandSpec spec;

  /** picocli instantiates it; so do the tests that enumerate its commands. */
  public Main() {
    // nothing to set up: picocli injects the spec
  }

  /**
   * The system property through which a launcher tells the JVM the name it was invoked as ({@code bin/warm-quick}
   * sets it to {@code warm-quick}), so that usage and error hints name what the operator typed; without it
   * ({@code java -m warm.quick}) the module's name.
   */
  public static final String PROGRAM_PROPERTY = "warm.program";

  public static void main(String[] args) {
    Cli.exit(Cli.execute(root(System.getProperty(PROGRAM_PROPERTY)), COMMANDS, args));
  }

  /** The root command, named {@code program} when it is given, else as its annotation says ({@code warm.quick}). */
  public static CommandSpec root(String program) {
    CommandSpec spec = CommandSpec.forAnnotatedObject(new Main());
    if (program != null && !program.isBlank()) {
      spec.name(program);
    }
    return spec;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
