package warm.nightly.status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import warm.core.WarmException;

/**
 * The status as a Prometheus textfile (node_exporter's textfile collector, text exposition format 0.0.4): gauges
 * named {@code warm_*}, versions as labels. Written to a hidden temp file in the same directory, fsynced, then
 * renamed over the target, so the collector never reads half a file; mode 0644, since node_exporter runs as its own
 * user (the file holds no secret: names, versions and sizes).
 */
public final class PrometheusTextfile {
  private PrometheusTextfile() {}

  /** One metric family: its help, and its samples (label set → value) in order. */
  private record Family(String name, String help, Map<String, Double> samples) {}

  /** The textfile's content. */
  public static String render(Status s) {
    List<Family> fams = new ArrayList<>();
    Family info = family(fams, "warm_canonical_info",
        "Canonical of an enrolled or seeded recipe (1); labels carry its versions and known-good.");
    Family enrolled = family(fams, "warm_canonical_enrolled", "Whether the configuration enrolls the recipe.");
    Family seeded = family(fams, "warm_canonical_seeded", "Whether the recipe has a canonical (canonical.json).");
    Family age = family(fams, "warm_known_good_age_seconds", "Age of the recipe's known-good snapshot.");
    Family size = family(fams, "warm_known_good_logical_bytes", "Logical size of the recipe's known-good snapshot.");
    Family vol = family(fams, "warm_canonical_volume_state",
        "The canonical's volume state: 1 for the current state label (clean, dirty, missing, unknown), else 0.");
    Family journal = family(fams, "warm_journal_in_flight",
        "Whether a journal is on disk for the app (1 running, 2 interrupted: run warm recover), else 0.");
    Family lastQuick = family(fams, "warm_last_quick_passed",
        "Whether the recipe's last quick run passed (1) or not (0); absent before the first.");
    Family lastPromote = family(fams, "warm_last_promote_succeeded",
        "Whether the recipe's last promotion or seed advanced the canonical (1) or not (0); absent before the first.");
    for (Status.Recipe r : s.recipes()) {
      String app = labels("recipe", r.recipe());
      if (r.lastQuick() != null) {
        lastQuick.samples.put(app, "pass".equals(r.lastQuick().outcome()) ? 1.0 : 0.0);
      }
      if (r.lastPromote() != null) {
        lastPromote.samples.put(app, "promoted".equals(r.lastPromote().outcome()) ? 1.0 : 0.0);
      }
      info.samples.put(labels("recipe", r.recipe(), "domain", r.domain(), "version", r.version(), "commit",
          r.commit(), "known_good", r.knownGoodId(), "method", r.method()), 1.0);
      enrolled.samples.put(app, r.enrolled() ? 1.0 : 0.0);
      seeded.samples.put(app, r.seeded() ? 1.0 : 0.0);
      Duration a = r.knownGoodAge(s.at());
      if (a != null) {
        age.samples.put(app, (double) a.toSeconds());
      }
      if (r.logicalBytes() >= 0) {
        size.samples.put(app, (double) r.logicalBytes());
      }
      for (Status.VolumeKind k : Status.VolumeKind.values()) {
        vol.samples.put(labels("recipe", r.recipe(), "state", k.label()), r.volumeState() == k ? 1.0 : 0.0);
      }
      journal.samples.put(labels("app", r.recipe()), journalValue(r.journal()));
    }
    Family infraInfo = family(fams, "warm_infra_info",
        "Infra app (1); labels carry the running, last-good and held versions (empty when none).");
    Family held = family(fams, "warm_infra_held", "Whether the upgrade gate holds the infra app back.");
    Family recOk = family(fams, "warm_infra_last_reconcile_ok",
        "Whether the infra app's last reconcile did not fail (outcome label).");
    Family recAt = family(fams, "warm_infra_last_reconcile_timestamp_seconds",
        "When the infra app's last reconcile finished.");
    for (Status.Infra i : s.infra()) {
      String app = labels("app", i.app());
      infraInfo.samples.put(labels("app", i.app(), "domain", i.domain(), "running", i.running(), "last_good",
          i.lastGood(), "held_target", i.heldTarget()), 1.0);
      held.samples.put(app, i.heldTarget() == null ? 0.0 : 1.0);
      if (i.lastReconcile() != null) {
        recOk.samples.put(labels("app", i.app(), "outcome", i.lastReconcile().outcome()),
            i.lastReconcile().outcome().contains("fail") ? 0.0 : 1.0);
        recAt.samples.put(app, i.lastReconcile().finishedAt().toEpochMilli() / 1000.0);
      }
      journal.samples.put(labels("app", i.app()), journalValue(i.journal()));
    }
    family(fams, "warm_alerts_pending", "Alerts in the outbox not yet delivered by every channel.")
        .samples.put("", (double) s.alerts().pending());
    if (s.alerts().oldestAt() != null) {
      family(fams, "warm_alerts_oldest_pending_age_seconds", "Age of the oldest undelivered alert.")
          .samples.put("", (double) Duration.between(s.alerts().oldestAt(), s.at()).toSeconds());
    }
    if (s.nightly() != null) {
      family(fams, "warm_nightly_last_exit", "Exit code of the last warm nightly (0: all green and promoted).")
          .samples.put("", (double) s.nightly().exit());
      family(fams, "warm_nightly_last_finished_timestamp_seconds", "When the last warm nightly ended.")
          .samples.put("", s.nightly().finishedAt().toEpochMilli() / 1000.0);
      family(fams, "warm_nightly_last_promoted", "Recipes the last warm nightly promoted.")
          .samples.put("", (double) s.nightly().promoted());
    }
    Status.Disk d = s.disk();
    Family used = family(fams, "warm_disk_used_bytes",
        "Disk used by warm data, by allocated extents (part total: shared extents once).");
    d.parts().forEach((part, bytes) -> used.samples.put(labels("part", part), (double) bytes));
    used.samples.put(labels("part", "total"), (double) d.usedBytes());
    family(fams, "warm_disk_shared_bytes", "Bytes the volumes and snapshots share (reflink), counted once.")
        .samples.put("", (double) d.sharedBytes());
    if (d.budgetBytes() != null) {
      family(fams, "warm_disk_budget_bytes", "The disk budget of warm data.")
          .samples.put("", (double) d.budgetBytes());
      family(fams, "warm_disk_warn_ratio", "Share of the budget at which usage is a warning.")
          .samples.put("", d.warnPercent() / 100.0);
    }
    family(fams, "warm_disk_budget_exceeded", "Whether warm data is over the disk budget.")
        .samples.put("", d.level() == DiskBudget.Level.EXCEEDED ? 1.0 : 0.0);
    family(fams, "warm_status_attention", "Items that need the operator (warm status exits 4 when above 0).")
        .samples.put("", (double) s.attention().size());
    family(fams, "warm_status_timestamp_seconds", "When this status was read.")
        .samples.put("", s.at().toEpochMilli() / 1000.0);

    StringBuilder b = new StringBuilder();
    for (Family f : fams) {
      if (f.samples.isEmpty()) {
        continue;
      }
      b.append("# HELP ").append(f.name).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      b.append("# TYPE ").append(f.name).append(" gauge\n");
      f.samples.forEach((l, v) -> b.append(f.name).append(l).append(' ').append(number(v)).append('\n'));
    }
    return b.toString();
  }

