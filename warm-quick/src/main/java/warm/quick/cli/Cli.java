package warm.quick.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import warm.core.ExitCode;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;

/**
 * What every cc-ci-warm command shares: the {@code --config}/{@code --json}/{@code --verbose} options, loading the
 * configuration, and turning failures into one clear line on stderr plus the exit code of DESIGN §6.
 */
public final class Cli {
  private Cli() {}

  /** {@code --config} and {@code --verbose}, which every command accepts. */
  public static class Base {
    @CommandLine.Option(names = "--config", paramLabel = "FILE",
        description = "configuration file (default: $WARM_CONFIG, then /etc/cc-ci-warm/config.json, then built-in defaults)")
    public Path config;

    @CommandLine.Option(names = {"-v", "--verbose"}, description = "debug logging on stderr")
    public boolean verbose;

    private WarmConfig loaded;

    /** The configuration (loaded once). */
    public WarmConfig config() {
      if (loaded == null) {
        loaded = ConfigLoader.load(config, System.getenv());
      }
      return loaded;
    }
  }

  /** {@link Base} plus {@code --json} (one JSON object on stdout); mixed into each operator command. */
  public static final class Common extends Base {
    @CommandLine.Option(names = "--json", description = "print one JSON object on stdout")
    public boolean json;
  }

  /**
   * Runs a picocli command line and maps what it throws to an exit code with {@link ExitCodes}, the one mapping:
   * picocli parameter errors are usage (2), anything no exception family claims is an infrastructure failure (4).
   */
  public static int execute(Object root, String[] args) {
    return execute(root, List.of(), args);
  }

  /**
   * {@link #execute(Object, String[])} for an entry point whose subcommands (in help order) are given here rather
   * than in its {@code @Command} annotation, so that only the one the arguments name is built (SubcommandChoice).
   */
  public static int execute(Object root, List<Class<?>> subcommands, String[] args) {
    return execute(root, subcommands, List.of(), args);
  }

  /**
   * {@link #execute(Object, List, String[])} where the subcommands in {@code coded} are built from their coded model
   * instead of their annotations, and {@code root} may be a coded {@code CommandSpec}: a line that names one of them
   * (or asks only for the version) then reads no annotation (issue 15).
   */
  public static int execute(Object root, List<Class<?>> subcommands, List<? extends CodedCommand> coded,
      String[] args) {
    boolean verbose = Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
    CommandLine cl = commandLine(root, subcommands, coded, args);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Named classes, not lambdas: picocli's interfaces are pre-Java-6 class files, which the AppCDS dump leaves out
    // of the archive once a lambda proxy made it link them (and with them RunLast and picocli's own handlers): the
    // JVM then opened its module image on the main thread to load them, before every command (issue 15).
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionStrategy(new RunMatched(verbose));
    cl.setExecutionExceptionHandler(new Failures());
    return cl.execute(args);
  }

  /** A command-line error: one line on stderr, a hint, exit code 2. */
  private static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("error: " + usageMessage(ex));
      err.println("try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
      return ExitCode.USAGE.code();
    }
  }

  /**
   * Runs the command the arguments name, once everything in them was matched: picocli prints the help and exits 0
   * when --help is present, even after an unknown command or option ('warm frobnicate --help' showed the top-level
   * help), so what it could not match is rejected first.
   */
  private static final class RunMatched implements CommandLine.IExecutionStrategy {
    private final boolean verbose;

    RunMatched(boolean verbose) {
      this.verbose = verbose;
    }

    @Override
    public int execute(CommandLine.ParseResult parsed) {
      for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
        if (!p.unmatched().isEmpty()) {
          throw new CommandLine.UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
        }
      }
      // Logging is set up only for a command that runs: --version, --help and argument errors log nothing, and
      // starting logback was a sixth of their start-up (issue 15). Nothing logs before this point (no command
      // logs while picocli parses), so every log line still goes where it went.
      if (!helpRequested(parsed)) {
        Logging.configure(verbose, System.getenv());
      }
      return new CommandLine.RunLast().execute(parsed);
    }
  }

  /** A command's failure: one line on stderr (the detail at debug level), the exit code of its exception family. */
  private static final class Failures implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine c, CommandLine.ParseResult parsed) {
      PrintWriter err = c.getErr();
      var known = ExitCodes.known(ex);
      err.println(known.isPresent() ? "error: " + ex.getMessage()
          : "error: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
      logger().debug("failure detail", ex);
      return known.orElse(ExitCode.INFRA).code();
    }
  }

  /** Whether picocli will print a usage or version text instead of running a command. */
  private static boolean helpRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return true;
      }
    }
    return false;
  }

  /** Looked up when used, not in a static field: the lookup alone starts logging (slf4j's provider lookup). */
  private static Logger logger() {
    return LoggerFactory.getLogger("warm.cli");
  }

  /**
   * The command line of {@code root} with the subcommands {@code args} need (all of them for no arguments: what a
   * tool that lists every command wants).
   */
  public static CommandLine commandLine(Object root, List<Class<?>> subcommands, String... args) {
    return commandLine(root, subcommands, List.of(), args);
  }

  /** {@link #commandLine(Object, List, String...)} with the subcommands in {@code coded} built from their model. */
  public static CommandLine commandLine(Object root, List<Class<?>> subcommands, List<? extends CodedCommand> coded,
      String... args) {
    CommandLine cl = new CommandLine(root);
    for (Class<?> c : SubcommandChoice.needed(subcommands, coded, args)) {
      CodedCommand model = SubcommandChoice.codedFor(c, coded);
      if (model == null) {
        cl.addSubcommand(c);
      } else {
        cl.addSubcommand(model.commandName(), model.model());
      }
    }
    return cl;
  }

  /** One line for a command-line error; a word that is not a command of a command that has some is named as such. */
  static String usageMessage(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && !ex.getCommandLine().getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      CommandLine cl = ex.getCommandLine();
      return "unknown command '" + u.getUnmatched().get(0) + "' for '" + cl.getCommandSpec().qualifiedName()
          + "' (commands: " + String.join(", ", cl.getSubcommands().keySet()) + ")";
    }
    String m = String.valueOf(ex.getMessage());
    return m.startsWith("Error: ") ? m.substring("Error: ".length()) : m; // picocli's group errors; we say "error: "
  }

  /**
   * Exits with the code, unless the JVM is already shutting down (SIGTERM): then {@code System.exit} would block
   * forever behind the shutdown hook that waits for this very thread, so just return and let the hook finish.
   */
  public static void exit(int code) {
    try {
      Thread probe = new Thread(() -> { });
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
    } catch (IllegalStateException shuttingDown) {
      return;
    }
    System.exit(code);
  }

}
