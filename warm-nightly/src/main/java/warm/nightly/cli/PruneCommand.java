package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.nightly.prune.Candidate;
import warm.nightly.prune.Kept;
import warm.nightly.prune.PruneReport;
import warm.nightly.prune.Pruning;
import warm.quick.cli.Cli;

/** {@code warm prune [--dry-run] [--json]}: removes what is no longer warm data of an enrolled recipe (I8). */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Remove what is no longer warm data of an enrolled recipe, and nothing else.", "",
        "Removes: canonicals of recipes no longer enrolled (after prune.deenrolledGraceMinutes), interrupted",
        "work (.tmp-*), snapshots superseded by the known-good, per-run cold apps and realms of dead runs,",
        "dangling Docker images (only above prune.imagePruneAbovePercent, only while nothing deploys).",
        "Never: an enrolled canonical's volumes or known-good, an infra app, a run in flight, a live realm.",
        "See docs/prune.md.", "",
        "Exit codes: 0 done (also when there was nothing to do), 2 bad input or configuration (nothing",
        "changed), 4 a removal failed or something could not be judged (the rest was still attempted)."})
public final class PruneCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  Cli.Common common;

  @Option(names = "--dry-run", description = "list exactly what would be removed and why; change nothing")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PruneReport r = Pruning.run(common.config(), dryRun);
    if (!dryRun) {
      DiskBudgetCheck.after("prune", common.config());
    }
    if (common.json) {
      System.out.println(JSON.writeValueAsString(json(r)));
    } else {
      print(r);
    }
    return r.exitCode().code();
  }

  static ObjectNode json(PruneReport r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("command", "prune");
    o.put("dryRun", r.dryRun());
    ArrayNode cs = o.putArray("candidates");
    for (Candidate c : r.plan().candidates()) {
      cs.addObject().put("kind", c.kind().json()).put("name", c.name()).put("reason", c.reason())
          .put("bytes", c.bytes());
    }
    kept(o.putArray("kept"), r.plan().kept());
    ArrayNode removed = o.putArray("removed");
    r.removed().forEach(c -> removed.add(c.name()));
    kept(o.putArray("skipped"), r.skipped());
    ArrayNode failed = o.putArray("failed");
    r.failed().forEach(f -> failed.addObject().put("kind", f.candidate().kind().json())
        .put("name", f.candidate().name()).put("error", f.error()));
    ArrayNode problems = o.putArray("problems");
    r.plan().problems().forEach(problems::add);
    o.put("candidateBytes", r.plan().bytes());
    o.put("freedBytes", r.freedBytes());
    o.put("exitCode", r.exitCode().code());
    return o;
  }

  private static void kept(ArrayNode a, List<Kept> ks) {
    ks.forEach(k -> a.addObject().put("kind", k.kind().json()).put("name", k.name()).put("reason", k.reason()));
  }

  private static void print(PruneReport r) {
    for (Candidate c : r.plan().candidates()) {
      String verb = r.dryRun() ? "would remove" : r.removed().contains(c) ? "removed" : "not removed";
      System.out.println(verb + " " + c.kind().json() + " " + c.name() + " (" + c.bytes() + " bytes): " + c.reason());
    }
    r.plan().kept().forEach(k -> System.out.println("kept " + k.kind().json() + " " + k.name() + ": " + k.reason()));
    r.skipped().forEach(k -> System.out.println("skipped " + k.kind().json() + " " + k.name() + ": " + k.reason()));
    r.failed().forEach(f -> System.out.println("FAILED " + f.candidate().kind().json() + " " + f.candidate().name()
        + ": " + f.error()));
    r.plan().problems().forEach(p -> System.out.println("PROBLEM " + p));
    System.out.println(r.dryRun()
        ? "dry run: would remove " + r.plan().candidates().size() + " item(s), " + r.plan().bytes() + " bytes; nothing changed"
        : "removed " + r.removed().size() + " of " + r.plan().candidates().size() + " item(s), " + r.freedBytes()
            + " bytes freed");
  }
}
