package warm.nightly.status;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.config.DiskSettings;
import warm.core.config.WarmConfig;
import warm.core.lock.LockFile;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.state.StateFile;
import warm.core.state.StateJson;
import warm.core.state.StateStore;
import warm.nightly.canonical.AppRefs;
import warm.snapshot.SpaceUsage;

/**
 * The disk budget of warm data (canonicals' volumes and every snapshot store, counted by extents so a reflinked
 * snapshot's shared blocks count once), and its one alert per crossing. The nightly, prune and {@code warm status}
 * call {@link #check}; they share the crossing record {@code <root>/alerts/disk-budget.json}, so whichever sees a
 * crossing first raises the {@code disk-budget-exceeded} alert and the others raise nothing until usage has gone
 * back under the budget and crossed it again.
 */
public final class DiskBudget {
  private static final Logger LOG = LoggerFactory.getLogger(DiskBudget.class);
  /** The alert kind raised on a crossing. */
  public static final String ALERT_KIND = "disk-budget-exceeded";
  static final String MARK = "disk-budget.json";

  private DiskBudget() {}

  /** Where usage stands against the budget. */
  public enum Level {
    /** No budget is configured. */
    NO_BUDGET,
    /** Under the warning share. */
    OK,
    /** At or above the warning share, not above the budget. */
    WARNING,
    /** Above the budget. */
    EXCEEDED;

    /** The label used in every output ({@code no-budget}, {@code ok}, …). */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The budget in bytes: {@code budgetBytes}, or {@code budgetPercent} of {@code filesystemBytes} (rounded down);
   * empty when no budget is configured.
   */
  static Optional<Long> budgetBytes(DiskSettings s, long filesystemBytes) {
    if (s.budgetBytes() != null) {
      return Optional.of(s.budgetBytes());
    }
    if (s.budgetPercent() != null) {
      return Optional.of(filesystemBytes / 100 * s.budgetPercent() + filesystemBytes % 100 * s.budgetPercent() / 100);
    }
    return Optional.empty();
  }

  /**
   * The level of {@code usedBytes} against {@code budget}: over it is EXCEEDED (equal is not), at or above
   * {@code warnPercent} of it is WARNING.
   */
  static Level level(long usedBytes, Optional<Long> budget, int warnPercent) {
    if (budget.isEmpty()) {
      return Level.NO_BUDGET;
    }
    long b = budget.get();
    if (usedBytes > b) {
      return Level.EXCEEDED;
    }
    // used * 100 >= b * warn, without overflow: compare in double only past 2^53 bytes (8 PB), where it is exact enough.
    boolean warn = usedBytes < (1L << 53) / 100 && b < (1L << 53) / 100
        ? usedBytes * 100 >= b * warnPercent
        : (double) usedBytes * 100 >= (double) b * warnPercent;
    return warn ? Level.WARNING : Level.OK;
  }

  /** The warm volumes and snapshot stores to count: canonicals (enrolled or seeded) and every app's snapshots. */
  static Status.Disk measure(WarmConfig config, Optional<Platform> platform) {
    StateStore state = new StateStore(config.stateRoot());
    List<String> problems = new ArrayList<>();
    Set<String> canonicals = new LinkedHashSet<>();
    config.recipes().forEach(r -> canonicals.add(r.name()));
    List<Path> snapshots = new ArrayList<>();
    for (String app : state.apps()) {
      snapshots.add(state.appDir(app).resolve("snapshots"));
      if (Files.exists(state.path(app, StateFile.CANONICAL))) {
        canonicals.add(app);
      }
    }
    List<Path> volumes = new ArrayList<>();
    if (platform.isEmpty()) {
      problems.add("warm volumes not counted: Docker did not answer");
    } else {
      for (String app : canonicals) {
        try {
          AppRef ref = AppRefs.of(config, app);
          platform.get().volumes(ref).stream().map(VolumeInfo::mountpoint).forEach(volumes::add);
        } catch (RuntimeException e) {
          problems.add("volumes of " + app + " not counted: " + e.getMessage());
        }
      }
    }
    Map<String, List<Path>> parts = new LinkedHashMap<>();
    parts.put("volumes", volumes);
    parts.put("snapshots", snapshots);
    SpaceUsage.Report r = SpaceUsage.measure(parts);
    if (r.problemCount() > 0) {
      problems.add(r.problemCount() + " entries could not be read (" + String.join("; ", r.problems()) + ")");
    }
    long fsBytes = filesystemBytes(config.stateRoot(), volumes, problems);
    Optional<Long> budget = budgetBytes(config.disk(), fsBytes);
    return new Status.Disk(r.parts(), r.totalBytes(), r.sharedBetweenParts(), r.extentMapped(), fsBytes,
        budget.orElse(null), config.disk().warnPercent(), level(r.totalBytes(), budget, config.disk().warnPercent()),
        problems);
  }

