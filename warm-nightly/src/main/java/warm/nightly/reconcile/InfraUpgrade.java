package warm.nightly.reconcile;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.config.InfraApp;
import warm.core.config.Timeouts;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.recovery.StepPause;
import warm.core.state.Journal;
import warm.core.state.LastGood;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.nightly.canonical.KnownGoods;
import warm.quick.Cancellation;
import warm.quick.PlatformQuiescence;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/**
 * The journaled upgrade of one infra app and its rollback (WC1.1, I5): record last-good := current; for a stateful
 * app undeploy, wait until nothing holds the volumes and snapshot them (the pre-upgrade known-good, the reconciler's
 * one sanctioned I1 write); deploy the target; health = Swarm converged and healthy and the {@code healthUrl}
 * answering 2xx. Healthy → last-good := target. Otherwise undeploy, restore the snapshot, redeploy last-good, wait
 * healthy, alert. The journal names the phase reached, so a killed run is finished by {@link #recover}.
 */
final class InfraUpgrade {
  private static final Logger LOG = LoggerFactory.getLogger(InfraUpgrade.class);

  static final String OPERATION = "reconcile";
  // Journal phases, in order. A crash before DEPLOYING_LATEST left the data as it was; from it on, the target may
  // have touched (migrated) the data, so a rollback restores the snapshot.
  static final String PLANNED = "planned";
  static final String LAST_GOOD_RECORDED = "last-good-recorded";
  static final String UNDEPLOYED = "undeployed";
  static final String SNAPSHOTTED = "snapshotted";
  static final String DEPLOYING_LATEST = "deploying-latest";
  static final String HEALTH_WAIT = "health-wait";
  static final String ROLLING_BACK = "rolling-back";
  static final String COMMITTED = "committed";
  /** The phase of a first deploy (or a heal): nothing to roll back, the next reconcile deploys again. */
  static final String DEPLOYING_MISSING = "deploying-missing";

  static final String FROM = "from";
  static final String TO = "to";
  static final String SNAPSHOT = "snapshotId";

  private final Platform platform;
  private final StateStore state;
  private final Alerts alerts;
  private final KnownGoods knownGoods;
  private final HealthUrl probe;
  private final Timeouts timeouts;
  private final Cancellation cancellation;

  InfraUpgrade(Platform platform, StateStore state, Alerts alerts, KnownGoods knownGoods, HealthUrl probe,
      Timeouts timeouts, Cancellation cancellation) {
    this.cancellation = cancellation;
    this.platform = platform;
    this.state = state;
    this.alerts = alerts;
    this.knownGoods = knownGoods;
    this.probe = probe;
    this.timeouts = timeouts;
  }

  /** How an upgrade ended. */
  record Ended(ReconcileOutcome outcome, String running, String snapshotId, String reason, String alertId) {}

  static AppRef ref(InfraApp app) {
    return new AppRef(app.recipe(), app.domain());
  }

  /** Deploys {@code version} and waits for Swarm health and the health URL; throws with the reason otherwise. */
  void deployHealthy(InfraApp app, String version, Trace trace) {
    AppRef ref = ref(app);
    trace.timed("deploy", () -> platform.deploy(ref, version));
    requireHealthUrl(app, trace);
  }

  /**
   * Waits for the app's health URL once Swarm called the deploy converged and healthy, for
   * {@code timeouts.healthUrlSeconds}: the app already passed its container healthcheck, so this bound covers the
   * route to it, not a second boot (a fresh {@code healthSeconds} kept a 503 upgrade's SSO down for twice as long).
   */
  void requireHealthUrl(InfraApp app, Trace trace) {
    Optional<String> url = app.resolvedHealthUrl();
    if (url.isPresent()) {
      Optional<String> bad = trace.timed("health", () -> probe.await(URI.create(url.get()), timeouts.healthUrl(),
          cancellation::stopsForward));
      if (bad.isPresent()) {
        throw WarmException.infra("health URL: " + bad.get());
      }
    }
  }

