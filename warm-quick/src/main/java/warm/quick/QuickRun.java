package warm.quick;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.platform.AppRef;
import warm.core.state.CanonicalRecord;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.VolumeState;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotException;
import warm.snapshot.SnapshotStore;

/**
 * One quick run's state machine (steps 4–10 of the runner contract), with the app lock held by the caller: each
 * {@link Phase} is journalled before its step acts; a failure takes the FAIL path (undeploy, restore the known-good)
 * unless nothing was deployed yet, and the PASS path keeps the (now dirty) volumes and returns once Swarm has
 * accepted the undeploy, without waiting for its removal to end.
 */
final class QuickRun {
  private static final Logger LOG = LoggerFactory.getLogger(QuickRun.class);
  /** The journal data key of the run's Keycloak realm; on disk, keep it. */
  static final String REALM_KEY = "realm";

  private final LaneContext lane;
  private final AssertionSupervisor supervisor;
  private final QuickRequest req;
  private final String runId;
  private final CanonicalRecord canonical;
  private final Timings t;
  private final AppRef app;
  private final Map<String, String> preparedEnv = new LinkedHashMap<>();
  private Journal journal;
  private Phase phase;
  private String realm;
  private boolean restored;
  private final Map<String, RestoreOutcome> restores = new LinkedHashMap<>();

  QuickRun(LaneContext lane, AssertionSupervisor supervisor, QuickRequest req, String runId,
      CanonicalRecord canonical, Timings t) {
    this.lane = lane;
    this.supervisor = supervisor;
    this.req = req;
    this.runId = runId;
    this.canonical = canonical;
    this.t = t;
    this.app = new AppRef(req.recipe(), canonical.domain());
  }

  /** The prepared run of journal {@code j}, for {@code finish}. */
  static QuickRun resume(LaneContext lane, AssertionSupervisor supervisor, Journal j, CanonicalRecord canonical,
      Timings t) {
    QuickRequest req = new QuickRequest(j.app(), null, j.data().containsKey(REALM_KEY), List.of());
    QuickRun run = new QuickRun(lane, supervisor, req, j.runId(), canonical, t);
    run.journal = j;
    run.phase = Phase.PREPARED;
    run.realm = j.data().get(REALM_KEY);
    return run;
  }

  /** After a {@link Outcome#PREPARED} result: the environment for the runner's assertions (may hold secrets). */
  Map<String, String> preparedEnv() {
    return Map.copyOf(preparedEnv);
  }

  private void phase(Phase p) {
    phase = p;
    journal = journal.withPhase(p.journalName());
    lane.store().write(req.recipe(), StateFile.JOURNAL, journal);
  }

