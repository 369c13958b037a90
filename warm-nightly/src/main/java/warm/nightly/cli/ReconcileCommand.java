package warm.nightly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import warm.core.WarmException;
import warm.core.recovery.StepPause;
import warm.nightly.reconcile.InfraReconciler;
import warm.nightly.reconcile.ReconcileResult;
import warm.quick.cli.Cli;

/**
 * {@code warm reconcile}: brings configured infra apps to their latest gated release (docs/reconcile.md). The NixOS
 * module runs it on switch and at boot, with exit 1, 3 and 5 counted as success of the unit.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Bring an infra app (or --all) to its recipe's latest release, gated, rolled back on failure.",
        "Gated before (a major bump or a manual-step note holds, one alert per target), health-checked after"
            + " (Swarm + healthUrl), rolled back with its pre-upgrade data when the upgrade fails. Never waits for a"
            + " busy app's lock: skips it.", "",
        "Exit codes: 0 applied, deployed, healed or no-op; 1 rolled back (healthy at last-good);",
        "3 held by the gate; 5 skipped (another operation holds the app's lock);",
        "4 failed or rollback failed; 2 bad input. With --all: the worst (4 > 2 > 1 > 3 > 5 > 0)."})
public final class ReconcileCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin Cli.Common common;

  @Parameters(arity = "0..1", paramLabel = "APP", description = "the infra app's name (infra[].name)")
  String app;

  @Option(names = "--all", description = "every configured infra app, in configuration order")
  boolean all;

  @Option(names = "--dry-run", description = "print the plan (gate decision, steps) and change nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    if (all == (app != null)) {
      throw WarmException.usage("give one infra app name or --all");
    }
    InfraReconciler reconciler = InfraReconciler.create(common.config());
    CountDownLatch reported = new CountDownLatch(1);
    // SIGTERM (systemctl stop: KillMode=mixed signals the JVM alone) rolls an upgrade in flight back to last-good,
    // then the JVM exits (143). A test pause (warm.reconcile.pauseAt) is released so the rollback can run.
    Thread hook = new Thread(() -> {
      reconciler.cancel();
      StepPause.release();
      try {
        reported.await(PromoteCommand.ROLLBACK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "warm-reconcile-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return report(reconciler);
    } finally {
      reported.countDown();
    }
  }

  private int report(InfraReconciler reconciler) {
    List<ReconcileResult> results = all ? reconciler.reconcileAll(dryRun) : List.of(reconciler.reconcile(app, dryRun));
    int exit = ReconcileResult.exitCodeOf(results);
    PrintStream out = System.out;
    if (common.json) {
      ObjectNode doc;
      if (all) {
        doc = JSON.createObjectNode();
        ArrayNode apps = doc.putArray("apps");
        results.forEach(r -> apps.add(json(r)));
        doc.put("exitCode", exit);
      } else {
        doc = json(results.get(0));
      }
      out.println(doc.toString());
    } else {
      if (results.isEmpty()) {
        out.println("no infra apps are configured");
      }
      results.forEach(r -> out.print(text(r)));
    }
    out.flush();
    return exit;
  }

  static ObjectNode json(ReconcileResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("app", r.app());
    o.put("recipe", r.recipe());
    o.put("outcome", r.outcome().label());
    o.put("dryRun", r.dryRun());
    o.put("from", r.from());
    o.put("to", r.to());
    o.put("running", r.running());
    o.put("lastGood", r.lastGood());
    try {
      o.set("gate", r.gate() == null ? null : JSON.readTree(r.gate().toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("gate decision is not JSON", e);
    }
    o.put("snapshotId", r.snapshotId());
    o.put("reason", r.reason());
    o.put("alertId", r.alertId());
    ArrayNode steps = o.putArray("steps");
    r.steps().forEach(steps::add);
    ObjectNode t = o.putObject("timings");
    r.timings().forEach((k, v) -> t.put(k + "Millis", v));
    o.put("exitCode", r.exitCode());
    return o;
  }

  static String text(ReconcileResult r) {
    StringBuilder b = new StringBuilder();
    b.append(r.app()).append(": ").append(r.dryRun() ? "plan: " : "").append(r.outcome().label());
    if (r.from() != null || r.to() != null) {
      b.append(" (").append(r.from() == null ? "not deployed" : r.from()).append(" -> ")
          .append(r.to() == null ? r.from() : r.to()).append(")");
    }
    if (r.reason() != null) {
      b.append(": ").append(r.reason());
    }
    b.append('\n');
    r.steps().forEach(s -> b.append("  - ").append(s).append('\n'));
    if (r.gate() != null && r.gate().isHold()) {
      b.append(r.gate().toText().indent(2));
    }
    if (r.alertId() != null) {
      b.append("  alert ").append(r.alertId()).append('\n');
    }
    b.append("  took ").append(r.timings().getOrDefault("total", 0L)).append(" ms\n");
    return b.toString();
  }
}
