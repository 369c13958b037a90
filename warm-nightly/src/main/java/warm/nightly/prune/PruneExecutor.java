package warm.nightly.prune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.IoReasons;
import warm.core.WarmException;
import warm.core.alert.AlertOutbox;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.fs.TreeDeletion;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.sso.RealmManager;
import warm.core.state.CanonicalRecord;
import warm.core.state.Deenrolled;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.nightly.canonical.SnapshotRecords;
import warm.nightly.sweep.ColdRun;
import warm.snapshot.SnapshotStore;

/**
 * Removes what a {@link PrunePlan} lists, each under the lock of what it belongs to (an app's, a cold run's), so an
 * operation that started since the plan is never cut short: such a candidate is skipped. Every removal is logged with
 * what it held; a failed one is reported and the rest still attempted.
 */
public final class PruneExecutor {
  private static final Logger LOG = LoggerFactory.getLogger("warm.prune");

  private final WarmConfig config;
  private final Platform platform;
  private final Images images;
  private final RealmManager realms;
  private final Clock clock;
  private final StateStore state;
  private final AppLocks locks;

  /** @param realms the live-warm Keycloak's realms; null when none is configured */
  public PruneExecutor(WarmConfig config, Platform platform, Images images, RealmManager realms, Clock clock) {
    this.config = config;
    this.platform = platform;
    this.images = images;
    this.realms = realms;
    this.clock = clock;
    this.state = new StateStore(config.stateRoot());
    this.locks = new AppLocks(config.stateRoot());
  }

  /** Carries the plan out. */
  public PruneReport execute(PrunePlan plan) {
    Outcome o = new Outcome();
    for (String app : plan.deenrolledNow()) {
      try {
        state.write(app, StateFile.DEENROLLED, new Deenrolled(clock.instant()));
        LOG.info("{} {}: no longer in the configuration; kept for {} minutes (deenrolled.json)", kindOf(app).json(),
            app, config.prune().deenrolledGraceMinutes());
      } catch (RuntimeException e) {
        o.failed.add(new PruneReport.Failure(new Candidate(kindOf(app), app, "first seen de-enrolled", 0, app,
            null), "cannot write deenrolled.json: " + e.getMessage()));
      }
    }
    for (String app : plan.reenrolled()) {
      try {
        state.delete(app, StateFile.DEENROLLED);
        LOG.info("{}: configured again; its de-enrolment mark is cleared", app);
      } catch (RuntimeException e) {
        o.failed.add(new PruneReport.Failure(new Candidate(kindOf(app), app, "enrolled again", 0, app, null),
            "cannot delete deenrolled.json: " + e.getMessage()));
      }
    }
    Map<String, List<Candidate>> byStore = new LinkedHashMap<>();
    for (Candidate c : plan.candidates()) {
      switch (c.kind()) {
        case SNAPSHOT, LEFTOVER -> {
          if (c.app() == null) {
            attempt(o, c, () -> removeRootLeftover(c));
          } else {
            byStore.computeIfAbsent(c.app(), k -> new ArrayList<>()).add(c);
          }
        }
        case COLD_APP -> attempt(o, c, () -> removeColdApp(o, c));
        case RUN_LOCK -> attempt(o, c, () -> removeRunLock(o, c));
        case REALM -> attempt(o, c, () -> {
          realms.delete(c.item());
          return true;
        });
        case SENT_ALERT -> attempt(o, c, () -> removeSentAlert(o, c));
        case GATE_NOTE -> attempt(o, c, () -> removeGateNote(o, c));
        case CANONICAL, INFRA_STATE, IMAGES -> { } // app directories after their stores' neighbours; images last
      }
    }
    byStore.forEach((app, cs) -> pruneStore(o, app, cs));
    for (Candidate c : plan.candidates()) {
      if (c.kind() == Kind.CANONICAL) {
        attempt(o, c, () -> removeCanonical(o, c));
      } else if (c.kind() == Kind.INFRA_STATE) {
        attempt(o, c, () -> removeInfraState(o, c));
      }
    }
    for (Candidate c : plan.candidates()) {
      if (c.kind() == Kind.IMAGES) {
        attempt(o, c, () -> removeImages(o, c));
      }
    }
    long freed = o.removed.stream().mapToLong(Candidate::bytes).sum();
    LOG.info("prune: removed {} of {} candidate(s), {} bytes freed; {} skipped, {} failed", o.removed.size(),
        plan.candidates().size(), freed, o.skipped.size(), o.failed.size());
    return new PruneReport(plan, false, o.removed, o.skipped, o.failed, freed);
  }

