package warm.nightly.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.nightly.canonical.AppSnapshots;
import warm.quick.cli.Cli;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotStore;
import warm.snapshot.VerifyReport;

/** {@code warm restore}: replace the volumes' contents with the known-good and verify. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore the known-good snapshot into the volume directories.",
        "Their contents are replaced (the directories themselves stay), then verified",
        "against the snapshot's manifest. When the volumes' change record is trusted, only",
        "what changed since they last equalled the known-good is put back (delta restore).",
        "The volumes must not be in use (stop the app first).",
        "Exit codes: 0 restored and verified, 2 bad input (nothing changed), 4 restore or verification failed."})
public final class RestoreCommand implements Callable<Integer> {
  @Mixin
  Cli.Common common;

  @Mixin
  SnapshotCli.VolumeTarget target = new SnapshotCli.VolumeTarget();

  @Option(names = "--verify-content", description = "re-scan the restored volumes and compare SHA-256 of every"
      + " file (reads all data); without it a reflink restore is checked from its own copy")
  boolean verifyContent;

  @Override
  public Integer call() {
    SnapshotStore store = target.store(common::config);
    AppSnapshots app = target.appSnapshots(common::config);
    VerifyReport r = app == null
        ? store.restore(target.volumes(common::config), target.quiescence(common::config), verifyContent,
            SnapshotCli.progress())
        : app.restore(target.app, store, () -> target.volumes(common::config),
            () -> target.quiescence(common::config), verifyContent, SnapshotCli.progress());
    SnapshotCli.endProgress();
    RestoreOutcome o = r.restore();
    if (common.json) {
      SnapshotCli.printJson(SnapshotCli.map("restored", r.snapshotId(), "entriesVerified", r.entriesCompared(),
          "contentVerified", r.contentCompared(), "restore", o));
    } else {
      System.out.printf(Locale.US, "restored snapshot %s (%s%s, %d entries touched); %d entries verified%s%n",
          r.snapshotId(), o.kind(), o.fullReason() == null ? "" : ": " + o.fullReason(), o.entriesTouched(), r.entriesCompared(),
          r.contentCompared() ? " (content included)" : "");
    }
    return ExitCode.OK.code();
  }
}
