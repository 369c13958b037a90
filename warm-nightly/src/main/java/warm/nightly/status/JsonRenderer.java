package warm.nightly.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import warm.core.state.LastRun;
import warm.core.state.ReconcileRecord;

/**
 * {@code warm status --json}: one JSON object. Built field by field (not bound from the records) so the keys are a
 * stable interface that a refactoring cannot rename; absent values are JSON null.
 */
public final class JsonRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRenderer() {}

  public static ObjectNode render(Status s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("at", s.at().toString());
    o.put("platform", s.platform());
    ArrayNode recipes = o.putArray("canonicals");
    for (Status.Recipe r : s.recipes()) {
      ObjectNode n = recipes.addObject();
      n.put("recipe", r.recipe());
      n.put("enrolled", r.enrolled());
      n.put("seeded", r.seeded());
      n.put("domain", r.domain());
      n.put("version", r.version());
      n.put("commit", r.commit());
      n.put("promotedAt", str(r.promotedAt()));
      ObjectNode kg = n.putObject("knownGood");
      kg.put("id", r.knownGoodId());
      kg.put("createdAt", str(r.knownGoodAt()));
      Duration age = r.knownGoodAge(s.at());
      if (age == null) {
        kg.putNull("ageSeconds");
      } else {
        kg.put("ageSeconds", age.toSeconds());
      }
      kg.put("method", r.method());
      if (r.logicalBytes() < 0) {
        kg.putNull("logicalBytes");
      } else {
        kg.put("logicalBytes", r.logicalBytes());
      }
      ObjectNode v = n.putObject("volumes");
      v.put("state", r.volumeState().label());
      v.put("detail", r.volumeDetail());
      journal(n, r.journal());
      lastRun(n, "lastQuick", r.lastQuick());
      lastRun(n, "lastPromote", r.lastPromote());
      problems(n, r.problems());
    }
    ArrayNode infra = o.putArray("infra");
    for (Status.Infra i : s.infra()) {
      ObjectNode n = infra.addObject();
      n.put("app", i.app());
      n.put("domain", i.domain());
      n.put("running", i.running());
      n.put("lastGood", i.lastGood());
      if (i.heldTarget() == null) {
        n.putNull("hold");
      } else {
        ObjectNode h = n.putObject("hold");
        h.put("target", i.heldTarget());
        ArrayNode reasons = h.putArray("reasons");
        i.holdReasons().forEach(reasons::add);
      }
      ReconcileRecord r = i.lastReconcile();
      if (r == null) {
        n.putNull("lastReconcile");
      } else {
        ObjectNode x = n.putObject("lastReconcile");
        x.put("outcome", r.outcome());
        x.put("from", r.from());
        x.put("to", r.to());
        x.put("running", r.running());
        x.put("reason", r.reason());
        x.put("finishedAt", str(r.finishedAt()));
        x.put("millis", r.millis());
      }
      journal(n, i.journal());
      problems(n, i.problems());
    }
    ObjectNode a = o.putObject("alerts");
    a.put("pending", s.alerts().pending());
    a.put("oldestAt", str(s.alerts().oldestAt()));
    a.put("oldestId", s.alerts().oldestId());
    if (s.nightly() == null) {
      o.putNull("nightly");
    } else {
      ObjectNode n = o.putObject("nightly");
      n.put("finishedAt", str(s.nightly().finishedAt()));
      n.put("exit", s.nightly().exit());
      n.put("swept", s.nightly().swept());
      n.put("promoted", s.nightly().promoted());
      n.put("error", s.nightly().error());
    }
    Status.Disk d = s.disk();
    ObjectNode disk = o.putObject("disk");
    disk.put("usedBytes", d.usedBytes());
    ObjectNode parts = disk.putObject("parts");
    d.parts().forEach(parts::put);
    disk.put("sharedBytes", d.sharedBytes());
    disk.put("extentMapped", d.extentMapped());
    disk.put("filesystemBytes", d.filesystemBytes());
    if (d.budgetBytes() == null) {
      disk.putNull("budgetBytes");
    } else {
      disk.put("budgetBytes", d.budgetBytes());
    }
    disk.put("warnPercent", d.warnPercent());
    disk.put("level", d.level().label());
    problems(disk, d.problems());
    ArrayNode problems = o.putArray("problems");
    s.problems().forEach(problems::add);
    ArrayNode attention = o.putArray("attention");
    s.attention().forEach(attention::add);
    o.put("ok", s.attention().isEmpty());
    return o;
  }

  private static void journal(ObjectNode n, Status.Journal j) {
    if (j == null) {
      n.putNull("journal");
      return;
    }
    ObjectNode o = n.putObject("journal");
    o.put("operation", j.operation());
    o.put("runId", j.runId());
    o.put("phase", j.phase());
    o.put("startedAt", str(j.startedAt()));
    o.put("pid", j.pid());
    o.put("inFlight", j.writerAlive());
  }

  private static void problems(ObjectNode n, List<String> problems) {
    ArrayNode a = n.putArray("problems");
    problems.forEach(a::add);
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  private static void lastRun(ObjectNode n, String key, LastRun l) {
    if (l == null) {
      n.putNull(key);
      return;
    }
    ObjectNode o = n.putObject(key);
    o.put("outcome", l.outcome());
    o.put("runId", l.runId());
    o.put("version", l.version());
    o.put("reason", l.reason());
    o.put("finishedAt", str(l.finishedAt()));
  }
}
