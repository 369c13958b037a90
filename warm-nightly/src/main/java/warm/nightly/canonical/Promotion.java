package warm.nightly.canonical;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;
import warm.core.recovery.StepPause;
import warm.core.state.CanonicalRecord;
import warm.core.state.Journal;
import warm.core.state.LastRun;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.quick.Cancellation;
import warm.quick.PlatformQuiescence;
import warm.snapshot.Progress;
import warm.snapshot.SnapshotException;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/**
 * Promotion (DESIGN §1.4, I1): a canonical's known-good advances to a release only through this path. Under the app
 * lock and a journal (kind {@code promote}, one phase per {@link PromotePhase}): the volumes are put at the current
 * known-good first unless they are proven there (I4), the canonical is deployed at the release over them (a real
 * upgrade of its own data), the check command runs, the stack is undeployed (waiting until nothing holds the
 * volumes), they are snapshotted beside the known-good, the known-good link is swapped to the new snapshot,
 * {@code canonical.json} is written (the commit point), and the volumes are marked clean at it. No canonical yet:
 * the same path on fresh volumes is the seed. Any failure goes through {@link PromoteRollback}, as a killed run's
 * recovery does; so does a SIGTERM ({@link #cancel}): it stops the command running at that instant (the quick lane's
 * {@link Cancellation}), no further step starts, and the rollback runs to completion, shielded.
 */
public final class Promotion {
  private static final Logger LOG = LoggerFactory.getLogger(Promotion.class);

  private final WarmConfig config;
  private final Platform platform;
  private final ProcessRunner runner;
  private final Alerts alerts;
  private final StateStore state;
  private final KnownGoods knownGoods;
  private final PromoteRollback rollback;
  private final Cancellation cancellation;

  Promotion(WarmConfig config, Platform platform, ProcessRunner runner, Alerts alerts, Cancellation cancellation) {
    this.cancellation = cancellation;
    this.config = config;
    this.platform = platform;
    this.runner = runner;
    this.alerts = alerts;
    this.state = new StateStore(config.stateRoot());
    this.knownGoods = new KnownGoods(state, Set.of());
    this.rollback = new PromoteRollback(platform, state, knownGoods);
  }

  /**
   * Promotion on the configured platform, alerting through the configured channels; every command it runs goes
   * through its cancellation's guard, so {@link #cancel} can stop them.
   */
  public static Promotion create(WarmConfig config) {
    Cancellation cancellation = new Cancellation();
    ProcessRunner runner = cancellation.guard(ProcessRunner.system());
    return new Promotion(config, Platforms.create(config, runner), runner, Alerts.fromConfig(config, runner),
        cancellation);
  }

  /**
   * A CI cancel or service stop (SIGTERM, from a shutdown hook; never blocks): the command running now is stopped,
   * no further step starts, and the promotion is rolled back as for any failure (a first seed removed) before the
   * promote call returns. After the commit point the promotion is finished instead.
   */
  public void cancel() {
    cancellation.request();
  }

  /**
   * {@code warm promote}: the enrolled recipe's canonical advances to its latest published release after a green
   * cold run on it (the seed when there is no canonical yet).
   *
   * @param commit the commit the cold run deployed ({@code --commit}), if given
   * @param coldResult the cold run's result file ({@code --cold-result}), if given
   * @param check the check command (may be empty): must exit 0 against the upgraded canonical
   * @throws WarmException (exit 2) refused before anything changed: not enrolled, a cold result that is not green
   *     or not on the latest release, a commit that is not the release's
   */
  public PromoteResult promote(String recipe, Optional<String> commit, Optional<Path> coldResult, List<String> check) {
    state.appDir(recipe); // a name that is no app name is bad input, refused before anything is created
    if (config.recipe(recipe).isEmpty()) {
      throw WarmException.usage("recipe " + recipe + " is not enrolled (config 'recipes'): only an enrolled"
          + " recipe has a canonical to promote");
    }
    commit.ifPresent(c -> {
      if (!c.matches("[0-9a-fA-F]{7,40}")) {
        throw WarmException.usage("--commit '" + c.replaceAll("\\p{Cntrl}", "?")
            + "' is not a commit (7-40 hex digits)");
      }
    });
    Optional<ColdResult> cold = coldResult.map(ColdResult::read);
    cold.ifPresent(c -> c.requireGreenColdRunOf(recipe));
    // Resolved before the lock: a refusal (no checkout, no release, a cold run on another one) creates nothing, not
    // even the lock file. The release's tag does not depend on the app's state, which only the lock guards.
    PromoteTarget target = PromoteTarget.latest(platform, runner, config.timeouts().command(), recipe, commit, cold);
    try (LockFile lock = lock(recipe)) {
      return recordLast(run(recipe, target, check));
    }
  }

