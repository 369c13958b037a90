package warm.nightly.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.quick.QuickLane;
import warm.quick.QuickLanes;
import warm.quick.cli.Cli;

/**
 * {@code warm recover}: finishes or rolls back whatever killed operation a journal records (DESIGN I5), for one app
 * or for every app under the state root. Runs at boot before anything else (the NixOS module's recover unit).
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = {"Roll back (or finish) interrupted operations recorded in journals: one app with --app, else all.",
        "Exit 0 when nothing was left or everything was recovered, 2 for a bad --app name, 4 when a recovery failed."})
public final class RecoverCommand implements Callable<Integer> {
  @Mixin Cli.Common common;

  @Option(names = "--app", description = "only this app (recipe name of a canonical)")
  String app;

  /** What happened to one app: {@code recovered}, {@code nothing} (no journal) or {@code failed}. */
  record AppOutcome(String app, String outcome, String detail) {}

  @Override
  public Integer call() {
    StateStore store = new StateStore(common.config().stateRoot());
    if (app != null) {
      store.appDir(app); // a name that is no app name (`../x`) is bad input, found before anything runs
    }
    List<String> apps = app != null ? List.of(app) : store.apps().stream()
        .filter(a -> store.read(a, StateFile.JOURNAL).isPresent()).toList();
    List<AppOutcome> outcomes = new ArrayList<>();
    if (!apps.isEmpty()) {
      QuickLane lane = QuickLanes.create(common.config());
      for (String a : apps) {
        try {
          outcomes.add(lane.recoverApp(a).map(what -> new AppOutcome(a, "recovered", what))
              .orElseGet(() -> new AppOutcome(a, "nothing", "nothing to recover")));
        } catch (WarmException e) {
          outcomes.add(new AppOutcome(a, "failed", e.getMessage()));
        }
      }
    }
    List<String> failed = outcomes.stream().filter(o -> o.outcome().equals("failed")).map(AppOutcome::app).toList();
    if (common.json) {
      SnapshotCli.printJson(SnapshotCli.map("apps", outcomes.stream()
          .map(o -> SnapshotCli.map("app", o.app(), "outcome", o.outcome(), "detail", o.detail())).toList(),
          "failed", failed));
    } else if (outcomes.isEmpty()) {
      System.out.println("nothing to recover");
    } else {
      outcomes.forEach(o -> System.out.println(o.app() + ": "
          + (o.outcome().equals("failed") ? "recovery FAILED: " : "") + o.detail()));
    }
    if (!failed.isEmpty()) {
      throw WarmException.infra("recovery failed for " + String.join(", ", failed));
    }
    return ExitCode.OK.code();
  }
}
