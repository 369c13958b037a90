package warm.nightly.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.nightly.canonical.AppSnapshots;
import warm.nightly.canonical.KnownGoods;
import warm.quick.cli.Cli;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;
import warm.snapshot.VolumeMeta;

/** {@code warm snapshot}: snapshot volumes and make the result the store's known-good. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = {"Snapshot volumes and make the snapshot the known-good.",
        "Reflink where the filesystem can, tar otherwise; the known-good is swapped atomically;",
        "older snapshots and leftovers of interrupted runs are removed.",
        "The volumes must not be in use (stop the app first).",
        "Exit codes: 0 done, 2 bad input (nothing changed), 4 failure (the old known-good is intact)."})
public final class SnapshotCommand implements Callable<Integer> {
  @Mixin
  Cli.Common common;

  @Mixin
  SnapshotCli.VolumeTarget target = new SnapshotCli.VolumeTarget();

  @Option(names = "--commit", paramLabel = "SHA", description = "recipe commit to record in the snapshot's tag")
  String commit;

  @Option(names = "--recipe-version", paramLabel = "VERSION", description = "recipe version to record in the tag")
  String version;

  @Override
  public Integer call() {
    SnapshotStore store = target.store(common::config);
    SnapshotTag tag = SnapshotTag.of(commit, version);
    AppSnapshots app = target.appSnapshots(common::config);
    SnapshotMeta meta = app == null
        ? KnownGoods.ofPlainStore(store, target.volumes(common::config), tag, target.quiescence(common::config),
            SnapshotCli.progress())
        : app.snapshot(target.app, store, () -> target.volumes(common::config),
            tag, () -> target.quiescence(common::config), SnapshotCli.progress());
    SnapshotCli.endProgress();
    if (common.json) {
      SnapshotCli.printJson(SnapshotCli.map("id", meta.id(), "method", meta.method().label(), "store",
          store.directory().toString(), "logicalBytes", meta.logicalBytes(), "storeBytes", meta.storeBytes(),
          "volumes", meta.volumes().values().stream().map(v -> SnapshotCli.map("name", v.name(), "entries",
              v.entries(), "logicalBytes", v.logicalBytes(), "allocatedBytes", v.allocatedBytes())).toList()));
    } else {
      System.out.printf(Locale.US, "snapshot %s (%s) is now the known-good of %s%n", meta.id(), meta.method().label(),
          store.directory());
      for (VolumeMeta v : meta.volumes().values()) {
        System.out.printf(Locale.US, "  %-24s %8d entries  %10s logical%n", v.name(), v.entries(),
            SnapshotCli.human(v.logicalBytes()));
      }
      System.out.printf(Locale.US, "  extra disk used by the snapshot: %s%n", SnapshotCli.human(meta.storeBytes()));
    }
    return ExitCode.OK.code();
  }
}