  /**
   * {@code warm canonical seed}: the first known-good, at any published version; refused (exit 2) when a canonical
   * exists (replacing it is promotion, which only a green cold run on the latest release may do).
   */
  public PromoteResult seed(String recipe, String version, List<String> check) {
    state.appDir(recipe);
    // Refused before the lock, as promote: bad input (an existing canonical, no checkout, an unpublished version)
    // creates nothing, not even the lock file; the canonical is asked again under the lock.
    refuseExistingCanonical(recipe);
    PromoteTarget target = PromoteTarget.published(platform, runner, config.timeouts().command(), recipe, version);
    try (LockFile lock = lock(recipe)) {
      refuseExistingCanonical(recipe);
      return recordLast(run(recipe, target, check));
    }
  }

  private void refuseExistingCanonical(String recipe) {
    if (state.read(recipe, StateFile.CANONICAL).isPresent()) {
      throw WarmException.usage("canonical for " + recipe + " already exists ("
          + state.path(recipe, StateFile.CANONICAL) + "); replacing it is promotion, not seeding");
    }
  }

  /**
   * With the lock held: how this promotion ended, for {@code warm status}, unless a failed first seed removed the
   * whole app directory (nothing may be left of it); a failure to record never changes the result.
   */
  private PromoteResult recordLast(PromoteResult r) {
    if (r.promoted() || Files.isDirectory(state.appDir(r.recipe()))) {
      try {
        state.write(r.recipe(), StateFile.LAST_PROMOTE, new LastRun(r.outcome(), null, r.version(), r.reason(),
            Instant.now()));
      } catch (RuntimeException e) {
        LOG.warn("could not record the outcome of the promotion of {}: {}", r.recipe(), e.getMessage());
      }
    }
    return r;
  }

  /** {@code warm recover}'s entry (the app lock held by the registry): settles a killed promotion, alerts. */
  String recoverJournal(Journal j) {
    try (Cancellation.Shield s = cancellation.shield()) {
      return recoverShielded(j);
    }
  }

  private String recoverShielded(Journal j) {
    String what = rollback.settle(j);
    alerts.raise(Alert.builder("promote-recovered", j.app()).severity(Alert.Severity.WARNING)
        .message("an interrupted promotion was recovered: " + what)
        .attemptedVersion(j.data().get(PromoteRollback.VERSION))
        .recovered(true).build());
    return what;
  }

  private LockFile lock(String recipe) {
    return new AppLocks(config.stateRoot()).acquire(recipe, "promote", config.timeouts().lockWait());
  }