  /** Upgrades {@code app} from {@code from} to {@code to}; never throws for a failure it could roll back. */
  Ended upgrade(InfraApp app, String from, String to, Trace trace) {
    AppRef ref = ref(app);
    String name = app.name();
    Map<String, String> data = new LinkedHashMap<>();
    data.put(FROM, from);
    data.put(TO, to);
    data.put("stateful", Boolean.toString(app.stateful()));
    Journal j = Journal.begin(OPERATION, "reconcile-" + UUID.randomUUID().toString().substring(0, 8), name, PLANNED,
        data);
    state.write(name, StateFile.JOURNAL, j);
    state.write(name, StateFile.LAST_GOOD, LastGood.now(from));
    j = advance(j, LAST_GOOD_RECORDED);
    trace.step("last-good := " + from);
    StepPause.reached("reconcile", LAST_GOOD_RECORDED);
    String snapshotId = null;
    try {
      if (app.stateful()) {
        trace.timed("undeploy", () -> platform.undeploy(ref));
        j = advance(j, UNDEPLOYED);
        trace.step("undeployed " + from + " for the pre-upgrade snapshot");
        StepPause.reached("reconcile", UNDEPLOYED);
        SnapshotMeta meta = trace.timed("snapshot", () -> snapshot(app, ref, from));
        snapshotId = meta.id();
        j = advance(j.with(SNAPSHOT, snapshotId), SNAPSHOTTED);
        trace.step("snapshot " + snapshotId + " of " + meta.volumes().keySet() + " (" + meta.method() + ")");
        StepPause.reached("reconcile", SNAPSHOTTED);
      }
      stopIfCancelled(j);
    } catch (RuntimeException e) {
      // The target never ran: the data is as it was. Put the app back on its version.
      return rollBack(app, j, "the pre-upgrade snapshot failed: " + e.getMessage(), false, trace);
    }
    j = advance(j, DEPLOYING_LATEST);
    try {
      stopIfCancelled(j);
      trace.step("deploying " + to);
      trace.timed("deploy", () -> platform.deploy(ref, to));
      StepPause.reached("reconcile", "latest-deployed");
      j = advance(j, HEALTH_WAIT);
      StepPause.reached("reconcile", HEALTH_WAIT);
      stopIfCancelled(j);
      requireHealthUrl(app, trace);
      // The last point to stop: a SIGTERM that came during the health wait still rolls back.
      stopIfCancelled(j);
    } catch (RuntimeException e) {
      return rollBack(app, j, "the upgrade to " + to + " failed: " + e.getMessage(), snapshotId != null, trace);
    }
    j = advance(j, COMMITTED);
    state.write(name, StateFile.LAST_GOOD, LastGood.now(to));
    state.delete(name, StateFile.JOURNAL);
    trace.step("healthy at " + to + "; last-good := " + to);
    return new Ended(ReconcileOutcome.APPLIED, to, snapshotId, null, null);
  }

  /**
   * Puts the app back at the journal's {@code from} version: undeploy, restore the pre-upgrade snapshot when the
   * target may have touched the data, deploy, wait healthy. The journal stays when this fails, so {@code warm recover}
   * tries again.
   */
  Ended rollBack(InfraApp app, Journal journal, String reason, boolean restore, Trace trace) {
    // A SIGTERM stops forward steps only: the rollback's own commands run to completion (KillMode=mixed gives the
    // JVM alone the signal, and TimeoutStopSec the time).
    try (Cancellation.Shield s = cancellation.shield()) {
      return rollBackShielded(app, journal, reason, restore, trace);
    }
  }

  private Ended rollBackShielded(InfraApp app, Journal journal, String reason, boolean restore, Trace trace) {
    String name = app.name();
    String from = journal.data().get(FROM);
    String to = journal.data().get(TO);
    String snapshotId = journal.data().get(SNAPSHOT);
    LOG.error("{}: {}; rolling back to {}", name, reason, from);
    Journal j = advance(journal, ROLLING_BACK);
    trace.step("rolling back to " + from + ": " + reason);
    try {
      StepPause.reached("reconcile", ROLLING_BACK);
      trace.timed("rollback", () -> {
        AppRef ref = ref(app);
        platform.undeploy(ref);
        if (restore && snapshotId != null) {
          RestoreOutcome o = restoreSnapshot(app, ref, snapshotId);
          trace.step("restored snapshot " + snapshotId + " (" + o.kind()
              + (o.fullReason() == null ? "" : ": " + o.fullReason()) + ", " + o.entriesTouched()
              + " entries touched)");
        }
        deployHealthy(app, from, trace);
      });
    } catch (RuntimeException e) {
      Alert alert = Alert.builder("rollback-failed", name).severity(Alert.Severity.CRITICAL)
          .message(name + ": the upgrade from " + from + " to " + to + " failed (" + reason
              + ") and so did the rollback: " + e.getMessage() + ". The journal is kept: run 'warm recover'.")
          .attemptedVersion(to).lastGoodVersion(from).recovered(false).build();
      alerts.raise(alert);
      trace.step("rollback FAILED: " + e.getMessage());
      return new Ended(ReconcileOutcome.ROLLBACK_FAILED, null, snapshotId, reason + "; rollback failed: "
          + e.getMessage(), alert.id());
    }
    state.write(name, StateFile.LAST_GOOD, LastGood.now(from));
    state.delete(name, StateFile.JOURNAL);
    Alert alert = Alert.builder("upgrade-rolled-back", name).severity(Alert.Severity.ERROR)
        .message(name + " rolled back from " + to + " to " + from + (restore && snapshotId != null
            ? " with its pre-upgrade data (snapshot " + snapshotId + ")" : "") + ": " + reason)
        .attemptedVersion(to).lastGoodVersion(from).recovered(true).build();
    alerts.raise(alert);
    trace.step("healthy again at " + from);
    return new Ended(ReconcileOutcome.ROLLED_BACK, from, snapshotId, reason, alert.id());
  }

