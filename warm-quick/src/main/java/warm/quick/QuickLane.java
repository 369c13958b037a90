package warm.quick;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
import warm.core.platform.DockerCli;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.state.CanonicalRecord;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.snapshot.SnapshotException;
import warm.snapshot.SnapshotStore;

/**
 * The {@code --quick} lane (DESIGN WC4/WC7): reattach a recipe's canonical at its known-good, chaos-deploy the PR
 * head over it, run the runner's assertions, and on PASS keep the (now dirty) volumes, on FAIL restore the
 * known-good. It never writes the known-good (I1), starts from it every time (I4), journals every phase before
 * acting (I5) and holds the app lock throughout (I7).
 */
public final class QuickLane {
  private static final Logger LOG = LoggerFactory.getLogger(QuickLane.class);
  static final String OPERATION = "quick";
  private static final DateTimeFormatter RUN_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss").withZone(ZoneOffset.UTC);

  private final WarmConfig config;
  private final Platform platform;
  private final DockerCli docker;
  private final StateStore store;
  private final AppLocks locks;
  private final Alerts alerts;
  private final RunRealms realms;
  /** SIGTERM: stops the forward steps' commands, never the thread (see {@link Cancellation}). */
  private final Cancellation cancellation;
  private final AtomicReference<Process> testProcess = new AtomicReference<>();
  /** After {@link #prepare}: the variables the runner's assertions need (may hold the SSO client secret). */
  private final Map<String, String> preparedEnv = new LinkedHashMap<>();

  /**
   * The lane on adapters built over {@code cancellation}'s {@link Cancellation#guard guarded} runner (see
   * {@link QuickLanes#create}), so a cancel stops their commands.
   */
  QuickLane(WarmConfig config, Platform platform, DockerCli docker, Alerts alerts, RunRealms realms,
      Cancellation cancellation) {
    this.config = config;
    this.platform = platform;
    this.docker = docker;
    this.store = new StateStore(config.stateRoot());
    this.locks = new AppLocks(config.stateRoot());
    this.alerts = alerts;
    this.realms = realms;
    this.cancellation = cancellation;
  }

  /** A fresh run id: time-sortable, unique, lowercase (it names the run's Keycloak realm too). */
  public static String newRunId() {
    return "q" + RUN_STAMP.format(Instant.now()) + "-" + Naming.randomHex();
  }

  /** After {@link #prepare}: the environment for the runner's assertions (secrets included: never log it). */
  public Map<String, String> preparedEnv() {
    return Map.copyOf(preparedEnv);
  }

  /** Exit code for a result (DESIGN §6). */
  public static ExitCode exitCode(QuickResult r) {
    return switch (r.outcome()) {
      case "pass", "prepared" -> ExitCode.OK;
      case "fail" -> ExitCode.TEST_FAILED;
      case "no-canonical" -> ExitCode.NO_CANONICAL_OR_HELD;
      default -> ExitCode.INFRA;
    };
  }

  /**
   * Called from a shutdown hook on SIGTERM/SIGINT: stops the assertion command or the deploy in progress so the run
   * takes its FAIL path (rollback) before the process exits. A rollback already running is left to finish. Returns
   * at once; the running thread is never interrupted (an interrupt would close the journal's file channel).
   */
  public void cancel() {
    cancellation.request();
  }

  /** The whole quick run: steps 1–10 of the runner contract. */
  public QuickResult run(QuickRequest req) {
    String runId = newRunId();
    Timings t = new Timings();
    if (store.read(req.recipe(), StateFile.CANONICAL).isEmpty()) {
      return noCanonical(req, runId); // before the lock: a refused run creates nothing (not even the lock file)
    }
    try (LockFile lock = t.time("lock", () -> acquireFree(req.recipe(), "quick " + runId))) {
      Optional<CanonicalRecord> canonical = store.read(req.recipe(), StateFile.CANONICAL);
      if (canonical.isEmpty()) {
        return noCanonical(req, runId);
      }
      alerts.deliverPending();
      t.time("recover", () -> recover(req.recipe()));
      Run run = new Run(req, runId, canonical.get(), t);
      return run.execute(true);
    }
  }

