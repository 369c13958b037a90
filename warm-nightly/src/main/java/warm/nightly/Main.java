package warm.nightly;

import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import warm.nightly.cli.AlertsCommand;
import warm.nightly.cli.CanonicalCommand;
import warm.nightly.cli.ColdCommand;
import warm.nightly.cli.ConfigCommand;
import warm.nightly.cli.DataCommands;
import warm.nightly.cli.DemoCommand;
import warm.nightly.cli.GateCommand;
import warm.nightly.cli.PlatformCommand;
import warm.nightly.cli.NightlyCommand;
import warm.nightly.cli.PromoteCommand;
import warm.nightly.cli.PruneCommand;
import warm.nightly.cli.ReconcileCommand;
import warm.nightly.cli.RecoverCommand;
import warm.nightly.cli.RestoreCommand;
import warm.nightly.cli.SelftestCommand;
import warm.nightly.cli.SnapshotCommand;
import warm.nightly.cli.SnapshotsCommand;
import warm.nightly.cli.SsoCommand;
import warm.nightly.cli.StatusCommand;
import warm.nightly.cli.VerifyCommand;
import warm.quick.cli.Cli;
import warm.quick.cli.CodedModel;
import warm.snapshot.NativeWarmUp;

/** {@code bin/warm}: the operator CLI of cc-ci-warm. */
@Command(name = "warm", mixinStandardHelpOptions = true, version = "cc-ci-warm 0.1.0",
    description = {"cc-ci-warm: the warm-data layer of cc-ci.", "",
        "Exit codes: 0 success, 1 test failed (rolled back), 2 usage/config error,",
        "3 no canonical / held, 4 infrastructure failure, 5 skipped: the app or the nightly is busy."})
public final class Main implements Runnable {
  /** The commands, in help order; only the one an argument line names is built (Cli.execute). */
  public static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, SelftestCommand.class,
      ConfigCommand.class, AlertsCommand.class, GateCommand.class, SnapshotCommand.class, RestoreCommand.class,
      VerifyCommand.class, SnapshotsCommand.class, CanonicalCommand.class, PromoteCommand.class, ColdCommand.class,
      NightlyCommand.class, SsoCommand.class, PlatformCommand.class, ReconcileCommand.class, RecoverCommand.class,
      StatusCommand.class, PruneCommand.class);

  /** The commands whose model is built in code (DataCommands): naming one of them reads no annotation. */
  public static final List<DataCommands> CODED = List.of(DataCommands.values());

  @picocli.CommandLine.Spec
  CommandSpec spec;

  /** The commands that bind libc (the snapshot store's native calls) for sure, whatever their options. */
  private static final Set<String> NATIVE_COMMANDS = Set.of("snapshot", "restore", "verify");

  public static void main(String[] args) {
    if (args.length > 0 && NATIVE_COMMANDS.contains(args[0]) && !asksForText(args)) {
      NativeWarmUp.start(); // JNA's set-up overlaps the parsing below (issue 15, row 3)
    }
    Cli.exit(execute(args));
  }

  /** Runs one argument line as {@code bin/warm} does and returns its exit code. */
  public static int execute(String... args) {
    return Cli.execute(new Main().model(), COMMANDS, CODED, args);
  }

  /**
   * This command's model, built in code as its annotation describes it (CodedModelsTest compares the two): a line
   * that asks for the version or names a coded command then reads no annotation (issue 15).
   */
  public CommandSpec model() {
    spec = CodedModel.command(this, "warm", "cc-ci-warm: the warm-data layer of cc-ci.", "",
        "Exit codes: 0 success, 1 test failed (rolled back), 2 usage/config error,",
        "3 no canonical / held, 4 infrastructure failure, 5 skipped: the app or the nightly is busy.")
        .version("cc-ci-warm 0.1.0");
    return spec;
  }

  /** A usage or version text, which binds nothing. */
  private static boolean asksForText(String[] args) {
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