  /** A removal: true when done, false when skipped (the reason is recorded by the step). */
  private interface Step {
    boolean run();
  }

  private void attempt(Outcome o, Candidate c, Step step) {
    try {
      if (step.run()) {
        o.removed.add(c);
        LOG.info("removed {} {} ({} bytes): {}", c.kind().json(), c.name(), c.bytes(), c.reason());
      }
    } catch (RuntimeException e) {
      LOG.error("could not remove {} {}: {}", c.kind().json(), c.name(), e.getMessage());
      o.failed.add(new PruneReport.Failure(c, e.getMessage()));
    }
  }

  // ------------------------------------------------------------------------------------------------- stores

  private void pruneStore(Outcome o, String app, List<Candidate> cs) {
    Optional<LockFile> lock;
    try {
      lock = locks.tryAcquire(app, "prune");
    } catch (RuntimeException e) {
      cs.forEach(c -> o.failed.add(new PruneReport.Failure(c, e.getMessage())));
      return;
    }
    if (lock.isEmpty()) {
      cs.forEach(c -> skip(o, c, "app " + app + " is busy now (its lock is held)"));
      return;
    }
    try (LockFile held = lock.get()) {
      boolean infra = config.infra().stream().map(InfraApp::name).anyMatch(app::equals);
      Set<String> ids = cs.stream().filter(c -> c.kind() == Kind.SNAPSHOT).map(Candidate::item)
          .collect(Collectors.toSet());
      SnapshotStore store = SnapshotStore.forApp(config.stateRoot(), app);
      // An infra app's snapshots are never pruned: only its leftovers go (no id listed).
      List<String> removed = store.prune(new SnapshotRecords(state, app).named(), infra ? Set.of() : ids);
      for (Candidate c : cs) {
        String entry = c.kind() == Kind.SNAPSHOT ? "snap-" + c.item() : c.item();
        if (removed.contains(entry)) {
          o.removed.add(c);
          LOG.info("removed {} {} ({} bytes): {}", c.kind().json(), c.name(), c.bytes(), c.reason());
        } else {
          skip(o, c, "no longer removable under the store's rules (it became the known-good or a record names it)");
        }
      }
    } catch (RuntimeException e) {
      cs.forEach(c -> o.failed.add(new PruneReport.Failure(c, e.getMessage())));
    }
  }

  /** A state-root leftover of an interrupted canonical removal. Only prune makes them, under the prune lock. */
  private boolean removeRootLeftover(Candidate c) {
    Path p = config.stateRoot().resolve(c.item());
    if (!c.item().startsWith(".tmp-") || !p.getParent().equals(config.stateRoot())) {
      throw WarmException.usage("not a leftover of the state root: " + c.item());
    }
    TreeDeletion.deleteOrFail(p);
    return true;
  }

  // --------------------------------------------------------------------------------------------- canonicals

