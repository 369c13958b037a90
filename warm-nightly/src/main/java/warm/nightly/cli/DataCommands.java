package warm.nightly.cli;

import java.lang.reflect.Field;
import picocli.CommandLine.Model.CommandSpec;
import warm.quick.cli.Cli;
import warm.quick.cli.CodedCommand;
import warm.quick.cli.CodedModel;

/**
 * The snapshot commands' picocli models, built in code: a {@code warm snapshot} or {@code warm restore} then reads no
 * annotation, and the JVM generates none of the annotation proxy classes that JDK 17's AppCDS cannot archive
 * (issue 15). Each model says what its class's annotations say — names, labels, descriptions, defaults, types and
 * fields — which {@code DataCommandsTest} checks against picocli's model of the annotated class, usage text included.
 */
public enum DataCommands implements CodedCommand {
  SNAPSHOT("snapshot", SnapshotCommand.class),
  RESTORE("restore", RestoreCommand.class),
  VERIFY("verify", VerifyCommand.class),
  SNAPSHOTS("snapshots", SnapshotsCommand.class);

  private final String commandName;
  private final Class<?> annotated;

  DataCommands(String commandName, Class<?> annotated) {
    this.commandName = commandName;
    this.annotated = annotated;
  }

  @Override
  public String commandName() {
    return commandName;
  }

  @Override
  public Class<?> annotated() {
    return annotated;
  }

  @Override
  public CommandSpec model() {
    return switch (this) {
      case SNAPSHOT -> snapshot();
      case RESTORE -> restore();
      case VERIFY -> verify();
      case SNAPSHOTS -> snapshots();
    };
  }

  private static CommandSpec snapshot() {
    SnapshotCommand c = new SnapshotCommand();
    CommandSpec spec = CodedModel.command(c, "snapshot",
        "Snapshot volumes and make the snapshot the known-good.",
        "Reflink where the filesystem can, tar otherwise; the known-good is swapped atomically;",
        "older snapshots and leftovers of interrupted runs are removed.",
        "The volumes must not be in use (stop the app first).",
        "Exit codes: 0 done, 2 bad input (nothing changed), 4 failure (the old known-good is intact).");
    c.common = new Cli.Common();
    mixins(spec, c.common, c.target);
    spec.addOption(CodedModel.option(c, field(SnapshotCommand.class, "commit"), "--commit").paramLabel("SHA")
        .description("recipe commit to record in the snapshot's tag").build());
    spec.addOption(CodedModel.option(c, field(SnapshotCommand.class, "version"), "--recipe-version")
        .paramLabel("VERSION").description("recipe version to record in the tag").build());
    return spec;
  }

  private static CommandSpec restore() {
    RestoreCommand c = new RestoreCommand();
    CommandSpec spec = CodedModel.command(c, "restore",
        "Restore the known-good snapshot into the volume directories.",
        "Their contents are replaced (the directories themselves stay), then verified",
        "against the snapshot's manifest. When the volumes' change record is trusted, only",
        "what changed since they last equalled the known-good is put back (delta restore).",
        "The volumes must not be in use (stop the app first).",
        "Exit codes: 0 restored and verified, 2 bad input (nothing changed), 4 restore or verification failed.");
    c.common = new Cli.Common();
    mixins(spec, c.common, c.target);
    spec.addOption(CodedModel.option(c, field(RestoreCommand.class, "verifyContent"), "--verify-content")
        .description("re-scan the restored volumes and compare SHA-256 of every file (reads all data); without it"
            + " a reflink restore is checked from its own copy").build());
    return spec;
  }

  private static CommandSpec verify() {
    VerifyCommand c = new VerifyCommand();
    CommandSpec spec = CodedModel.command(c, "verify",
        "Compare volume directories with the known-good snapshot.",
        "Checks types, sizes, modes, ids, mtimes, link targets, hard links, xattrs",
        "(content with --verify-content). Changes nothing.",
        "Exit codes: 0 identical, 1 differences found, 2 bad input, 4 failure.");
    c.common = new Cli.Common();
    mixins(spec, c.common, c.target);
    spec.addOption(CodedModel.option(c, field(VerifyCommand.class, "verifyContent"), "--verify-content")
        .description("also compare SHA-256 of every file (reads all data)").build());
    return spec;
  }

  private static CommandSpec snapshots() {
    SnapshotsCommand c = new SnapshotsCommand();
    CommandSpec spec = CodedModel.command(c, "snapshots",
        "List the snapshots of a store: id, known-good, method, tag, sizes.",
        "--prune keeps the known-good (and, with --app, every snapshot the app's records name), removes the",
        "other snapshots and leftovers of interrupted runs; without a known-good link it removes no snapshot",
        "(with --app, a lost link is first repaired from canonical.json).",
        "Exit codes: 0 done, 2 bad input or no store there, 4 failure.");
    c.common = new Cli.Common();
    mixins(spec, c.common, c.target);
    spec.addOption(CodedModel.option(c, field(SnapshotsCommand.class, "prune"), "--prune")
        .description("remove snapshots superseded by the known-good, and crash leftovers").build());
    return spec;
  }

  /** The two mixins every snapshot command declares, under the names of their fields (as {@code @Mixin} names them). */
  private static void mixins(CommandSpec spec, Cli.Common common, SnapshotCli.Target target) {
    spec.addMixin("common", CodedModel.common(common));
    spec.addMixin("target", target(target));
  }

  /** {@link SnapshotCli.Target}'s options, and {@link SnapshotCli.VolumeTarget}'s {@code --volume}. */
  private static CommandSpec target(SnapshotCli.Target t) {
    CommandSpec mixin = CommandSpec.create();
    Class<?> type = SnapshotCli.Target.class;
    mixin.addOption(CodedModel.option(t, field(type, "store"), "--store").paramLabel("DIR")
        .description("snapshot store directory (plain-directory mode)").build());
    mixin.addOption(CodedModel.option(t, field(type, "app"), "--app").paramLabel("APP")
        .description("app whose store is <state-root>/<app>/snapshots").build());
    mixin.addOption(CodedModel.option(t, field(type, "stateRoot"), "--state-root").paramLabel("DIR")
        .description("state root (default: from the configuration)").build());
    mixin.addOption(CodedModel.option(t, field(type, "lockWaitSeconds"), "--lock-wait").paramLabel("SECONDS")
        .defaultValue("120")
        .description("wait at most this long for another operation on the store (default: ${DEFAULT-VALUE})")
        .build());
    if (t instanceof SnapshotCli.VolumeTarget v) {
      mixin.addOption(CodedModel.option(v, field(SnapshotCli.VolumeTarget.class, "volumes"), "--volume")
          .paramLabel("NAME=DIR")
          .description("a volume and its directory (repeatable); in --app mode defaults to the app's volumes")
          .build());
    }
    return mixin;
  }

  /** A field of this package's command classes, opened for the binding in {@code warm.quick.cli}. */
  private static Field field(Class<?> type, String name) {
    Field f = CodedModel.field(type, name);
    f.setAccessible(true);
    return f;
  }
}
