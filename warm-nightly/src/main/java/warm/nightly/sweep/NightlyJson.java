package warm.nightly.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import warm.nightly.reconcile.ReconcileResult;

/** The nightly report as one JSON object ({@code --json}, and {@code <stateRoot>/nightly.json} for status). */
public final class NightlyJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NightlyJson() {}

  public static ObjectNode of(NightlyReport r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("mode", "nightly");
    o.put("finishedAt", java.time.Instant.now().toString());
    o.put("exit", r.exit());
    o.put("error", r.error());
    o.put("alertId", r.alertId());
    o.put("millis", r.millis());
    ArrayNode infra = o.putArray("infra");
    for (ReconcileResult i : r.infra()) {
      ObjectNode n = infra.addObject();
      n.put("app", i.app());
      n.put("outcome", i.outcome().label());
      n.put("from", i.from());
      n.put("to", i.to());
      n.put("running", i.running());
      n.put("reason", i.reason());
      n.put("millis", i.timings().getOrDefault("total", 0L));
    }
    if (r.rebuildCommandExit() != null) {
      o.put("rebuildCommandExit", r.rebuildCommandExit());
    }
    ArrayNode sweep = o.putArray("sweep");
    for (SweepEntry e : r.sweep()) {
      ObjectNode n = sweep.addObject();
      n.put("recipe", e.recipe());
      n.put("cold", e.cold());
      n.put("version", e.version());
      if (e.promoted() == null) {
        n.putNull("promoted");
      } else {
        n.put("promoted", e.promoted());
      }
      n.put("promoteOutcome", e.promoteOutcome());
      n.put("reason", e.reason());
      n.put("coldMillis", e.coldMillis());
      n.put("promoteMillis", e.promoteMillis());
    }
    return o;
  }

  /** The operator's table. */
  public static String table(NightlyReport r) {
    StringBuilder b = new StringBuilder();
    if (r.error() != null) {
      b.append("nightly: ").append(r.error()).append('\n');
    }
    if (r.rebuildCommandExit() != null) {
      b.append("rebuild command exited ").append(r.rebuildCommandExit()).append('\n');
    }
    for (ReconcileResult i : r.infra()) {
      b.append(String.format("infra  %-20s %-16s %s%n", i.app(), i.outcome().label(),
          (i.from() == null ? "" : i.from() + " -> ") + (i.to() == null ? "" : i.to())
              + (i.reason() == null ? "" : "  (" + i.reason() + ")")));
    }
    if (!r.sweep().isEmpty()) {
      b.append(String.format("%-24s %-12s %-20s %-10s %9s %9s  %s%n", "recipe", "cold", "version", "promoted",
          "cold s", "promote s", "reason"));
      for (SweepEntry e : r.sweep()) {
        b.append(String.format("%-24s %-12s %-20s %-10s %9.1f %9.1f  %s%n", e.recipe(), e.cold(),
            e.version() == null ? "-" : e.version(), e.promoted() == null ? "-" : (e.promoted() ? "yes" : "NO"),
            e.coldMillis() / 1000.0, e.promoteMillis() / 1000.0, e.reason() == null ? "" : e.reason()));
      }
    }
    b.append("exit ").append(r.exit()).append(", ").append(r.millis() / 1000).append(" s")
        .append(r.alertId() == null ? "" : ", alert " + r.alertId()).append('\n');
    return b.toString();
  }
}
