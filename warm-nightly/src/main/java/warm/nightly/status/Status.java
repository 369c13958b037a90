package warm.nightly.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import warm.core.state.LastRun;
import java.util.Map;
import warm.core.state.ReconcileRecord;

/**
 * What {@code warm status} shows, as read at one instant: canonicals, infra apps, undelivered alerts and disk. Pure
 * values; {@link #attention()} lists what needs the operator (a non-empty list is exit 4).
 *
 * @param at when it was read
 * @param platform the platform adapter's name, or null when Docker did not answer
 * @param recipes every enrolled or seeded recipe, by name
 * @param infra every configured infra app
 * @param alerts the alert outbox
 * @param disk warm data against the budget
 * @param nightly the last nightly's summary ({@code <stateRoot>/nightly.json}), or null when none ran
 * @param problems what could not be read at all (Docker not answering), one line each
 */
public record Status(Instant at, String platform, List<Recipe> recipes, List<Infra> infra, Alerts alerts, Disk disk,
    Nightly nightly, List<String> problems) {
  public Status {
    recipes = List.copyOf(recipes);
    infra = List.copyOf(infra);
    problems = List.copyOf(problems);
  }

  /** Everything that needs the operator, one line each; empty when all is well. */
  public List<String> attention() {
    List<String> out = new ArrayList<>(problems);
    recipes.forEach(r -> r.problems().forEach(p -> out.add(r.recipe() + ": " + p)));
    infra.forEach(i -> i.problems().forEach(p -> out.add(i.app() + ": " + p)));
    if (alerts.pending() > 0) {
      out.add(alerts.pending() + " alert(s) undelivered since " + alerts.oldestAt() + " (warm alerts)");
    }
    if (disk.level() == DiskBudget.Level.EXCEEDED) {
      out.add("disk: warm data uses " + disk.usedBytes() + " bytes, over the budget of " + disk.budgetBytes());
    }
    disk.problems().forEach(p -> out.add("disk: " + p));
    if (nightly != null && nightly.exit() != 0) {
      out.add("the last nightly (" + nightly.finishedAt() + ") exited " + nightly.exit()
          + (nightly.error() == null ? "" : ": " + nightly.error()));
    }
    return out;
  }

  /**
   * The last nightly, as {@code warm nightly} recorded it.
   *
   * @param finishedAt when it ended
   * @param exit its exit code (0: every enrolled recipe green and promoted)
   * @param swept recipes it cold-ran
   * @param promoted recipes green and promoted
   * @param error a run-level failure, or null
   */
  public record Nightly(Instant finishedAt, int exit, int swept, int promoted, String error) {}

  /**
   * The volume state of a canonical.
   */
  public enum VolumeKind {
    /** Equal to a snapshot. */
    CLEAN,
    /** Possibly changed by a run. */
    DIRTY,
    /** A volume the known-good has is gone. */
    MISSING,
    /** No volume-state.json (or no known-good to compare with). */
    UNKNOWN;

    /** The lower-case label used in every output. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A journal on disk: an operation in flight, or one a killed run left.
   *
   * @param operation quick, promote, reconcile, …
   * @param runId the run's id
   * @param phase the last phase reached
   * @param startedAt when it began
   * @param pid the process that wrote it
   * @param writerAlive whether that process still runs (else {@code warm recover} must finish it)
   */
  public record Journal(String operation, String runId, String phase, Instant startedAt, long pid,
      boolean writerAlive) {}

  /**
   * One enrolled or seeded recipe.
   *
   * @param recipe the recipe name
   * @param enrolled whether the configuration enrolls it
   * @param seeded whether it has a canonical.json
   * @param domain the canonical's domain (recorded, else configured)
   * @param version the promoted version, or null
   * @param commit the promoted commit, or null
   * @param promotedAt when it was promoted, or null
   * @param knownGoodId the known-good snapshot's id, or null
   * @param knownGoodAt when the known-good snapshot was taken, or null
   * @param method how it was stored (reflink, copy, tar), or null
   * @param logicalBytes the known-good's logical size, or -1
   * @param volumeState clean, dirty, missing or unknown
   * @param volumeDetail the snapshot id (clean), run id (dirty) or missing volume names
   * @param journal the journal on disk, or null
   * @param lastQuick how the last quick run ended ({@code last-quick.json}), or null
   * @param lastPromote how the last promotion or seed ended ({@code last-promote.json}), or null
   * @param problems what needs the operator about this recipe
   */
  public record Recipe(String recipe, boolean enrolled, boolean seeded, String domain, String version, String commit,
      Instant promotedAt, String knownGoodId, Instant knownGoodAt, String method, long logicalBytes,
      VolumeKind volumeState, String volumeDetail, Journal journal, LastRun lastQuick, LastRun lastPromote,
      List<String> problems) {
    public Recipe {
      problems = List.copyOf(problems);
    }

    /** Age of the known-good at {@code now}, or null without one. */
    public Duration knownGoodAge(Instant now) {
      Instant t = knownGoodAt != null ? knownGoodAt : promotedAt;
      return t == null ? null : Duration.between(t, now);
    }
  }

  /**
   * One infra app.
   *
   * @param app its name
   * @param domain its domain
   * @param running the version its stack runs (chaos version for a chaos deploy), or null when nothing runs or
   *     Docker did not answer
   * @param lastGood the recorded last-good version, or null
   * @param heldTarget the version the gate holds back, or null
   * @param holdReasons why, one line per reason
   * @param lastReconcile the last reconcile outcome, or null
   * @param journal the journal on disk, or null
   * @param problems what needs the operator about this app
   */
  public record Infra(String app, String domain, String running, String lastGood, String heldTarget,
      List<String> holdReasons, ReconcileRecord lastReconcile, Journal journal, List<String> problems) {
    public Infra {
      holdReasons = List.copyOf(holdReasons);
      problems = List.copyOf(problems);
    }
  }

  /**
   * The alert outbox.
   *
   * @param pending alerts not yet delivered everywhere
   * @param oldestAt when the oldest of them was raised, or null
   * @param oldestId its id, or null
   */
  public record Alerts(int pending, Instant oldestAt, String oldestId) {}

  /**
   * Warm data on disk against the budget.
   *
   * @param parts bytes per part ({@code volumes}: canonicals' volumes; {@code snapshots}: every snapshot store)
   * @param usedBytes all parts together, shared extents once
   * @param sharedBytes bytes counted in both parts but held once (reflinked snapshots)
   * @param extentMapped whether every file's extents were mapped
   * @param filesystemBytes total size of the filesystems holding the state root and the counted volumes
   * @param budgetBytes the budget, or null when none is configured
   * @param warnPercent the warning share of the budget
   * @param level no budget, ok, warning or exceeded
   * @param problems what could not be measured
   */
  public record Disk(Map<String, Long> parts, long usedBytes, long sharedBytes, boolean extentMapped,
      long filesystemBytes, Long budgetBytes, int warnPercent, DiskBudget.Level level, List<String> problems) {
    public Disk {
      parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
      problems = List.copyOf(problems);
    }
  }
}