  /** The run forward; {@code runCommand} false stops at {@link Phase#PREPARED} (split mode). */
  QuickResult execute(boolean runCommand) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("snapshotId", canonical.snapshotId());
    data.put("version", canonical.version());
    data.put("domain", canonical.domain());
    phase = Phase.STARTED;
    journal = Journal.begin(QuickLane.OPERATION, runId, req.recipe(), phase.journalName(), data);
    lane.store().write(req.recipe(), StateFile.JOURNAL, journal);
    Map<String, String> env = new LinkedHashMap<>();
    String failure = null;
    try {
      SnapshotStore snaps = SnapshotStore.forApp(lane.config().stateRoot(), req.recipe());
      String kg = snaps.knownGoodId().orElseThrow(() -> WarmException.infra("canonical " + req.recipe()
          + " has no known-good snapshot in " + snaps.directory()));
      if (!kg.equals(canonical.snapshotId())) {
        throw WarmException.infra("canonical.json of " + req.recipe() + " names snapshot "
            + canonical.snapshotId() + " but the known-good is " + kg + "; refusing to guess");
      }
      t.time("reattach", () -> reattach(kg));
      checkCancelled();
      phase(Phase.DEPLOYING_KNOWN_GOOD);
      lane.store().write(req.recipe(), StateFile.VOLUME_STATE, VolumeState.dirty(runId));
      // Upgraded to the PR next, with nothing reaching it before: healthy once its own healthchecks pass.
      t.time("deploy known-good", () -> lane.platform().deployBeforeUpgrade(app, canonical.version()));
      checkCancelled();
      if (req.sso()) {
        phase(Phase.SSO);
        RunRealms.Created created = t.time("sso realm",
            () -> lane.realms().create(req.recipe(), runId, canonical.domain()));
        realm = created.realm();
        journal = journal.with(REALM_KEY, realm);
        phase(Phase.SSO); // written again, now naming the realm for recovery
        env.putAll(created.env());
      }
      phase(Phase.DEPLOYING_PR);
      try {
        t.time("deploy PR", () -> lane.platform().deployChaos(app, req.checkout()));
      } catch (WarmException e) {
        if (lane.cancellation().requested()) {
          throw e;
        }
        failure = "the PR head did not deploy healthy: " + e.getMessage();
      }
      checkCancelled();
      if (failure == null && !runCommand) {
        journal = Lease.grant(journal, lane.config().timeouts().test());
        phase(Phase.PREPARED);
        preparedEnv.putAll(runEnv(env));
        return result(Outcome.PREPARED, null);
      }
      if (failure == null) {
        phase(Phase.TESTING);
        AssertionExit exit = t.time("test",
            () -> supervisor.run(req.command(), runEnv(env), lane.config().timeouts().test()));
        if (lane.cancellation().requested()) {
          failure = "cancelled (SIGTERM) during the assertions";
        } else {
          failure = exit.failure().orElse(null);
        }
      }
    } catch (WarmException | SnapshotException e) {
      boolean cancelled = lane.cancellation().requested();
      if (!cancelled && phase.beforeDeploy()) {
        // Nothing of the run was deployed: an infrastructure failure before it began. The journal stays, so the
        // next invocation restores again before anything else; a failed restore is the loudest alert.
        boolean restoring = phase == Phase.RESTORING;
        String why = (restoring ? "restore of the known-good before the run failed: "
            : "the run could not start: ") + e.getMessage();
        lane.alerts().raise(Alert.builder("quick-restore-failed", req.recipe())
            .severity(restoring ? Alert.Severity.CRITICAL : Alert.Severity.ERROR)
            .message("quick run " + runId + ": " + why).recovered(false).build());
        return result(Outcome.ERROR, why);
      }
      if (!cancelled && (phase == Phase.DEPLOYING_KNOWN_GOOD || phase == Phase.SSO)) {
        return infraRollback((phase == Phase.SSO ? "the per-run realm could not be created: "
            : "the canonical did not deploy at its known-good version " + canonical.version() + ": ")
            + e.getMessage());
      }
      failure = cancelled ? "cancelled (SIGTERM) at phase " + phase.journalName() : e.getMessage();
    }
    return conclude(failure == null, failure);
  }

  /** Step 4 (I4): nothing of the app running, and the volumes at the known-good (restored unless checked so, D4). */
  private void reattach(String kg) {
    if (lane.platform().anythingRunning(app)) {
      lane.platform().undeploy(app);
    } else {
      // The previous run's PASS only requested its undeploy: what Swarm has not removed yet may hold the volume.
      lane.platform().awaitUndeployed(app);
    }
    Optional<String> drift = lane.volumes(app).driftFrom(kg);
    if (drift.isPresent()) {
      LOG.info("quick run {} of {}: restoring the known-good first: {}", runId, req.recipe(), drift.get());
      phase(Phase.RESTORING);
      restores.put("beforeRun", lane.restoreKnownGood(app));
      restored = true;
    }
  }

  /** The PASS or FAIL path, shielded from a cancel: its commands and state writes run to completion. */
  QuickResult conclude(boolean passed, String failure) {
    return lane.shielded(() -> passed ? pass() : fail(failure));
  }

  private QuickResult pass() {
    phase(Phase.PASSED);
    // Only the request: Swarm's removal (~4 s) goes on after the run, and whatever next touches the volumes or
    // deploys the app waits for it (reattach, restore, promote: DESIGN I2). The FAIL path must wait: it restores.
    t.time("undeploy", () -> lane.platform().requestUndeploy(app));
    deleteRealm();
    lane.store().delete(req.recipe(), StateFile.JOURNAL);
    return result(Outcome.PASS, null);
  }

  private QuickResult fail(String failure) {
    phase(Phase.ROLLING_BACK);
    try {
      // Two rows: Swarm's work, and the restore, which the volume's size and the snapshot method decide.
      t.time("rollback undeploy", () -> lane.platform().undeploy(app));
      t.time("rollback restore", () -> restores.put("rollback", lane.restoreKnownGood(app)));
      restored = true;
    } catch (WarmException e) {
      lane.alerts().raise(Alert.builder("quick-rollback-failed", req.recipe()).severity(Alert.Severity.CRITICAL)
          .message("quick run " + runId + " failed (" + failure + ") and its rollback failed: " + e.getMessage())
          .recovered(false).build());
      return result(Outcome.ERROR, failure + "; rollback FAILED: " + e.getMessage());
    }
    deleteRealm();
    lane.store().delete(req.recipe(), StateFile.JOURNAL);
    return result(Outcome.FAIL, lane.cancellation().requested() && !failure.startsWith("cancelled")
        ? failure + "; cancelled (SIGTERM) during the rollback, which completed" : failure);
  }

  /** The canonical itself failed (not the PR): roll back, alert, and report an error rather than a FAIL. */
  private QuickResult infraRollback(String why) {
    QuickResult r;
    try (Cancellation.Shield s = lane.cancellation().shield()) { // the alert's command channel too
      r = conclude(false, why);
      lane.alerts().raise(Alert.builder("canonical-broken", req.recipe()).severity(Alert.Severity.ERROR)
          .message(why).attemptedVersion(canonical.version()).recovered(r.restored()).build());
    }
    return new QuickResult(r.mode(), r.confidence(), Outcome.ERROR.json(), r.recipe(), r.runId(), r.domain(),
        r.canonical(), r.restored(), why, r.timingsMillis(), r.restores());
  }

  private void deleteRealm() {
    if (realm != null) {
      lane.realms().delete(realm);
      realm = null;
    }
  }

  private void checkCancelled() {
    if (lane.cancellation().requested()) {
      throw WarmException.infra("cancelled (SIGTERM)");
    }
  }

  /** The variables the runner's assertions get. */
  private Map<String, String> runEnv(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WARM_MODE", "quick");
    env.put("WARM_RUN_ID", runId);
    env.put("WARM_DOMAIN", app.domain());
    env.put("WARM_STACK", app.stack());
    env.put("WARM_RECIPE", req.recipe());
    env.put("WARM_KNOWN_GOOD_VERSION", canonical.version());
    env.putAll(extra);
    return env;
  }

  private QuickResult result(Outcome outcome, String reason) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("version", canonical.version());
    c.put("commit", canonical.commit());
    c.put("snapshotId", canonical.snapshotId());
    return new QuickResult("quick", "lower", outcome.json(), req.recipe(), runId, canonical.domain(), c, restored,
        reason, t.ordered(), restores.isEmpty() ? null : new LinkedHashMap<>(restores));
  }
}
