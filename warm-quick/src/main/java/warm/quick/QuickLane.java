package warm.quick;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alerts;
import warm.core.config.RecipeConfig;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.platform.Platform;
import warm.core.process.ProcessRunner;
import warm.core.state.CanonicalRecord;
import warm.core.state.Journal;
import warm.core.state.LastRun;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/**
 * The {@code --quick} lane (DESIGN WC4/WC7): reattach a recipe's canonical at its known-good, chaos-deploy the PR
 * head over it, run the runner's assertions, and on PASS keep the (now dirty) volumes, on FAIL restore the
 * known-good. It never writes the known-good (I1), starts from it every time (I4), journals every phase before
 * acting (I5) and holds the app lock throughout (I7).
 *
 * <p>This class is the entry: it takes the lock (respecting a split-mode {@link Lease}), recovers what a killed run
 * left ({@link QuickRecovery}), and hands the run to its state machine ({@link QuickRun}); the assertion command's
 * supervision is {@link AssertionSupervisor}'s, a SIGTERM's delivery {@link Cancellation}'s.
 */
public final class QuickLane {
  private static final Logger LOG = LoggerFactory.getLogger(QuickLane.class);
  static final String OPERATION = "quick";
  private static final DateTimeFormatter RUN_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss").withZone(ZoneOffset.UTC);

  private final LaneContext lane;
  private final AppLocks locks;
  private final Lease lease;
  private final QuickRecovery recovery;
  private final AssertionSupervisor supervisor;
  /** After {@link #prepare}: the variables the runner's assertions need (may hold the SSO client secret). */
  private final Map<String, String> preparedEnv = new LinkedHashMap<>();

  /**
   * The lane on adapters built over {@code cancellation}'s {@link Cancellation#guard guarded} runner (see
   * {@link QuickLanes#create}), so a cancel stops their commands.
   */
  QuickLane(WarmConfig config, Platform platform, Alerts alerts, RunRealms realms,
      Cancellation cancellation) {
    StateStore store = new StateStore(config.stateRoot());
    this.lane = new LaneContext(config, platform, store, alerts, realms, cancellation);
    this.locks = new AppLocks(config.stateRoot());
    this.lease = new Lease(store, locks, config.timeouts().lockWait());
    this.recovery = new QuickRecovery(lane);
    this.supervisor = new AssertionSupervisor(cancellation.guard(ProcessRunner.system()));
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
    return Outcome.of(r.outcome()).exitCode();
  }

  /**
   * Called from a shutdown hook on SIGTERM/SIGINT: stops the assertion command or the deploy in progress so the run
   * takes its FAIL path (rollback) before the process exits. A rollback already running is left to finish. Returns
   * at once; the running thread is never interrupted (an interrupt would close the journal's file channel).
   */
  public void cancel() {
    lane.cancellation().request();
  }

  /** The whole quick run: steps 1–10 of the runner contract. */
  public QuickResult run(QuickRequest req) {
    return start(req, "quick", true);
  }

  /** Split mode, first half: steps 1–7, leaves the PR deployed and the journal at {@code prepared}. */
  public QuickResult prepare(QuickRequest req) {
    return start(req, "quick-prepare", false);
  }

  private QuickResult start(QuickRequest asked, String lockPurpose, boolean runCommand) {
    QuickRequest req = withConfiguredSso(asked, lane.config());
    String runId = newRunId();
    Timings t = new Timings();
    if (lane.store().read(req.recipe(), StateFile.CANONICAL).isEmpty()) {
      return noCanonical(req, runId); // before the lock: a refused run creates nothing (not even the lock file)
    }
    try (LockFile lock = t.time("lock", () -> lease.acquireFree(req.recipe(), lockPurpose + " " + runId))) {
      Optional<CanonicalRecord> canonical = lane.store().read(req.recipe(), StateFile.CANONICAL);
      if (canonical.isEmpty()) {
        return noCanonical(req, runId);
      }
      lane.alerts().deliverPending();
      t.time("recover", () -> recover(req.recipe()));
      QuickRun run = new QuickRun(lane, supervisor, req, runId, canonical.get(), t);
      QuickResult r = run.execute(runCommand);
      preparedEnv.putAll(run.preparedEnv());
      if (runCommand) {
        recordLast(req.recipe(), r);
      }
      return r;
    }
  }