  /** Total size of the distinct filesystems holding the state root (or its nearest existing parent) and the volumes. */
  static long filesystemBytes(Path stateRoot, List<Path> volumes, List<String> problems) {
    Set<FileStore> stores = new LinkedHashSet<>();
    Path p = stateRoot.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    List<Path> where = new ArrayList<>();
    if (p != null) {
      where.add(p);
    }
    where.addAll(volumes);
    long total = 0;
    for (Path w : where) {
      try {
        FileStore s = Files.getFileStore(w);
        if (stores.add(s)) {
          total += s.getTotalSpace();
        }
      } catch (IOException e) {
        problems.add("size of the filesystem of " + w + " unknown: " + e.getMessage());
      }
    }
    return total;
  }

  /**
   * Measures warm data, and raises the {@code disk-budget-exceeded} alert when usage has crossed the budget since
   * the last check (once per crossing). Never throws for the alert: a failure to record it is logged.
   *
   * @return the measured disk status
   */
  public static Status.Disk check(WarmConfig config, Optional<Platform> platform, Alerts alerts) {
    Status.Disk d = measure(config, platform);
    alertOnCrossing(config.stateRoot(), d, alerts);
    return d;
  }

  /**
   * What the last check found, so a crossing alerts once.
   *
   * @param exceeded whether usage was over the budget
   * @param since when that state began
   * @param alertId the alert raised for the crossing, or null
   */
  record Mark(boolean exceeded, String since, String alertId) {}

  /**
   * Raises the alert when {@code d} is over the budget and the last check was not (or there was none); records
   * going back under, so the next crossing alerts again. Skips when another process is checking right now.
   *
   * @return the alert raised, if any
   */
  static Optional<Alert> alertOnCrossing(Path stateRoot, Status.Disk d, Alerts alerts) {
    Path alertsDir = stateRoot.toAbsolutePath().normalize().resolve("alerts");
    Path markFile = alertsDir.resolve(MARK);
    boolean over = d.level() == Level.EXCEEDED;
    try {
      // The common case (no crossing) reads only: no lock file, no directory is created.
      if (over == StateJson.read(markFile, Mark.class).map(Mark::exceeded).orElse(false)) {
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      LOG.warn("disk budget: {} unreadable ({}); checking under the lock", markFile, e.getMessage());
    }
    Optional<LockFile> lock;
    try {
      lock = LockFile.tryLock(alertsDir.resolve("disk-budget.lock"), "disk budget check");
    } catch (RuntimeException e) {
      LOG.warn("disk budget: cannot lock {}: {}", alertsDir, e.getMessage());
      return Optional.empty();
    }
    if (lock.isEmpty()) {
      return Optional.empty(); // another process checks the same figures right now
    }
    try (LockFile held = lock.get()) {
      boolean wasOver;
      try {
        wasOver = StateJson.read(markFile, Mark.class).map(Mark::exceeded).orElse(false);
      } catch (RuntimeException e) {
        wasOver = false; // a damaged record is replaced below; at worst one alert too many, never one too few
      }
      if (over == wasOver) {
        return Optional.empty();
      }
      Alert raised = null;
      if (over) {
        raised = Alert.builder(ALERT_KIND, null).severity(Alert.Severity.WARNING)
            .message("warm data uses " + Bytes.human(d.usedBytes()) + " (" + d.usedBytes() + " bytes: volumes "
                + Bytes.human(d.parts().getOrDefault("volumes", 0L)) + ", snapshots "
                + Bytes.human(d.parts().getOrDefault("snapshots", 0L)) + "), over the disk budget of "
                + Bytes.human(d.budgetBytes()) + " (" + d.budgetBytes() + " bytes); run 'warm prune' or raise"
                + " disk.budgetBytes / disk.budgetPercent")
            .build();
        alerts.raise(raised);
      }
      StateJson.write(markFile, new Mark(over, Instant.now().toString(), raised == null ? null : raised.id()));
      return Optional.ofNullable(raised);
    } catch (RuntimeException e) {
      LOG.warn("disk budget: cannot record the check in {}: {}", markFile, e.getMessage());
      return Optional.empty();
    }
  }
}
