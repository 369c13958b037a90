package warm.nightly.cli;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.recovery.JournalRecovery;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.quick.cli.Cli;
import warm.quick.cli.RecoverReport;

/**
 * {@code warm recover}: finishes or rolls back whatever killed operation a journal records (DESIGN I5), for one app
 * or for every app under the state root, each by the recovery its journal's kind registered ({@link JournalRecovery}).
 * Runs at boot before anything else (the NixOS module's recover unit).
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = {"Roll back (or finish) interrupted operations recorded in journals: one app with --app, else all.",
        "Exit 0 when nothing was left or everything was recovered, 2 for a bad --app name, 4 when a recovery failed."})
public final class RecoverCommand implements Callable<Integer> {
  @Mixin Cli.Common common;

  @Option(names = "--app", description = "only this app (recipe name of a canonical)")
  String app;

  @Option(names = "--skip-busy", description = "leave an app whose lock a live operation holds (its journal is that "
      + "operation's), instead of waiting for it; the NixOS module's recover unit runs with it")
  boolean skipBusy;

  @Override
  public Integer call() {
    StateStore store = new StateStore(common.config().stateRoot());
    if (app != null) {
      store.appDir(app); // a name that is no app name (`../x`) is bad input, found before anything runs
    }
    List<String> apps = app != null ? List.of(app) : store.apps().stream()
        .filter(a -> store.read(a, StateFile.JOURNAL).isPresent()).toList();
    return RecoverReport.run(common.config(), ServiceLoader.load(JournalRecovery.class), apps, common.json, skipBusy);
  }
}