  /**
   * Finishes what a killed reconcile left (called with the app lock held): a committed upgrade is committed, an
   * interrupted first deploy is forgotten (the next reconcile deploys again), anything else is rolled back to the
   * journal's {@code from} — with the data restored when the target may have run.
   */
  String recover(InfraApp app, Journal j, Trace trace) {
    String name = app.name();
    String phase = j.phase();
    String from = j.data().get(FROM);
    String to = j.data().get(TO);
    LOG.warn("{}: recovering interrupted reconcile {} (phase {}, {} -> {})", name, j.runId(), phase, from, to);
    if (DEPLOYING_MISSING.equals(phase)) {
      state.delete(name, StateFile.JOURNAL);
      return "cleared the interrupted deploy of " + to + " (the next reconcile deploys again)";
    }
    if (from == null || to == null) {
      throw WarmException.infra("reconcile journal of " + name + " names no from/to version: " + j.data());
    }
    if (COMMITTED.equals(phase)) {
      state.write(name, StateFile.LAST_GOOD, LastGood.now(to));
      state.delete(name, StateFile.JOURNAL);
      return "finished the upgrade of " + name + " to " + to;
    }
    if (PLANNED.equals(phase) || LAST_GOOD_RECORDED.equals(phase)) {
      AppRef ref = ref(app);
      boolean untouched = platform.deployed(ref).filter(d -> from.equals(d.version())).isPresent()
          && platform.unhealthy(ref).isEmpty();
      if (untouched) {
        state.write(name, StateFile.LAST_GOOD, LastGood.now(from));
        state.delete(name, StateFile.JOURNAL);
        return "cleared the reconcile of " + name + " interrupted before it changed anything (running " + from + ")";
      }
    }
    boolean targetMayHaveRun = !(PLANNED.equals(phase) || LAST_GOOD_RECORDED.equals(phase)
        || UNDEPLOYED.equals(phase) || SNAPSHOTTED.equals(phase));
    Ended e = rollBack(app, j, "the reconcile was interrupted in phase " + phase, targetMayHaveRun, trace);
    if (e.outcome() != ReconcileOutcome.ROLLED_BACK) {
      throw WarmException.infra(name + ": " + e.reason());
    }
    return "rolled " + name + " back to " + from + " from phase " + phase
        + (targetMayHaveRun && e.snapshotId() != null ? " (snapshot " + e.snapshotId() + " restored)" : "");
  }

  /** A SIGTERM arrived: no further forward step (the caller's catch rolls back). */
  private void stopIfCancelled(Journal j) {
    if (cancellation.stopsForward()) {
      throw WarmException.infra("cancelled (SIGTERM) at phase " + j.phase());
    }
  }

  private Journal advance(Journal j, String phase) {
    Journal next = j.withPhase(phase);
    state.write(j.app(), StateFile.JOURNAL, next);
    return next;
  }

  private SnapshotMeta snapshot(InfraApp app, AppRef ref, String version) {
    Map<String, Path> vols = new LinkedHashMap<>();
    for (VolumeInfo v : platform.volumes(ref)) {
      vols.put(v.name(), v.mountpoint());
    }
    if (vols.isEmpty()) {
      throw WarmException.infra("stateful infra app " + app.name() + " has no volumes to snapshot (stack "
          + ref.stack() + ")");
    }
    return knownGoods.ofInfraApp(app.name(), store(app), vols, SnapshotTag.of(null, version),
        new PlatformQuiescence(platform, ref));
  }

  private RestoreOutcome restoreSnapshot(InfraApp app, AppRef ref, String snapshotId) {
    SnapshotStore store = store(app);
    String kg = store.knownGoodId().orElseThrow(() -> WarmException.infra("no known-good snapshot of "
        + app.name() + " to restore"));
    if (!kg.equals(snapshotId)) {
      throw WarmException.infra("the known-good of " + app.name() + " is " + kg + ", not the pre-upgrade snapshot "
          + snapshotId + " the journal names; not restoring");
    }
    SnapshotMeta meta = store.meta(snapshotId);
    Map<String, Path> vols = new LinkedHashMap<>();
    for (String volume : meta.volumes().keySet()) {
      Optional<VolumeInfo> v = find(ref, volume);
      if (v.isEmpty()) {
        // The failed target removed it (or someone did): an empty one is restored into.
        platform.recreateVolume(ref, volume);
        v = find(ref, volume);
      }
      vols.put(volume, v.orElseThrow(() -> WarmException.infra("volume " + volume + " cannot be recreated"))
          .mountpoint());
    }
    return store.restore(vols, new PlatformQuiescence(platform, ref), true, warm.snapshot.Progress.none()).restore();
  }

  private Optional<VolumeInfo> find(AppRef ref, String volume) {
    return platform.volumes(ref).stream().filter(v -> v.name().equals(volume)).findFirst();
  }

  SnapshotStore store(InfraApp app) {
    return SnapshotStore.forApp(state.root(), app.name());
  }
}
