package warm.nightly.reconcile;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.lock.LockHolder;
import warm.core.platform.AppRef;
import warm.core.platform.DeployedVersion;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.ProcessRunner;
import warm.core.state.Journal;
import warm.core.state.LastGood;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.gate.GateDecision;
import warm.gate.GatePolicy;
import warm.gate.PublishedVersions;
import warm.gate.RecipeVersion;
import warm.nightly.canonical.KnownGoods;
import warm.nightly.gate.PlatformGate;
import warm.quick.Cancellation;

/**
 * The infra reconciler (WC1, WC1.1, WC1.2; DESIGN §1.5): each live-warm infra app floats to its recipe's latest
 * release, gated before (a major bump or a note that asks for a manual step holds, with one alert per target) and
 * after (Swarm health and the app's {@code healthUrl}; a failed or unhealthy upgrade rolls back, with the pre-upgrade
 * data for a stateful app). It only ever tries the app's lock: it runs inside {@code nixos-rebuild switch}, so a busy
 * app is skipped at once and said so (I7). A not-deployed app is deployed (last-good, else latest); an unhealthy one
 * is redeployed at its version.
 */
public final class InfraReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(InfraReconciler.class);
  /** How long a running app may take to answer its health URL before the reconciler calls it unhealthy. */
  private static final Duration HEAL_PROBE = Duration.ofSeconds(20);

  private final WarmConfig config;
  private final Platform platform;
  private final StateStore state;
  private final AppLocks locks;
  private final Alerts alerts;
  private final InfraHolds holds;
  private final InfraUpgrade upgrade;
  private final HealthUrl probe;

  private final Cancellation cancellation;

  InfraReconciler(WarmConfig config, Platform platform, Alerts alerts) {
    this(config, platform, alerts, new Cancellation());
  }

  InfraReconciler(WarmConfig config, Platform platform, Alerts alerts, Cancellation cancellation) {
    this.cancellation = cancellation;
    this.config = config;
    this.platform = platform;
    this.state = new StateStore(config.stateRoot());
    this.locks = new AppLocks(config.stateRoot());
    this.alerts = alerts;
    this.holds = new InfraHolds(state, alerts);
    this.probe = new HealthUrl();
    Set<String> infraNames = config.infra().stream().map(InfraApp::name).collect(Collectors.toSet());
    this.upgrade = new InfraUpgrade(platform, state, alerts, new KnownGoods(state, infraNames), probe,
        config.timeouts(), cancellation);
  }

  /**
   * The reconciler on the configured platform, alerting through the configured channels. Its commands run through
   * its cancellation's guard, so {@link #cancel} can stop them.
   */
  public static InfraReconciler create(WarmConfig config) {
    Cancellation cancellation = new Cancellation();
    ProcessRunner runner = cancellation.guard(ProcessRunner.system());
    return new InfraReconciler(config, Platforms.create(config, runner), Alerts.fromConfig(config, runner),
        cancellation);
  }

  /**
   * A service stop or CI cancel (SIGTERM, from a shutdown hook; never blocks): the command running now is stopped, no
   * forward step starts, and an upgrade in flight rolls back to last-good, its own commands shielded (as promotion).
   */
  public void cancel() {
    cancellation.request();
  }

  /**
   * The configured infra app of that name.
   *
   * @throws WarmException (usage) naming the configured apps when there is none
   */
  public InfraApp app(String name) {
    return config.infra().stream().filter(a -> a.name().equals(name)).findFirst()
        .orElseThrow(() -> WarmException.usage("'" + name + "' is not a configured infra app (configured: "
            + (config.infra().isEmpty() ? "none" : config.infra().stream().map(InfraApp::name)
                .collect(Collectors.joining(", "))) + ")"));
  }

  /** Reconciles every configured infra app, in configuration order (an empty list when none is configured). */
  public List<ReconcileResult> reconcileAll(boolean dryRun) {
    List<ReconcileResult> out = new ArrayList<>();
    for (InfraApp a : config.infra()) {
      out.add(reconcile(a.name(), dryRun));
    }
    return out;
  }

  /**
   * Reconciles one infra app; {@code dryRun} plans without the lock and changes nothing (no deploy, no state, no
   * alert).
   *
   * @throws WarmException (usage) when the app is not configured
   */
  public ReconcileResult reconcile(String name, boolean dryRun) {
    InfraApp app = app(name);
    Trace trace = new Trace(name);
    if (dryRun) {
      return new Run(app, trace, true).execute();
    }
    Optional<LockFile> lock = locks.tryAcquire(name, InfraUpgrade.OPERATION);
    if (lock.isEmpty()) {
      String holder = locks.holder(name).map(LockHolder::describe).orElse("another process");
      LOG.warn("{}: skipped: its lock is held by {} (the reconciler never waits)", name, holder);
      trace.step("skipped: the app's lock is held by " + holder);
      return new ReconcileResult(name, app.recipe(), ReconcileOutcome.SKIPPED, false, null, null, null,
          lastGood(name), null, null, "the app's lock is held by " + holder, null, trace.steps(), trace.timings());
    }
    try (LockFile held = lock.get()) {
      alerts.deliverPending();
      ReconcileResult r = new Run(app, trace, false).execute();
      record(r, app.domain());
      return r;
    }
  }

  /** Finishes a killed reconcile's journal (the recovery registry's entry; the caller holds the app lock). */
  String recover(Journal j) {
    return upgrade.recover(app(j.app()), j, new Trace(j.app()));
  }

  private void record(ReconcileResult r, String domain) {
    try {
      state.write(r.app(), StateFile.RECONCILE, new ReconcileRecord(r.outcome().label(), r.from(), r.to(), r.running(),
          r.reason(), Instant.now(), r.timings().getOrDefault("total", 0L), domain));
    } catch (RuntimeException e) {
      LOG.warn("{}: could not record the reconcile outcome: {}", r.app(), e.getMessage());
    }
  }

  private String lastGood(String app) {
    return state.read(app, StateFile.LAST_GOOD).map(LastGood::version).orElse(null);
  }

  /** One reconcile of one app: the decisions in order, each a step of the trace. */
  private final class Run {
    private final InfraApp app;
    private final AppRef ref;
    private final Trace trace;
    private final boolean dryRun;
    private String from;
    private String to;
    private String running;
    private GateDecision gate;
    private String alertId;
    private ReconcileOutcome before = ReconcileOutcome.NO_OP;

    Run(InfraApp app, Trace trace, boolean dryRun) {
      this.app = app;
      this.ref = InfraUpgrade.ref(app);
      this.trace = trace;
      this.dryRun = dryRun;
    }

    ReconcileResult execute() {
      try {
        return decide();
      } catch (WarmException e) {
        if (e.exitCode() == ExitCode.USAGE) {
          throw e;
        }
        return failed(e.getMessage());
      }
    }

    private ReconcileResult decide() {
      Optional<Journal> journal = state.read(app.name(), StateFile.JOURNAL);
      if (journal.isPresent()) {
        Journal j = journal.get();
        if (!InfraUpgrade.OPERATION.equals(j.operation())) {
          return failed("a journal of operation '" + j.operation() + "' is in flight; run 'warm recover'");
        }
        if (dryRun) {
          trace.step("would first finish the interrupted reconcile " + j.runId() + " (phase " + j.phase() + ")");
        } else {
          trace.step("recovered: " + upgrade.recover(app, j, trace));
        }
      }
      trace.timed("fetch", () -> platform.fetchRecipe(app.recipe()));
      PublishedVersions published = PublishedVersions.of(platform.publishedVersions(app.recipe()));
      String latest = published.latest().map(RecipeVersion::toString).orElseThrow(() -> WarmException.infra(
          "recipe " + app.recipe() + " has no stable published release"));
      Optional<String> recorded = Optional.ofNullable(lastGood(app.name()));
      Optional<DeployedVersion> deployed = platform.deployed(ref);
      if (deployed.isEmpty()) {
        String target = recorded.orElse(latest);
        to = target;
        trace.step((dryRun ? "would deploy " : "deploying ") + target + " (not deployed; "
            + (recorded.isPresent() ? "its last-good" : "no last-good recorded: the latest") + ")");
        if (!dryRun) {
          ReconcileResult failed = deployMissing(target);
          if (failed != null) {
            return failed;
          }
        }
        running = target;
        before = ReconcileOutcome.DEPLOYED;
      } else {
        from = deployed.get().version();
        running = from;
        Optional<String> sick = dryRun ? Optional.empty() : unhealthy();
        if (sick.isPresent()) {
          to = from;
          trace.step("unhealthy at " + from + " (" + sick.get() + "): redeploying " + from);
          ReconcileResult failed = heal(sick.get());
          if (failed != null) {
            return failed;
          }
          before = ReconcileOutcome.HEALED;
        } else if (recorded.isEmpty() && !dryRun) {
          state.write(app.name(), StateFile.LAST_GOOD, LastGood.now(from));
          trace.step("last-good := " + from + " (running healthy, none recorded)");
        }
      }
      String current = running;
      if (current.equals(latest)) {
        if (!dryRun) {
          holds.clear(app.name());
        }
        trace.step("at the latest release " + latest);
        return result(before, current, null, null);
      }
      gate = trace.timed("gate",
          () -> PlatformGate.decide(platform, app, config.stateRoot(), current, latest, policy()));
      for (String w : gate.warnings()) {
        LOG.warn("{}: gate: {}", app.name(), w);
        trace.step("gate: WARNING " + w);
      }
      to = latest;
      if (from == null) {
        from = current;
      }
      switch (gate.outcome()) {
        case NO_OP:
          trace.step("gate: nothing to do from " + current + " to " + latest);
          return result(before, current, null, null);
        case HOLD:
          List<String> reasons = InfraHolds.reasons(gate);
          trace.step("gate: HOLD " + current + " -> " + latest + ": " + String.join("; ", reasons));
          if (!dryRun) {
            alertId = holds.hold(app.name(), gate).alertId();
          }
          return result(ReconcileOutcome.HELD, current, null, String.join("; ", reasons));
        default:
          break;
      }
      trace.step("gate: auto-apply " + current + " -> " + latest);
      if (dryRun) {
        trace.step("would record last-good := " + current);
        if (app.stateful()) {
          trace.step("would undeploy, wait until nothing holds the volumes, snapshot them");
        }
        trace.step("would deploy " + latest + ", wait for Swarm health"
            + app.resolvedHealthUrl().map(u -> " and " + u + " answering 2xx").orElse(""));
        trace.step("would roll back to " + current + (app.stateful() ? " with the snapshot restored" : "")
            + " if it fails");
        return result(ReconcileOutcome.APPLIED, current, null, null);
      }
      holds.clear(app.name());
      InfraUpgrade.Ended e = upgrade.upgrade(app, current, latest, trace);
      alertId = e.alertId();
      return new ReconcileResult(app.name(), app.recipe(), e.outcome(), false, from, to, e.running(),
          lastGood(app.name()), gate, e.snapshotId(), e.reason(), alertId, trace.steps(), trace.timings());
    }

    /** Deploys a missing app; null when healthy, else the failed result (alerted). */
    private ReconcileResult deployMissing(String target) {
      var j = Journal.begin(InfraUpgrade.OPERATION, "reconcile-deploy", app.name(), InfraUpgrade.DEPLOYING_MISSING,
          Map.of(InfraUpgrade.TO, target));
      state.write(app.name(), StateFile.JOURNAL, j);
      try {
        platform.createApp(ref);
        platform.generateMissingSecrets(ref);
        upgrade.deployHealthy(app, target, trace);
      } catch (RuntimeException e) {
        state.delete(app.name(), StateFile.JOURNAL);
        return failedWithAlert("deploying " + target + " (the app was not deployed) failed: " + e.getMessage());
      }
      state.write(app.name(), StateFile.LAST_GOOD, LastGood.now(target));
      state.delete(app.name(), StateFile.JOURNAL);
      trace.step("healthy at " + target + "; last-good := " + target);
      return null;
    }

    /** Redeploys the running version; null when healthy again, else the failed result (alerted). */
    private ReconcileResult heal(String why) {
      var j = Journal.begin(InfraUpgrade.OPERATION, "reconcile-heal", app.name(), InfraUpgrade.DEPLOYING_MISSING,
          Map.of(InfraUpgrade.TO, from));
      state.write(app.name(), StateFile.JOURNAL, j);
      try {
        upgrade.deployHealthy(app, from, trace);
      } catch (RuntimeException e) {
        state.delete(app.name(), StateFile.JOURNAL);
        return failedWithAlert(app.name() + " was unhealthy at " + from + " (" + why
            + ") and redeploying it did not help: " + e.getMessage());
      }
      state.delete(app.name(), StateFile.JOURNAL);
      state.write(app.name(), StateFile.LAST_GOOD, LastGood.now(from));
      trace.step("healthy again at " + from);
      return null;
    }

    /** Why the running app is not healthy (Swarm's view, then its health URL), or empty. */
    private Optional<String> unhealthy() {
      Optional<String> swarm = platform.unhealthy(ref);
      if (swarm.isPresent()) {
        return swarm;
      }
      return app.resolvedHealthUrl().flatMap(u -> probe.await(URI.create(u), HEAL_PROBE));
    }

    private GatePolicy policy() {
      return PlatformGate.policy(config).withAcknowledged(app.recipe(), Set.copyOf(app.acknowledged()));
    }

    private ReconcileResult result(ReconcileOutcome outcome, String now, String snapshotId, String reason) {
      return new ReconcileResult(app.name(), app.recipe(), outcome, dryRun, from, to, now,
          lastGood(app.name()), gate, snapshotId, reason, alertId, trace.steps(),
          trace.timings());
    }

    private ReconcileResult failedWithAlert(String reason) {
      Alert alert = Alert.builder("reconcile-failed", app.name()).severity(Alert.Severity.CRITICAL)
          .message(reason).attemptedVersion(to).lastGoodVersion(lastGood(app.name())).recovered(false).build();
      alerts.raise(alert);
      alertId = alert.id();
      trace.step("FAILED: " + reason);
      return new ReconcileResult(app.name(), app.recipe(), ReconcileOutcome.FAILED, dryRun, from, to, null,
          lastGood(app.name()), gate, null, reason, alertId, trace.steps(), trace.timings());
    }

    private ReconcileResult failed(String reason) {
      LOG.error("{}: reconcile failed: {}", app.name(), reason);
      trace.step("FAILED: " + reason);
      return new ReconcileResult(app.name(), app.recipe(), ReconcileOutcome.FAILED, dryRun, from, to, running,
          lastGood(app.name()), gate, null, reason, alertId, trace.steps(), trace.timings());
    }
  }
}
