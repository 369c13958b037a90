package warm.nightly.status;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import warm.core.Durations;
import warm.core.state.LastRun;

/** {@code warm status} for people: one screen, sections for canonicals, infra, alerts and disk, then what needs doing. */
public final class TextRenderer {
  private TextRenderer() {}

  public static String render(Status s) {
    StringBuilder b = new StringBuilder();
    b.append("cc-ci-warm status at ").append(s.at()).append(" (platform: ")
        .append(s.platform() == null ? "Docker not answering" : s.platform()).append(")\n");
    b.append("\ncanonicals:\n");
    if (s.recipes().isEmpty()) {
      b.append("  none enrolled, none seeded\n");
    }
    for (Status.Recipe r : s.recipes()) {
      b.append("  ").append(r.recipe());
      if (!r.enrolled()) {
        b.append("  [seeded but not enrolled]");
      } else if (!r.seeded()) {
        b.append("  [enrolled, not seeded: the first green cold run seeds it]");
      }
      b.append('\n');
      if (r.domain() != null) {
        b.append("    domain      ").append(r.domain()).append('\n');
      }
      if (r.seeded()) {
        b.append("    version     ").append(r.version()).append("  commit ").append(r.commit()).append('\n');
      }
      if (r.knownGoodId() != null) {
        Duration age = r.knownGoodAge(s.at());
        b.append("    known-good  ").append(r.knownGoodId()).append("  age ")
            .append(age == null ? "?" : Durations.human(age)).append("  ").append(r.method())
            .append("  ").append(r.logicalBytes() < 0 ? "?" : Bytes.human(r.logicalBytes())).append('\n');
      }
      if (r.seeded() || r.volumeState() != Status.VolumeKind.UNKNOWN) {
        b.append("    volumes     ").append(volumes(r)).append('\n');
      }
      if (r.journal() != null) {
        Status.Journal j = r.journal();
        b.append("    journal     ").append(journal(j)).append('\n');
      }
      if (r.lastQuick() != null) {
        b.append("    last quick  ").append(lastRun(r.lastQuick())).append('\n');
      }
      if (r.lastPromote() != null) {
        b.append("    last promote ").append(lastRun(r.lastPromote())).append('\n');
      }
      problems(b, r.problems());
    }
    b.append("\ninfra apps:\n");
    if (s.infra().isEmpty()) {
      b.append("  none configured\n");
    }
    for (Status.Infra i : s.infra()) {
      b.append("  ").append(i.app()).append(" (").append(i.domain()).append(")\n");
      b.append("    running     ").append(i.running() == null ? "-" : i.running())
          .append("  last-good ").append(i.lastGood() == null ? "-" : i.lastGood()).append('\n');
      if (i.heldTarget() != null) {
        b.append("    held        ").append(i.heldTarget());
        i.holdReasons().forEach(x -> b.append("\n                ").append(x));
        b.append('\n');
      }
      if (i.lastReconcile() != null) {
        var r = i.lastReconcile();
        b.append("    reconcile   ").append(r.outcome()).append(" at ").append(r.finishedAt());
        if (r.reason() != null) {
          b.append(": ").append(r.reason());
        }
        b.append('\n');
      }
      if (i.journal() != null) {
        b.append("    journal     ").append(journal(i.journal())).append('\n');
      }
      problems(b, i.problems());
    }
    b.append("\nalerts: ");
    if (s.alerts().pending() == 0) {
      b.append("none undelivered\n");
    } else {
      b.append(s.alerts().pending()).append(" undelivered, oldest ").append(s.alerts().oldestId())
          .append(" (").append(s.alerts().oldestAt()).append(")\n");
    }
    b.append("\nnightly: ");
    Status.Nightly n = s.nightly();
    if (n == null) {
      b.append("none recorded\n");
    } else {
      b.append("last ").append(n.finishedAt()).append(", exit ").append(n.exit()).append(", ").append(n.promoted())
          .append(" of ").append(n.swept()).append(" swept recipe(s) promoted")
          .append(n.error() == null ? "" : " — " + n.error()).append('\n');
    }
    Status.Disk d = s.disk();
    b.append("\ndisk: warm data ").append(Bytes.human(d.usedBytes()));
    b.append(" (volumes ").append(Bytes.human(d.parts().getOrDefault("volumes", 0L)))
        .append(", snapshots ").append(Bytes.human(d.parts().getOrDefault("snapshots", 0L)))
        .append(", shared by reflink ").append(Bytes.human(d.sharedBytes())).append(")");
    if (!d.extentMapped()) {
      b.append(" [some files counted by blocks: shared extents may count twice]");
    }
    b.append('\n');
    if (d.budgetBytes() == null) {
      b.append("  budget: none configured\n");
    } else {
      b.append("  budget: ").append(Bytes.human(d.budgetBytes())).append(", ")
          .append(percent(d.usedBytes(), d.budgetBytes())).append(" used, warning at ").append(d.warnPercent())
          .append("%: ").append(d.level().label().toUpperCase(Locale.ROOT)).append('\n');
    }
    List<String> attention = s.attention();
    b.append('\n');
    if (attention.isEmpty()) {
      b.append("all well\n");
    } else {
      b.append("needs attention (").append(attention.size()).append("):\n");
      attention.forEach(a -> b.append("  - ").append(a).append('\n'));
    }
    return b.toString();
  }

  private static String volumes(Status.Recipe r) {
    return switch (r.volumeState()) {
      case CLEAN -> "clean at " + r.volumeDetail()
          + (r.knownGoodId() != null && !r.knownGoodId().equals(r.volumeDetail()) ? " (not the known-good)" : "");
      case DIRTY -> "dirty by run " + r.volumeDetail();
      case MISSING -> "MISSING: " + r.volumeDetail();
      case UNKNOWN -> "unknown (no volume-state.json)";
    };
  }

  private static String journal(Status.Journal j) {
    return j.operation() + " run " + j.runId() + " at phase " + j.phase() + " since " + j.startedAt()
        + (j.writerAlive() ? " (in flight, pid " + j.pid() + ")" : " (INTERRUPTED: pid " + j.pid() + " is gone)");
  }

  private static void problems(StringBuilder b, List<String> problems) {
    problems.forEach(p -> b.append("    ! ").append(p).append('\n'));
  }

  static String percent(long used, long budget) {
    return budget <= 0 ? "?" : String.format(Locale.ROOT, "%.1f%%", used * 100.0 / budget);
  }

  private static String lastRun(LastRun l) {
    return l.outcome() + (l.version() == null ? "" : " at " + l.version())
        + (l.runId() == null ? "" : " (" + l.runId() + ")") + ", " + l.finishedAt()
        + (l.reason() == null ? "" : ": " + l.reason());
  }
}