  private static double journalValue(Status.Journal j) {
    return j == null ? 0.0 : j.writerAlive() ? 1.0 : 2.0;
  }

  private static Family family(List<Family> fams, String name, String help) {
    Family f = new Family(name, help, new LinkedHashMap<>());
    fams.add(f);
    return f;
  }

  /** {@code {k1="v1",…}}; a null value is the empty string (Prometheus treats it as an absent label). */
  static String labels(String... kv) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(kv[i]).append("=\"").append(escape(kv[i + 1] == null ? "" : kv[i + 1])).append('"');
    }
    return b.append('}').toString();
  }

  /** Label value escaping of the text format: backslash, double quote and line feed. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * Writes the textfile atomically: temp file beside it, fsync, rename over it.
   *
   * @throws WarmException (infra) when the directory is missing or not writable
   */
  public static void write(Path target, String content) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename atomically into " + dir, e);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the failure below is what matters
      }
      throw WarmException.infra("cannot write the Prometheus textfile " + target + ": " + reason(e, dir), e);
    }
  }

  /** What went wrong, said of the directory an operator names in the config, not of the hidden temp file. */
  private static String reason(IOException e, Path dir) {
    if (e instanceof NoSuchFileException) {
      return "its directory " + dir + " does not exist (create it, or fix status.textfile / --textfile)";
    }
    if (e instanceof AccessDeniedException) {
      return "its directory " + dir + " is not writable by this user";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + " (in " + dir + ")";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