  /** With the lock held: the journalled path, and its rollback on any failure. */
  private PromoteResult run(String recipe, PromoteTarget target, List<String> check) {
    settleLeftover(recipe);
    Optional<CanonicalRecord> canonical = state.read(recipe, StateFile.CANONICAL);
    boolean seed = canonical.isEmpty();
    AppRef app = new AppRef(recipe, canonical.map(CanonicalRecord::domain)
        .orElseGet(() -> config.canonicalDomain(recipe)));
    Path appDir = state.appDir(recipe);
    boolean appDirExisted = Files.exists(appDir);
    SnapshotStore store = SnapshotStore.forApp(config.stateRoot(), recipe); // a symlinked store is refused here
    boolean storeExisted = Files.exists(store.directory());
    String old = null;
    if (!seed) {
      old = store.knownGoodId().orElseThrow(() -> WarmException.infra("canonical " + recipe
          + " has no known-good snapshot in " + store.directory()));
      if (!old.equals(canonical.get().snapshotId())) {
        throw WarmException.infra("canonical.json of " + recipe + " names snapshot " + canonical.get().snapshotId()
            + " but the known-good is " + old + "; refusing to guess");
      }
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put(PromoteRollback.VERSION, target.version());
    data.put(PromoteRollback.COMMIT, target.commit());
    data.put(PromoteRollback.DOMAIN, app.domain());
    data.put(PromoteRollback.SEED, Boolean.toString(seed));
    if (seed) {
      data.put(PromoteRollback.APP_DIR_CREATED, Boolean.toString(!appDirExisted));
      data.put(PromoteRollback.STORE_CREATED, Boolean.toString(!storeExisted));
    } else {
      data.put(PromoteRollback.OLD_SNAPSHOT, old);
    }
    Step step = new Step(Journal.begin(PromoteRollback.OPERATION, "promote-" + Naming.randomHex(), recipe,
        PromotePhase.STARTED.journalName(), data));
    step.write();
    LOG.info("{} {} at {} to {} ({})", seed ? "seeding" : "promoting", recipe, app.domain(), target.version(),
        target.commit());
    SnapshotMeta meta;
    try {
      meta = forward(step, app, store, old, target, check);
    } catch (RuntimeException e) {
      try (Cancellation.Shield s = cancellation.shield()) {
        return failed(step, recipe, seed, target, old, e);
      }
    }
    try (Cancellation.Shield s = cancellation.shield()) { // past the commit point: finish, whatever comes
      try {
        rollback.finish(step.journal);
        return verdict(recipe, seed, target, store, app, old, meta.id());
      } catch (RuntimeException e) {
        return failed(step, recipe, seed, target, old, e);
      }
    }
  }

  /** Everything up to the commit point; returns the new known-good. */
  private SnapshotMeta forward(Step step, AppRef app, SnapshotStore store, String old, PromoteTarget target,
      List<String> check) {
    String recipe = app.recipe();
    CanonicalData data = new CanonicalData(platform, state, store, app);
    if (old != null) {
      if (platform.anythingRunning(app)) {
        platform.undeploy(app);
      } else {
        // A quick PASS only requests its undeploy: what Swarm has not removed yet may hold the volume (I2).
        platform.awaitUndeployed(app);
      }
      Optional<String> drift = data.driftFrom(old);
      if (drift.isPresent()) {
        LOG.info("promotion of {}: restoring the known-good {} first: {}", recipe, old, drift.get());
        step.to(PromotePhase.RESTORING);
        data.restoreKnownGood();
      }
    }
    step.to(PromotePhase.DEPLOYING);
    state.write(recipe, StateFile.VOLUME_STATE, VolumeState.dirty(step.journal.runId()));
    platform.createApp(app);
    platform.generateMissingSecrets(app);
    platform.deploy(app, target.version());
    if (!check.isEmpty()) {
      step.to(PromotePhase.CHECKING);
      ProcessResult r = runner.run(Command.of(check).withTimeout(config.timeouts().test()).withEnv(Map.of(
          "WARM_MODE", "promote", "WARM_DOMAIN", app.domain(), "WARM_STACK", app.stack(), "WARM_RECIPE", recipe,
          "WARM_VERSION", target.version())));
      if (!r.ok()) {
        throw new WarmException(ExitCode.TEST_FAILED, "the check command failed (exit " + r.exitCode() + "): "
            + r.outputTail());
      }
    }
    step.to(PromotePhase.UNDEPLOYING);
    platform.undeploy(app);
    step.to(PromotePhase.SNAPSHOTTING);
    Map<String, Path> vols = data.current();
    if (vols.isEmpty()) {
      throw WarmException.infra("the canonical of " + recipe + " has no volumes to snapshot");
    }
    SnapshotMeta meta;
    try {
      meta = store.snapshot(vols, SnapshotTag.of(target.commit(), target.version()),
          new PlatformQuiescence(platform, app), Progress.none());
    } catch (SnapshotException e) {
      throw WarmException.infra("snapshot of the canonical of " + recipe + " failed: " + e.getMessage(), e);
    }
    step.journal = step.journal.with(PromoteRollback.NEW_SNAPSHOT, meta.id());
    step.to(PromotePhase.SWAPPING);
    knownGoods.ofPromotion(store, meta.id());
    StepPause.reached("promote", "swapped");
    state.write(recipe, StateFile.CANONICAL, new CanonicalRecord(recipe, app.domain(), target.version(),
        target.commit(), Instant.now(), meta.id()));
    step.to(PromotePhase.COMMITTED);
    return meta;
  }

  /** A failure before or at the commit point: settled from the journal (finished when committed), alerted. */
  private PromoteResult failed(Step step, String recipe, boolean seed, PromoteTarget target, String old,
      RuntimeException e) {
    boolean cancelled = cancellation.requested();
    String why = cancelled ? "cancelled (SIGTERM) at phase " + step.journal.phase() + ": " + e.getMessage()
        : e.getMessage();
    ExitCode code = !cancelled && e instanceof WarmException w && w.exitCode() == ExitCode.TEST_FAILED
        ? ExitCode.TEST_FAILED : ExitCode.INFRA;
    LOG.debug("promotion failed", e);
    String what;
    try {
      if (rollback.committed(step.journal)) {
        // canonical.json already names the new known-good: only the tidying failed; finish it
        rollback.finish(step.journal);
        return verdict(recipe, seed, target, SnapshotStore.forApp(config.stateRoot(), recipe),
            new AppRef(recipe, step.journal.data().get(PromoteRollback.DOMAIN)), old,
            step.journal.data().get(PromoteRollback.NEW_SNAPSHOT));
      }
      what = rollback.rollBack(step.journal);
    } catch (RuntimeException r) {
      LOG.debug("rollback failed", r);
      alerts.raise(Alert.builder("promote-rollback-failed", recipe).severity(Alert.Severity.CRITICAL)
          .message((seed ? "seed" : "promotion") + " of " + recipe + " to " + target.version() + " failed (" + why
              + ") and its rollback failed: " + r.getMessage() + "; the journal is kept for 'warm recover'")
          .attemptedVersion(target.version()).recovered(false).build());
      return new PromoteResult(recipe, "failed", seed, target.version(), target.commit(), currentKnownGood(recipe),
          old, false, why + "; rollback FAILED: " + r.getMessage(), ExitCode.INFRA);
    }
    alerts.raise(Alert.builder("promote-failed", recipe).severity(Alert.Severity.ERROR)
        .message((seed ? "seed" : "promotion") + " of " + recipe + " to " + target.version() + " failed: " + why
            + "; " + what)
        .attemptedVersion(target.version()).recovered(true).build());
    return new PromoteResult(recipe, "failed", seed, target.version(), target.commit(), currentKnownGood(recipe),
        old, true, why, code);
  }

  /** The outcome from the disk: promoted only when the record, the known-good and the volumes all say so. */
  private PromoteResult verdict(String recipe, boolean seed, PromoteTarget target, SnapshotStore store, AppRef app,
      String old, String taken) {
    Optional<String> problem = PromoteVerdict.problem(state.read(recipe, StateFile.CANONICAL), store,
        new CanonicalData(platform, state, store, app).current(), target);
    if (problem.isPresent()) {
      alerts.raise(Alert.builder("promote-failed", recipe).severity(Alert.Severity.CRITICAL)
          .message("promotion of " + recipe + " to " + target.version() + " (snapshot " + taken
              + ") is not on disk afterwards: " + problem.get())
          .attemptedVersion(target.version()).recovered(false).build());
      return new PromoteResult(recipe, "failed", seed, target.version(), target.commit(), currentKnownGood(recipe),
          old, false, "not promoted on disk: " + problem.get(), ExitCode.INFRA);
    }
    LOG.info("{} {} at {} ({}): known-good {}", seed ? "seeded" : "promoted", recipe, target.version(),
        target.commit(), taken);
    return new PromoteResult(recipe, "promoted", seed, target.version(), target.commit(), taken, old, false, null,
        ExitCode.OK);
  }

  private String currentKnownGood(String recipe) {
    try {
      return SnapshotStore.forApp(config.stateRoot(), recipe).knownGoodId().orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * A journal left on the app: a killed promotion (its writer dead) is settled first, as {@code warm recover}
   * would; any other operation's journal is refused (exit 4), since only its own module knows how to recover it.
   */
  private void settleLeftover(String recipe) {
    Optional<Journal> left = state.read(recipe, StateFile.JOURNAL);
    if (left.isEmpty()) {
      return;
    }
    Journal j = left.get();
    if (!PromoteRollback.OPERATION.equals(j.operation()) || !j.writerIsDead()) {
      throw WarmException.infra("app " + recipe + " has an interrupted '" + j.operation() + "' operation (run "
          + j.runId() + ", phase " + j.phase() + "); run 'warm recover --app " + recipe + "' first");
    }
    LOG.warn("settling the interrupted promotion {} of {} first (phase {})", j.runId(), recipe, j.phase());
    recoverJournal(j);
  }

  /** The journal, advanced phase by phase: written before the phase acts, then the crash tests' pause point. */
  private final class Step {
    Journal journal;

    Step(Journal journal) {
      this.journal = journal;
    }

    void write() {
      state.write(journal.app(), StateFile.JOURNAL, journal);
      StepPause.reached("promote", journal.phase());
    }

    void to(PromotePhase p) {
      if (p != PromotePhase.COMMITTED && cancellation.stopsForward()) {
        throw WarmException.infra("no further step started (" + p.journalName() + ")");
      }
      journal = journal.withPhase(p.journalName());
      write();
    }
  }
}