  private boolean removeCanonical(Outcome o, Candidate c) {
    String app = c.app();
    Optional<LockFile> lock = locks.tryAcquire(app, "prune (de-enrolled canonical)");
    if (lock.isEmpty()) {
      return skip(o, c, "app " + app + " is busy now (its lock is held)");
    }
    try (LockFile held = lock.get()) {
      if (config.recipe(app).isPresent()) {
        throw WarmException.usage("refusing to remove canonical " + app + ": its recipe is enrolled");
      }
      Optional<CanonicalRecord> record = state.read(app, StateFile.CANONICAL);
      AppRef ref = new AppRef(app, record.map(CanonicalRecord::domain).orElse(c.item()));
      platform.removeApp(ref);
      if (!platform.volumes(ref).isEmpty() || platform.anythingRunning(ref)) {
        throw WarmException.infra("canonical " + app + " (" + ref.domain() + ") was not fully removed");
      }
      removeAppDir(app);
      return true;
    }
  }

  /**
   * The state directory of an infra app removed from {@code infra[]}, under its lock; asked again there: configured
   * again, an operation's journal, or its stack running now each stop it. Its stack and volumes are never touched.
   */
  private boolean removeInfraState(Outcome o, Candidate c) {
    String app = c.app();
    state.appDir(app); // a reserved or invalid name is refused before anything is taken or removed
    Optional<LockFile> lock = locks.tryAcquire(app, "prune (infra app removed from infra[])");
    if (lock.isEmpty()) {
      return skip(o, c, "app " + app + " is busy now (its lock is held)");
    }
    try (LockFile held = lock.get()) {
      if (config.infra().stream().map(InfraApp::name).anyMatch(app::equals) || config.recipe(app).isPresent()) {
        throw WarmException.usage("refusing to remove the state of " + app + ": it is configured");
      }
      if (state.read(app, StateFile.JOURNAL).isPresent()) {
        return skip(o, c, "an operation's journal.json is there now: run 'warm recover' first");
      }
      if (state.read(app, StateFile.CANONICAL).isPresent()) {
        return skip(o, c, "it has a canonical.json now: the canonical rule judges it");
      }
      if (platform.anythingRunning(new AppRef(app, c.item()))) {
        return skip(o, c, "its stack runs on the Swarm now: the operator's to remove first");
      }
      removeAppDir(app);
      return true;
    }
  }

  /** Renames first: a crash mid-delete leaves a .tmp-* the next prune removes, never half a state directory. */
  private void removeAppDir(String app) {
    Path dir = state.appDir(app);
    if (Files.exists(dir)) {
      Path doomed = config.stateRoot().resolve(".tmp-prune-" + app + "-" + Naming.randomHex());
      try {
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw WarmException.infra("cannot move " + dir + " aside: " + e.getMessage(), e);
      }
      // Stops at the first path it cannot remove (never following a link out of the copy); the leftover stays,
      // renamed, for the next prune.
      TreeDeletion.deleteOrFail(doomed);
    }
  }

  /** How the de-enrolment mark's app is named in the log: a canonical, or an infra app's state. */
  private Kind kindOf(String app) {
    try {
      return state.read(app, StateFile.CANONICAL).isEmpty() && state.read(app, StateFile.RECONCILE).isPresent()
          ? Kind.INFRA_STATE : Kind.CANONICAL;
    } catch (RuntimeException e) {
      return Kind.CANONICAL; // a damaged record only changes this label; the plan judged the app already
    }
  }

  // ---------------------------------------------------------------------------------------------- cold runs

  private boolean removeColdApp(Outcome o, Candidate c) {
    AppRef ref = new AppRef(c.app(), c.item());
    if (!PrunePlanner.lockable(locks, ColdRun.lockName(ref))) {
      // No warm run can hold a lock of that name (judged by age alone in the plan).
      return removeApp(ref);
    }
    // Taking the run's lock first: a run of this app cannot start (or still be running) while we remove it.
    Optional<LockFile> lock = locks.tryAcquire(ColdRun.lockName(ref), "prune (dead cold run)");
    if (lock.isEmpty()) {
      return skip(o, c, "its run lock is held now: the run is alive");
    }
    try (LockFile held = lock.get()) {
      removeApp(ref);
      held.deleteAndClose(); // the run is over and its app gone: nothing is left to judge by its lock file
      return true;
    }
  }

