package warm.nightly.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.config.NightlySettings;
import warm.core.config.RecipeConfig;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.process.Command;
import warm.core.process.OwnedTempDirs;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;
import warm.nightly.reconcile.InfraReconciler;
import warm.nightly.reconcile.ReconcileOutcome;
import warm.nightly.reconcile.ReconcileResult;

/**
 * {@code warm nightly} (WC6, DESIGN §1.7): rebuild — the infra apps to their latest gated release — then a serial
 * cold sweep of every enrolled recipe through the configured cold command, promoting each green one, then an honest
 * report. It never overlaps a test run of a recipe: it waits (bounded) until the recipe's app lock is free and skips
 * the recipe with an alert past the bound. Zero enrolled recipes, or no cold command, is an error before anything
 * runs (a sweep that tests nothing must never look green).
 */
public final class Nightly {
  private static final Logger LOG = LoggerFactory.getLogger(Nightly.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WarmConfig config;
  private final ProcessRunner runner;
  private final Alerts alerts;
  private final InfraReconciler reconciler;
  private final PromoteStep promotion;

  public Nightly(WarmConfig config, ProcessRunner runner, Alerts alerts, InfraReconciler reconciler,
      PromoteStep promotion) {
    this.config = config;
    this.runner = runner;
    this.alerts = alerts;
    this.reconciler = reconciler;
    this.promotion = promotion;
  }

  /** Runs the night; never throws for a recipe's or an app's failure (they are in the report). */
  public NightlyReport run() {
    long t0 = System.nanoTime();
    NightlySettings n = config.nightly();
    if (config.recipes().isEmpty()) {
      return refuse("no recipe is enrolled (recipes = []): a sweep that tests nothing is an error, not a green night",
          t0);
    }
    if (n.coldCommand().isEmpty()) {
      return refuse("no cold command is configured (nightly.coldCommand): the sweep cannot run a cold test", t0);
    }
    Path lockFile = config.stateRoot().resolve("locks").resolve(".nightly.lock");
    Optional<LockFile> running = LockFile.tryLock(lockFile, "nightly");
    if (running.isEmpty()) {
      String who = LockFile.holder(lockFile).map(h -> h.describe()).orElse("another process");
      LOG.warn("another nightly is running ({}); skipped", who);
      return new NightlyReport(List.of(), null, List.of(), 5, "another nightly is running: " + who, null, since(t0));
    }
    try (LockFile held = running.get()) {
      alerts.deliverPending();
      List<ReconcileResult> infra = List.of();
      Integer rebuildExit = null;
      if (n.rebuildCommand().isEmpty()) {
        LOG.info("nightly: rebuild — reconciling {} infra app(s)", config.infra().size());
        infra = reconciler.reconcileAll(false);
      } else {
        LOG.info("nightly: rebuild — {}", String.join(" ", n.rebuildCommand()));
        rebuildExit = runner.run(Command.of(n.rebuildCommand()).withTimeout(config.timeouts().deploy())
            .withOutputToStderr()).exitCode();
      }
      // A rolled-back infra app is healthy at its previous version: the sweep runs against it.
      List<SweepEntry> sweep = sweep(n);
      int exit = exit(infra, rebuildExit, sweep);
      String alertId = exit == 0 ? null : summaryAlert(infra, rebuildExit, sweep, exit);
      NightlyReport report = new NightlyReport(infra, rebuildExit, sweep, exit, null, alertId, since(t0));
      LastNightly.write(config.stateRoot(), report);
      return report;
    }
  }

  private List<SweepEntry> sweep(NightlySettings n) {
    List<SweepEntry> out = new ArrayList<>();
    int budget = n.maxTests() == null ? Integer.MAX_VALUE : n.maxTests();
    Path work;
    OwnedTempDirs dirs = OwnedTempDirs.inTmp("warm-nightly-");
    // Under the nightly lock: the directories of nights killed before they could remove theirs.
    dirs.removeDead();
    try {
      work = dirs.create();
    } catch (IOException e) {
      throw WarmException.infra("cannot create a work directory for the cold results: " + e.getMessage(), e);
    }
    try {
      for (RecipeConfig r : config.recipes()) {
        if (out.stream().filter(e -> !"not-reached".equals(e.cold())).count() >= budget) {
          out.add(new SweepEntry(r.name(), "not-reached", null, null, null, null,
              "past nightly.maxTests = " + budget, 0, 0));
          continue;
        }
        out.add(one(r.name(), n, work));
      }
    } finally {
      runner.run(Command.of("rm", "-rf", work.toString()));
    }
    return out;
  }

  private SweepEntry one(String recipe, NightlySettings n, Path work) {
    // Never overlap a run of the recipe (a quick run, a promote hold its lock): wait until it is free, bounded.
    try (LockFile free = new AppLocks(config.stateRoot()).acquire(recipe, "nightly (waiting)", n.waitForRuns())) {
      LOG.debug("{} is free", free.path());
    } catch (WarmException e) {
      String why = "an in-flight run held " + recipe + " past nightly.waitSeconds: " + e.getMessage();
      LOG.warn("nightly: {} skipped: {}", recipe, why);
      alerts.raise(Alert.builder("nightly-recipe-skipped", recipe).severity(Alert.Severity.WARNING).message(why)
          .build());
      return new SweepEntry(recipe, "skipped", null, null, null, null, why, 0, 0);
    }
    Path result = work.resolve("cold-" + recipe + ".json");
    List<String> argv = n.coldCommand().stream()
        .map(a -> a.replace("{recipe}", recipe).replace("{file}", result.toString())).toList();
    LOG.info("nightly: cold run of {}: {}", recipe, String.join(" ", argv));
    long c0 = System.nanoTime();
    ProcessResult cold;
    try {
      // Its log goes to ours (stderr), never into the report this command prints on stdout.
      cold = runner.run(Command.of(argv).withTimeout(n.recipeTimeout()).withOutputToStderr());
    } catch (WarmException e) {
      return new SweepEntry(recipe, "error", null, null, null, null, "the cold command could not run: " + e.getMessage(),
          since(c0), 0);
    }
    long coldMillis = since(c0);
    JsonNode json = readResult(result);
    String version = json == null ? null : json.path("version").asText(null);
    String outcome = json == null ? null : json.path("outcome").asText(null);
    if (cold.timedOut()) {
      return new SweepEntry(recipe, "error", version, null, null, null, "the cold command passed nightly"
          + ".recipeTimeoutSeconds (" + n.recipeTimeoutSeconds() + " s) and was killed", coldMillis, 0);
    }
    if (json == null) {
      return new SweepEntry(recipe, "error", null, null, null, null, "the cold command exited " + cold.exitCode()
          + " without writing its result " + result, coldMillis, 0);
    }
    if (cold.exitCode() != 0 || !"pass".equals(outcome)) {
      String reason = "cold run " + (outcome == null ? "wrote no outcome" : outcome) + ", exit " + cold.exitCode()
          + (json.hasNonNull("reason") ? ": " + json.get("reason").asText() : "");
      return new SweepEntry(recipe, "fail".equals(outcome) ? "fail" : "error", version, null, null, null, reason,
          coldMillis, 0);
    }
    long p0 = System.nanoTime();
    PromoteStep.Promoted p;
    try {
      p = promotion.promote(recipe, result);
    } catch (RuntimeException e) {
      p = new PromoteStep.Promoted(false, "failed", ExitCode.INFRA.code(), e.getMessage());
    }
    return new SweepEntry(recipe, "pass", version, p.promoted(), p.outcome(), p.exit(),
        p.promoted() ? null : p.detail(),
        coldMillis, since(p0));
  }

  private static JsonNode readResult(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  static int exit(List<ReconcileResult> infra, Integer rebuildExit, List<SweepEntry> sweep) {
    boolean infraBroken = infra.stream().anyMatch(r -> r.outcome() == ReconcileOutcome.ROLLBACK_FAILED
        || r.outcome() == ReconcileOutcome.FAILED) || (rebuildExit != null && rebuildExit != 0);
    // A promotion whose check failed rolled back cleanly (red, 1); any other failed promotion is an infra failure.
    boolean promoteBroken = sweep.stream().anyMatch(e -> Boolean.FALSE.equals(e.promoted())
        && !Integer.valueOf(ExitCode.TEST_FAILED.code()).equals(e.promoteExit()));
    if (infraBroken || promoteBroken || sweep.stream().anyMatch(e -> "error".equals(e.cold()))) {
      return ExitCode.INFRA.code();
    }
    boolean red = sweep.stream().anyMatch(e -> !e.ok())
        || infra.stream().anyMatch(r -> r.outcome() == ReconcileOutcome.ROLLED_BACK);
    return red ? ExitCode.TEST_FAILED.code() : ExitCode.OK.code();
  }

  private String summaryAlert(List<ReconcileResult> infra, Integer rebuildExit, List<SweepEntry> sweep, int exit) {
    List<String> lines = new ArrayList<>();
    for (ReconcileResult r : infra) {
      if (r.outcome() != ReconcileOutcome.APPLIED && r.outcome() != ReconcileOutcome.NO_OP) {
        lines.add("infra " + r.app() + ": " + r.outcome().label() + (r.reason() == null ? "" : " (" + r.reason() + ")"));
      }
    }
    if (rebuildExit != null && rebuildExit != 0) {
      lines.add("rebuild command exited " + rebuildExit);
    }
    for (SweepEntry e : sweep) {
      if (!e.ok()) {
        lines.add(e.recipe() + ": cold " + e.cold() + (e.promoted() == null ? "" : ", promoted " + e.promoted())
            + (e.reason() == null ? "" : " (" + e.reason() + ")"));
      }
    }
    long promoted = sweep.stream().filter(SweepEntry::ok).count();
    Alert alert = Alert.builder("nightly-failed", null)
        .severity(exit == ExitCode.INFRA.code() ? Alert.Severity.CRITICAL : Alert.Severity.ERROR)
        .message("nightly: " + promoted + " of " + sweep.size() + " recipe(s) green and promoted; "
            + lines.stream().collect(Collectors.joining("; ")))
        .build();
    alerts.raise(alert);
    return alert.id();
  }

  private NightlyReport refuse(String why, long t0) {
    LOG.error("nightly: {}", why);
    Alert alert = Alert.builder("nightly-failed", null).severity(Alert.Severity.ERROR).message("nightly: " + why)
        .build();
    alerts.raise(alert);
    return new NightlyReport(List.of(), null, List.of(), ExitCode.USAGE.code(), why, alert.id(), since(t0));
  }

  private static long since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }
}
