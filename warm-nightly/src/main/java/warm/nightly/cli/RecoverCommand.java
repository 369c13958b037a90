package warm.nightly.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
        "Exit 0 when nothing was left or everything was recovered, 4 when a recovery failed."})
public final class RecoverCommand implements Callable<Integer> {
  @Mixin Cli.Common common;

  @Option(names = "--app", description = "only this app (recipe name of a canonical)")
  String app;

  @Override
  public Integer call() {
    StateStore store = new StateStore(common.config().stateRoot());
    List<String> apps = app != null ? List.of(app) : store.apps().stream()
        .filter(a -> store.read(a, StateFile.JOURNAL).isPresent()).toList();
    if (apps.isEmpty()) {
      System.out.println("nothing to recover");
      return 0;
    }
    QuickLane lane = QuickLanes.create(common.config());
    List<String> failed = new ArrayList<>();
    for (String a : apps) {
      try {
        System.out.println(a + ": " + lane.recoverApp(a).orElse("nothing to recover"));
      } catch (WarmException e) {
        System.out.println(a + ": recovery FAILED: " + e.getMessage());
        failed.add(a);
      }
    }
    if (!failed.isEmpty()) {
      throw WarmException.infra("recovery failed for " + String.join(", ", failed));
    }
    return 0;
  }
}