  /** Split mode, first half: steps 1–7, leaves the PR deployed and the journal at {@code prepared}. */
  public QuickResult prepare(QuickRequest req) {
    String runId = newRunId();
    Timings t = new Timings();
    if (store.read(req.recipe(), StateFile.CANONICAL).isEmpty()) {
      return noCanonical(req, runId); // before the lock: a refused run creates nothing (not even the lock file)
    }
    try (LockFile lock = t.time("lock", () -> acquireFree(req.recipe(), "quick-prepare " + runId))) {
      Optional<CanonicalRecord> canonical = store.read(req.recipe(), StateFile.CANONICAL);
      if (canonical.isEmpty()) {
        return noCanonical(req, runId);
      }
      alerts.deliverPending();
      t.time("recover", () -> recover(req.recipe()));
      return new Run(req, runId, canonical.get(), t).execute(false);
    }
  }

  /** Split mode, second half: steps 9–10 for the prepared run, with the runner's outcome. */
  public QuickResult finish(String recipe, String runId, boolean passed) {
    store.appDir(recipe); // a bad or reserved name is refused before the lock file is created
    Timings t = new Timings();
    try (LockFile lock = t.time("lock", () -> locks.acquire(recipe, "quick-finish " + runId, config.timeouts().lockWait()))) {
      Journal j = store.read(recipe, StateFile.JOURNAL).orElseThrow(() -> WarmException.usage(
          "no prepared quick run for " + recipe + " (nothing to finish; was it recovered already?)"));
      if (!OPERATION.equals(j.operation()) || !"prepared".equals(j.phase()) || !j.runId().equals(runId)) {
        throw WarmException.usage("the journal of " + recipe + " is " + j.operation() + " run " + j.runId()
            + " at phase " + j.phase() + ", not prepared run " + runId);
      }
      CanonicalRecord canonical = store.read(recipe, StateFile.CANONICAL).orElseThrow(() ->
          WarmException.infra("canonical.json of " + recipe + " disappeared during the run"));
      Run run = new Run(new QuickRequest(recipe, null, j.data().containsKey("realm"), List.of()), runId, canonical, t);
      run.journal = j;
      run.realm = j.data().get("realm");
      return run.conclude(passed, passed ? null : "the runner reported failure");
    }
  }

