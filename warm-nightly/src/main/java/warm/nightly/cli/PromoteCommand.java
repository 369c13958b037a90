package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import warm.nightly.canonical.PromoteResult;
import warm.nightly.canonical.Promotion;
import warm.quick.cli.Cli;

/** {@code warm promote}: a green cold run on the latest release advances the recipe's canonical (or seeds it). */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = {"Advance a canonical to the latest release after a green cold run of it (no canonical yet: seed).",
        "Deploy the canonical at that release over its data-warm volumes (restored to the known-good first unless"
            + " they are at it), run CHECK (optional, after --, exit 0 required), undeploy, snapshot, swap the"
            + " known-good, write canonical.json.",
        "Any failure rolls back to the old known-good (a failed first seed removes everything it made) and alerts.",
        "Exit 0 promoted, 1 CHECK failed (rolled back), 2 refused (not enrolled, not latest, cold result not",
        "green; nothing changed), 4 infrastructure failure (rolled back, or the rollback failed: critical alert)."})
public final class PromoteCommand implements Callable<Integer> {
  /** How long SIGTERM waits for the rollback (undeploy + restore) before the JVM exits anyway (as the quick lane). */
  static final Duration ROLLBACK_BOUND = Duration.ofMinutes(15);

  @Mixin Cli.Common common;

  @Option(names = "--recipe", required = true, description = "an enrolled recipe")
  String recipe;

  @Option(names = "--commit", paramLabel = "SHA",
      description = "the recipe commit the cold run deployed; must be the latest release's")
  String commit;

  @Option(names = "--cold-result", paramLabel = "FILE",
      description = "the cold run's result JSON {recipe, version, commit, mode: cold, outcome: pass}")
  Path coldResult;

  @Parameters(paramLabel = "CHECK", arity = "0..*", description = "check the upgraded canonical must pass (after --)")
  List<String> check;

  @Override
  public Integer call() throws Exception {
    Promotion promotion = Promotion.create(common.config());
    CountDownLatch reported = new CountDownLatch(1);
    // SIGTERM (a CI cancel, a service stop) rolls back like any failure (I5), then the JVM exits (143).
    Thread hook = new Thread(() -> {
      promotion.cancel();
      try {
        reported.await(ROLLBACK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "warm-promote-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return promote(promotion);
    } finally {
      reported.countDown();
    }
  }

  private int promote(Promotion promotion) throws Exception {
    PromoteResult r = promotion.promote(recipe, Optional.ofNullable(commit),
        Optional.ofNullable(coldResult), check == null ? List.of() : check);
    if (common.json) {
      System.out.println(new ObjectMapper().writeValueAsString(r.json()));
    } else if (r.promoted()) {
      System.out.println((r.seed() ? "seeded " : "promoted ") + r.recipe() + " to " + r.version() + " ("
          + r.commit() + "), known-good " + r.snapshotId()
          + (r.previousSnapshotId() == null ? "" : " (was " + r.previousSnapshotId() + ")"));
    }
    if (!r.promoted()) {
      System.err.println("error: " + (r.seed() ? "seed" : "promotion") + " of " + r.recipe() + " to " + r.version()
          + " failed: " + r.reason() + (r.restored() ? (r.seed() ? " (everything it made was removed)"
          : " (rolled back: known-good " + r.snapshotId() + " restored and verified)") : ""));
    }
    return r.exit().code();
  }
}