  /** A cold run's lock file whose app is gone: deleted by its holder, so a run waiting on it starts on a new file. */
  private boolean removeRunLock(Outcome o, Candidate c) {
    AppRef ref = new AppRef(c.app(), c.item());
    Optional<LockFile> lock = locks.tryAcquire(ColdRun.lockName(ref), "prune (finished cold run's lock)");
    if (lock.isEmpty()) {
      return skip(o, c, "the lock is held now: a run of it started");
    }
    try (LockFile held = lock.get()) {
      // Asked again under the lock, which no run of it can take now: a run that created its app since the plan's
      // listing and died keeps its lock file, by which the next prune finds it dead.
      if (platform.anythingRunning(ref) || !platform.volumes(ref).isEmpty()) {
        return skip(o, c, "its app " + ref.domain() + " exists now: the next prune judges it as a cold app");
      }
      if (!held.deleteAndClose()) {
        throw WarmException.infra("cannot delete " + held.path() + " (see the log)");
      }
      return true;
    }
  }

  private boolean removeApp(AppRef ref) {
    platform.removeApp(ref);
    if (!platform.volumes(ref).isEmpty() || platform.anythingRunning(ref)) {
      throw WarmException.infra("cold app " + ref.domain() + " was not fully removed");
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------------- images

  private boolean removeImages(Outcome o, Candidate c) {
    Optional<String> busy = PrunePlanner.heldAppLock(config.stateRoot());
    if (busy.isPresent()) {
      return skip(o, c, busy.get() + " now: something may be deploying");
    }
    images.pruneDangling();
    return true;
  }

  // ------------------------------------------------------------------------------------ alerts and gate notes

  /** No lock: a delivered alert is never written again (delivery only moves new ones in, under its own lock). */
  private boolean removeSentAlert(Outcome o, Candidate c) {
    Path sent = new AlertOutbox(config.stateRoot()).sentDir();
    return removeAged(o, c, sent, config.prune().sentAlertAge(), "rewritten since the plan");
  }

  /**
   * No lock either: the gate reads a note whole in one read, so a note removed while a decision runs was read before
   * (unlinking does not cut an open file short) or is fetched again. One used since the plan (a hit touches it) stays.
   */
  private boolean removeGateNote(Outcome o, Candidate c) {
    if (!oneName(c.app())) {
      throw WarmException.usage("not an app's directory of the gate's cache: " + c.app());
    }
    Path dir = config.stateRoot().resolve(StateStore.GATE_CACHE).resolve(c.app());
    return removeAged(o, c, dir, config.prune().gateNoteAge(), "used since the plan");
  }

  /** Deletes file {@code c.item()} of {@code dir} when it is still at least {@code bound} old (never a link's target). */
  private boolean removeAged(Outcome o, Candidate c, Path dir, Duration bound, String young) {
    if (!oneName(c.item())) {
      throw WarmException.usage("not a file of " + dir + ": " + c.item());
    }
    Path f = dir.resolve(c.item());
    try {
      Instant modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
      if (Duration.between(modified, clock.instant()).compareTo(bound) < 0) {
        return skip(o, c, young + " (last written " + modified + ")");
      }
      Files.delete(f);
      return true;
    } catch (NoSuchFileException e) {
      return skip(o, c, "already gone");
    } catch (IOException e) {
      throw WarmException.infra("cannot delete " + f + ": " + IoReasons.of(e), e);
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Whether {@code name} names an entry of a directory, never a way out of it. */
  private static boolean oneName(String name) {
    return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0;
  }

  private static boolean skip(Outcome o, Candidate c, String why) {
    LOG.info("skipped {} {}: {}", c.kind().json(), c.name(), why);
    o.skipped.add(new Kept(c.kind(), c.name(), why));
    return false;
  }

  /** One execution's results. */
  private static final class Outcome {
    final List<Candidate> removed = new ArrayList<>();
    final List<Kept> skipped = new ArrayList<>();
    final List<PruneReport.Failure> failed = new ArrayList<>();
  }
}