  /**
   * The app lock, once no prepared split-mode run holds a live lease on the app: a prepared run has released the
   * lock between {@code prepare} and {@code finish}, and must not be interleaved with either. Bounded by
   * {@code timeouts.lockWaitSeconds}.
   */
  private LockFile acquireFree(String app, String operation) {
    long deadline = System.nanoTime() + config.timeouts().lockWait().toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      LockFile lock = locks.acquire(app, operation, left);
      Optional<String> lease = liveLease(app);
      if (lease.isEmpty()) {
        return lock;
      }
      lock.close();
      if (System.nanoTime() > deadline) {
        throw WarmException.infra("app " + app + " is busy: " + lease.get() + "; gave up waiting after "
            + config.timeouts().lockWait().toSeconds() + " s");
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw WarmException.infra("interrupted while waiting for " + app, e);
      }
    }
  }

  /** The prepared run whose lease on the app has not expired, if any. */
  private Optional<String> liveLease(String app) {
    return store.read(app, StateFile.JOURNAL)
        .filter(j -> OPERATION.equals(j.operation()) && "prepared".equals(j.phase()))
        .filter(j -> j.data().containsKey("leaseUntil") && Instant.parse(j.data().get("leaseUntil")).isAfter(Instant.now()))
        .map(j -> "prepared quick run " + j.runId() + " waits for 'finish' until " + j.data().get("leaseUntil"));
  }

  /**
   * With the lock held, before a run: rolls back an interrupted quick run found in the journal. Another kind's
   * journal is not this lane's to recover: the run refuses (exit 4) and {@code warm recover} dispatches it.
   */
  Optional<String> recover(String app) {
    Optional<Journal> found = store.read(app, StateFile.JOURNAL);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Journal j = found.get();
    if (!OPERATION.equals(j.operation())) {
      throw WarmException.infra("app " + app + " has an interrupted '" + j.operation() + "' operation (run "
          + j.runId() + "); run 'warm recover --app " + app + "' first; see " + store.path(app, StateFile.JOURNAL));
    }
    return Optional.of(recoverJournal(j));
  }

  /** With the lock held ({@link QuickJournalRecovery}): finishes or rolls back the quick run of journal {@code j}. */
  String recoverJournal(Journal j) {
    try (Cancellation.Shield s = cancellation.shield()) {
      return clearingInterrupt(() -> recoverShielded(j));
    }
  }

  private String recoverShielded(Journal j) {
    String app = j.app();
    if ("prepared".equals(j.phase())) {
      String until = j.data().get("leaseUntil");
      if (until != null && Instant.parse(until).isAfter(Instant.now())) {
        throw WarmException.infra("app " + app + " has a prepared quick run " + j.runId()
            + " waiting for 'finish' until " + until + "; run 'finish' or wait for the lease to expire");
      }
    }
    CanonicalRecord canonical = store.read(app, StateFile.CANONICAL).orElseThrow(() ->
        WarmException.infra("app " + app + " has a quick journal but no canonical.json"));
    LOG.warn("recovering interrupted quick run {} of {} (phase {})", j.runId(), app, j.phase());
    AppRef ref = new AppRef(app, canonical.domain());
    platform.undeploy(ref);
    String realm = j.data().get("realm");
    if (realm != null) {
      realms.delete(realm);
    }
    String what;
    if ("passed".equals(j.phase())) {
      what = "finished the passed run " + j.runId() + " (undeployed; volumes stay dirty)";
    } else if (!"started".equals(j.phase()) || volumesOf(ref).driftFrom(canonical.snapshotId()).isPresent()) {
      restoreKnownGood(ref);
      what = "rolled back run " + j.runId() + " from phase " + j.phase() + " (known-good restored)";
    } else {
      what = "cleared run " + j.runId() + " interrupted before it changed anything";
    }
    store.delete(app, StateFile.JOURNAL);
    alerts.raise(Alert.builder("quick-run-recovered", app).severity(Alert.Severity.WARNING)
        .message("an interrupted quick run was recovered: " + what).recovered(true).build());
    return what;
  }

  /**
   * Undeployed stack required; restores the known-good into the canonical's volumes (recreating a removed one) and
   * marks them clean.
   */
  private void restoreKnownGood(AppRef app) {
    try (Cancellation.Shield s = cancellation.shield()) {
      volumesOf(app).restore();
    } catch (SnapshotException e) {
      throw WarmException.infra("restore of the known-good of " + app.recipe() + " failed: " + e.getMessage(), e);
    }
  }

  private CanonicalVolumes volumesOf(AppRef app) {
    return new CanonicalVolumes(platform, docker, store, SnapshotStore.forApp(config.stateRoot(), app.recipe()), app);
  }

  /**
   * Runs a rollback or recovery with the thread's interrupt flag cleared, and sets it again afterwards: an interrupt
   * (from whoever sent it) must not close the file channels the journal, state and restore write through, nor be
   * lost for the caller.
   */
  private static <T> T clearingInterrupt(java.util.function.Supplier<T> body) {
    boolean interrupted = Thread.interrupted();
    try {
      return body.get();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private QuickResult noCanonical(QuickRequest req, String runId) {
    return new QuickResult("quick", "lower", "no-canonical", req.recipe(), runId, null, null, false,
        "no canonical for " + req.recipe() + " — run cold first", Map.of());
  }

  /** One quick run in progress. */
  private final class Run {
    final QuickRequest req;
    final String runId;
    final CanonicalRecord canonical;
    final Timings t;
    final AppRef app;
    Journal journal;
    String realm;
    boolean restored;

    Run(QuickRequest req, String runId, CanonicalRecord canonical, Timings t) {
      this.req = req;
      this.runId = runId;
      this.canonical = canonical;
      this.t = t;
      this.app = new AppRef(req.recipe(), canonical.domain());
    }

    void phase(String p) {
      journal = journal.withPhase(p);
      store.write(req.recipe(), StateFile.JOURNAL, journal);
    }

    QuickResult execute(boolean runCommand) {
      Map<String, String> data = new LinkedHashMap<>();
      data.put("snapshotId", canonical.snapshotId());
      data.put("version", canonical.version());
      data.put("domain", canonical.domain());
      journal = Journal.begin(OPERATION, runId, req.recipe(), "started", data);
      store.write(req.recipe(), StateFile.JOURNAL, journal);
      Map<String, String> env = new LinkedHashMap<>();
      String failure = null;
      try {
        SnapshotStore snaps = SnapshotStore.forApp(config.stateRoot(), req.recipe());
        String kg = snaps.knownGoodId().orElseThrow(() -> WarmException.infra("canonical " + req.recipe()
            + " has no known-good snapshot in " + snaps.directory()));
        if (!kg.equals(canonical.snapshotId())) {
          throw WarmException.infra("canonical.json of " + req.recipe() + " names snapshot "
              + canonical.snapshotId() + " but the known-good is " + kg + "; refusing to guess");
        }
        t.time("reattach", () -> {
          if (platform.anythingRunning(app)) {
            platform.undeploy(app);
          }
          // I4: start from the known-good; restore unless the volumes are checked to be at it (D4).
          Optional<String> drift = volumesOf(app).driftFrom(kg);
          if (drift.isPresent()) {
            LOG.info("quick run {} of {}: restoring the known-good first: {}", runId, req.recipe(), drift.get());
            phase("restoring");
            restoreKnownGood(app);
            restored = true;
          }
        });
        checkCancelled();
        phase("deploying-known-good");
        store.write(req.recipe(), StateFile.VOLUME_STATE, VolumeState.dirty(runId));
        t.time("deploy known-good", () -> platform.deploy(app, canonical.version()));
        checkCancelled();
        if (req.sso()) {
          phase("sso");
          RunRealms.Created created = t.time("sso realm", () -> realms.create(req.recipe(), runId, canonical.domain()));
          realm = created.realm();
          journal = journal.with("realm", realm);
          phase("sso");
          env.putAll(created.env());
        }
        phase("deploying-pr");
        try {
          t.time("deploy PR", () -> platform.deployChaos(app, req.checkout()));
        } catch (WarmException e) {
          if (cancellation.requested()) {
            throw e;
          }
          failure = "the PR head did not deploy healthy: " + e.getMessage();
        }
        checkCancelled();
        if (failure == null && !runCommand) {
          journal = journal.with("leaseUntil", Instant.now().plus(config.timeouts().test()).toString());
          phase("prepared");
          preparedEnv.putAll(runEnv(env));
          return result("prepared", null, env);
        }
        if (failure == null) {
          phase("testing");
          int exit = t.time("test", () -> runTest(env));
          if (cancellation.requested()) {
            failure = "cancelled (SIGTERM) during the assertions";
          } else if (exit != 0) {
            failure = "the runner's assertions failed (exit " + exit + ")";
          }
        }
      } catch (WarmException | SnapshotException e) {
        String at = journal.phase();
        boolean cancelled = cancellation.requested();
        if (!cancelled && (at.equals("started") || at.equals("restoring"))) {
          // Nothing of the run was deployed: an infrastructure failure before it began. The journal stays, so the
          // next invocation restores again before anything else; a failed restore is the loudest alert.
          String why = (at.equals("restoring") ? "restore of the known-good before the run failed: "
              : "the run could not start: ") + e.getMessage();
          alerts.raise(Alert.builder("quick-restore-failed", req.recipe())
              .severity(at.equals("restoring") ? Alert.Severity.CRITICAL : Alert.Severity.ERROR)
              .message("quick run " + runId + ": " + why).recovered(false).build());
          return result("error", why, env);
        }
        if (!cancelled && (at.equals("deploying-known-good") || at.equals("sso"))) {
          return infraRollback((at.equals("sso") ? "the per-run realm could not be created: "
              : "the canonical did not deploy at its known-good version " + canonical.version() + ": ")
              + e.getMessage());
        }
        failure = cancelled ? "cancelled (SIGTERM) at phase " + at : e.getMessage();
      }
      return conclude(failure == null, failure);
    }

    /** The PASS or FAIL path, shielded from a cancel: its commands and state writes run to completion. */
    QuickResult conclude(boolean passed, String failure) {
      try (Cancellation.Shield s = cancellation.shield()) {
        return clearingInterrupt(() -> concludeShielded(passed, failure));
      }
    }

    private QuickResult concludeShielded(boolean passed, String failure) {
      if (passed) {
        phase("passed");
        t.time("undeploy", () -> platform.undeploy(app));
        deleteRealm();
        store.delete(req.recipe(), StateFile.JOURNAL);
        return result("pass", null, Map.of());
      }
      phase("rolling-back");
      try {
        t.time("rollback", () -> {
          platform.undeploy(app);
          restoreKnownGood(app);
        });
        restored = true;
      } catch (WarmException e) {
        alerts.raise(Alert.builder("quick-rollback-failed", req.recipe()).severity(Alert.Severity.CRITICAL)
            .message("quick run " + runId + " failed (" + failure + ") and its rollback failed: " + e.getMessage())
            .recovered(false).build());
        return result("error", failure + "; rollback FAILED: " + e.getMessage(), Map.of());
      }
      deleteRealm();
      store.delete(req.recipe(), StateFile.JOURNAL);
      return result("fail", cancellation.requested() && !failure.startsWith("cancelled")
          ? failure + "; cancelled (SIGTERM) during the rollback, which completed" : failure, Map.of());
    }

    private QuickResult infraRollback(String why) {
      QuickResult r;
      try (Cancellation.Shield s = cancellation.shield()) { // the alert's command channel too
        r = conclude(false, why);
        alerts.raise(Alert.builder("canonical-broken", req.recipe()).severity(Alert.Severity.ERROR)
            .message(why).attemptedVersion(canonical.version()).recovered(r.restored()).build());
      }
      return new QuickResult(r.mode(), r.confidence(), "error", r.recipe(), r.runId(), r.domain(), r.canonical(),
          r.restored(), why, r.timingsMillis());
    }

    private void deleteRealm() {
      if (realm != null) {
        realms.delete(realm);
        realm = null;
      }
    }

    private void checkCancelled() {
      if (cancellation.requested()) {
        throw WarmException.infra("cancelled (SIGTERM)");
      }
    }

    private int runTest(Map<String, String> extraEnv) {
      if (req.command().isEmpty()) {
        throw WarmException.usage("no assertion command given after '--'");
      }
      ProcessBuilder pb = new ProcessBuilder(req.command()).inheritIO()
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(runEnv(extraEnv));
      try {
        Process p = pb.start();
        testProcess.set(p);
        if (cancellation.requested()) {
          p.destroy(); // the cancel came between the start and the line above
        }
        if (!p.waitFor(config.timeouts().test().toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("assertions of run {} exceeded {} s: killing them", runId, config.timeouts().test().toSeconds());
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor();
          return 124;
        }
        return p.exitValue();
      } catch (java.io.IOException e) {
        throw WarmException.usage("cannot start the assertion command " + req.command().get(0) + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Process p = testProcess.get();
        if (p != null) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
        Thread.currentThread().interrupt(); // for the caller; the FAIL path runs with it cleared
        return 130;
      } finally {
        testProcess.set(null);
      }
    }

    /** The variables the runner's assertions get. */
    Map<String, String> runEnv(Map<String, String> extra) {
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

    QuickResult result(String outcome, String reason, Map<String, String> env) {
      Map<String, String> c = new LinkedHashMap<>();
      c.put("version", canonical.version());
      c.put("commit", canonical.commit());
      c.put("snapshotId", canonical.snapshotId());
      return new QuickResult("quick", "lower", outcome, req.recipe(), runId, canonical.domain(), c, restored, reason,
          t.ordered());
    }
  }
}
