package warm.nightly.cli;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.nightly.canonical.AppSnapshots;
import warm.quick.cli.Cli;
import warm.snapshot.SnapshotInfo;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/** {@code warm snapshots}: list a store's snapshots (and optionally prune). */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
    description = {"List the snapshots of a store: id, known-good, method, tag, sizes.",
        "--prune keeps the known-good (and, with --app, every snapshot the app's records name), removes the",
        "other snapshots and leftovers of interrupted runs; without a known-good link it removes no snapshot",
        "(with --app, a lost link is first repaired from canonical.json).",
        "Exit codes: 0 done, 2 bad input or no store there, 4 failure."})
public final class SnapshotsCommand implements Callable<Integer> {
  @Mixin
  Cli.Common common;

  @Mixin
  SnapshotCli.Target target = new SnapshotCli.Target();

  @Option(names = "--prune", description = "remove snapshots superseded by the known-good, and crash leftovers")
  boolean prune;

  private List<String> prune(SnapshotStore store) {
    AppSnapshots app = target.appSnapshots(common::config);
    if (app == null) {
      return store.prune(Set.of());
    }
    AppSnapshots.Pruned p = app.prune(target.app, store);
    if (p.repairedTo() != null) {
      System.err.println("repaired the missing known-good link to " + p.repairedTo() + " (canonical.json)");
    }
    return p.removed();
  }

  /** The tag's fields that are set, each followed by two spaces; nothing for one that is not ("commit=null"). */
  static String tag(SnapshotTag tag) {
    StringBuilder b = new StringBuilder();
    if (tag != null && tag.commit() != null) {
      b.append("commit=").append(tag.commit()).append(tag.version() != null ? " " : "  ");
    }
    if (tag != null && tag.version() != null) {
      b.append("version=").append(tag.version()).append("  ");
    }
    return b.toString();
  }

  @Override
  public Integer call() {
    SnapshotStore store = target.store(common::config);
    if (!Files.isDirectory(store.directory())) {
      // As restore, verify and --prune say: a store that is not there is a typo or an app never snapshotted, which
      // an empty listing with exit 0 would hide.
      throw WarmException.usage("no snapshot store at " + store.directory());
    }
    List<String> removed = prune ? prune(store) : List.of();
    List<SnapshotInfo> list = store.list();
    if (common.json) {
      SnapshotCli.printJson(SnapshotCli.map("store", store.directory().toString(), "removed", removed, "snapshots",
          list.stream().map(i -> i.meta() == null ? SnapshotCli.map("id", i.id(), "problems", i.problems())
              : SnapshotCli.map("id", i.id(), "knownGood", i.knownGood(), "method", i.meta().method().label(),
                  "createdAt", i.meta().createdAt(), "tag", i.meta().tag(), "logicalBytes", i.meta().logicalBytes(),
                  "storeBytes", i.meta().storeBytes(), "volumes", i.meta().volumes().keySet())).toList()));
      return ExitCode.OK.code();
    }
    removed.forEach(r -> System.out.println("removed " + r));
    if (list.isEmpty()) {
      System.out.println("no snapshots in " + store.directory());
    }
    for (SnapshotInfo i : list) {
      SnapshotMeta m = i.meta();
      if (m == null) {
        System.out.printf(Locale.US, "%s  unreadable: %s%n", i.id(), i.problems());
        continue;
      }
      System.out.printf(Locale.US, "%s %s  %-7s  %s  %s%s logical, %s on disk  volumes=%s%n",
          i.knownGood() ? "*" : " ", i.id(), m.method().label(), m.createdAt(), tag(m.tag()),
          SnapshotCli.human(m.logicalBytes()), SnapshotCli.human(m.storeBytes()), m.volumes().keySet());
    }
    return ExitCode.OK.code();
  }
}