  /** Split mode, second half: steps 9–10 for the prepared run, with the runner's outcome. */
  public QuickResult finish(String recipe, String runId, boolean passed) {
    // Asked before the lock too: a bad name, or no such prepared run, is refused having created nothing (not even
    // the lock file); under the lock the journal is read again, and that one is finished.
    preparedJournal(recipe, runId);
    Timings t = new Timings();
    try (LockFile lock = t.time("lock", () -> locks.acquire(recipe, "quick-finish " + runId,
        lane.config().timeouts().lockWait()))) {
      Journal j = preparedJournal(recipe, runId);
      CanonicalRecord canonical = lane.store().read(recipe, StateFile.CANONICAL).orElseThrow(() ->
          WarmException.infra("canonical.json of " + recipe + " disappeared during the run"));
      QuickResult r = QuickRun.resume(lane, supervisor, j, canonical, t)
          .conclude(passed, passed ? null : "the runner reported failure");
      recordLast(recipe, r);
      return r;
    }
  }

  /** The journal of prepared run {@code runId} of {@code recipe}; refused (exit 2) when there is none. */
  private Journal preparedJournal(String recipe, String runId) {
    Journal j = lane.store().read(recipe, StateFile.JOURNAL).orElseThrow(() -> WarmException.usage(
        "no prepared quick run for " + recipe + " (nothing to finish; was it recovered already?)"));
    if (!OPERATION.equals(j.operation()) || !Phase.PREPARED.journalName().equals(j.phase())
        || !j.runId().equals(runId)) {
      throw WarmException.usage("the journal of " + recipe + " is " + j.operation() + " run " + j.runId()
          + " at phase " + j.phase() + ", not prepared run " + runId);
    }
    return j;
  }

  /** With the lock held: how this run ended, for {@code warm status}; a failure to record it never fails the run. */
  private void recordLast(String recipe, QuickResult r) {
    try {
      String version = r.canonical() == null ? null : r.canonical().get("version");
      lane.store().write(recipe, StateFile.LAST_QUICK, new LastRun(r.outcome(), r.runId(), version, r.reason(),
          Instant.now()));
    } catch (RuntimeException e) {
      LOG.warn("could not record the outcome of quick run {}: {}", r.runId(), e.getMessage());
    }
  }

  /**
   * With the lock held, before a run: rolls back an interrupted quick run found in the journal. Another kind's
   * journal is not this lane's to recover: the run refuses (exit 4) and {@code warm recover} dispatches it.
   */
  private Optional<String> recover(String app) {
    Optional<Journal> found = lane.store().read(app, StateFile.JOURNAL);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Journal j = found.get();
    if (!OPERATION.equals(j.operation())) {
      throw WarmException.infra("app " + app + " has an interrupted '" + j.operation() + "' operation (run "
          + j.runId() + "); run 'warm recover --app " + app + "' first; see "
          + lane.store().path(app, StateFile.JOURNAL));
    }
    return Optional.of(recovery.recover(j));
  }

  /** With the lock held ({@link QuickJournalRecovery}): finishes or rolls back the quick run of journal {@code j}. */
  String recoverJournal(Journal j) {
    return recovery.recover(j);
  }

  /**
   * The request with the configuration's say on SSO: a run gets a realm when the runner asks ({@code --sso}) or the
   * recipe is enrolled with {@code sso: true}. Either without a Keycloak is refused here, before a lock, journal or
   * deploy exists (it used to fail only after the known-good was deployed).
   *
   * @throws WarmException (usage) when a realm is wanted and {@code keycloak.url} is not set
   */
  static QuickRequest withConfiguredSso(QuickRequest req, WarmConfig config) {
    boolean enrolledWithSso = config.recipe(req.recipe()).map(RecipeConfig::sso).orElse(false);
    if (!req.sso() && !enrolledWithSso) {
      return req;
    }
    if (!config.keycloak().configured()) {
      throw WarmException.usage((req.sso() ? "--sso asked for" : "recipe " + req.recipe()
          + " is enrolled with sso: true (recipes[].sso)") + ", but no keycloak is configured (keycloak.url)");
    }
    return req.sso() ? req : new QuickRequest(req.recipe(), req.checkout(), true, req.command());
  }

  private QuickResult noCanonical(QuickRequest req, String runId) {
    return new QuickResult("quick", "lower", Outcome.NO_CANONICAL.json(), req.recipe(), runId, null, null, false,
        "no canonical for " + req.recipe() + " — run cold first", Map.of());
  }
}
