package warm.nightly.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.nightly.canonical.AppSnapshots;
import warm.quick.cli.Cli;
import warm.snapshot.SnapshotStore;
import warm.snapshot.VerifyReport;

/** {@code warm verify}: compare volume directories with the known-good's manifest. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Compare volume directories with the known-good snapshot.",
        "Checks types, sizes, modes, ids, mtimes, link targets, hard links, xattrs",
        "(content with --verify-content). Changes nothing.",
        "Exit codes: 0 identical, 1 differences found, 2 bad input, 4 failure."})
public final class VerifyCommand implements Callable<Integer> {
  @Mixin
  Cli.Common common;

  @Mixin
  SnapshotCli.VolumeTarget target = new SnapshotCli.VolumeTarget();

  @Option(names = "--verify-content", description = "also compare SHA-256 of every file (reads all data)")
  boolean verifyContent;

  @Override
  public Integer call() {
    SnapshotStore store = target.store(common::config);
    AppSnapshots app = target.appSnapshots(common::config);
    VerifyReport r = app == null
        ? store.verify(target.volumes(common::config), verifyContent)
        : app.verify(target.app, store, () -> target.volumes(common::config), verifyContent);
    if (common.json) {
      SnapshotCli.printJson(r);
    } else if (r.identical()) {
      System.out.printf(Locale.US, "identical to snapshot %s (%d entries%s)%n", r.snapshotId(), r.entriesCompared(),
          r.contentCompared() ? ", content included" : "");
    } else {
      System.out.printf(Locale.US, "%d differences from snapshot %s:%n", r.differenceCount(), r.snapshotId());
      r.differences().forEach(d -> System.out.println("  " + d));
      if (r.differenceCount() > r.differences().size()) {
        System.out.printf(Locale.US, "  ... and %d more%n", r.differenceCount() - r.differences().size());
      }
    }
    // differences are a finding, not a failure: exit 1, like a failed test (docs/exit-codes.md)
    return (r.identical() ? ExitCode.OK : ExitCode.TEST_FAILED).code();
  }
}
