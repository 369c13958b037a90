package warm.nightly.prune;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import warm.core.Durations;
import warm.core.IoReasons;
import warm.core.WarmException;
import warm.core.alert.AlertOutbox;
import warm.core.config.InfraApp;
import warm.core.config.PruneSettings;
import warm.core.config.RecipeConfig;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.lock.LockHolder;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.sso.RealmManager;
import warm.core.sso.ReapPolicy;
import warm.core.sso.ReapReport;
import warm.core.sso.RunLiveness;
import warm.core.state.CanonicalRecord;
import warm.core.state.Deenrolled;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.nightly.canonical.SnapshotRecords;
import warm.nightly.sweep.ColdRun;
import warm.snapshot.SnapshotInfo;
import warm.snapshot.SnapshotStore;

/**
 * Decides what {@code warm prune} removes, and why, changing nothing (the dry run is this plan). The rules (I8):
 * <ul>
 *   <li>a canonical whose recipe is no longer enrolled goes once {@code prune.deenrolledGraceMinutes} have passed
 *       since prune first saw it so ({@code deenrolled.json});
 *   <li>the state directory of an infra app removed from {@code infra[]} (one with {@code reconcile.json}) goes after
 *       the same grace, counted the same way, once its stack is not on the Swarm;
 *   <li>{@code .tmp-*} interrupted work goes from every snapshot store and the state root; snapshots superseded by
 *       their store's known-good go unless a record names them (never an infra app's);
 *   <li>a per-run cold app goes when its run is dead: its run lock ({@link ColdRun#lockName}) exists and is free, or,
 *       for a run warm did not start (no lock file), it is older than {@code prune.deadRunAgeMinutes};
 *   <li>a cold run's lock file goes when its app is gone, the lock is free and the file is older than
 *       {@code prune.deadRunAgeMinutes} (app locks and the lock of a cold app still there never);
 *   <li>a per-run realm goes when its run is dead or it passed the TTL, after {@code prune.realmGraceMinutes};
 *   <li>dangling images go only above {@code prune.imagePruneAbovePercent} and while no app lock is held;
 *   <li>a delivered alert ({@code alerts/sent/}) goes once last written more than {@code prune.sentAlertAgeDays} ago;
 *   <li>a fetched upstream note ({@code gate-cache/<app>/}) goes once unused for {@code prune.gateNoteAgeDays}.
 * </ul>
 * Never: an enrolled canonical's volumes or known-good, a configured infra app, the stack or volumes of one removed
 * from {@code infra[]}, an app whose lock is held or whose journal waits for {@code warm recover}, a live run's app or
 * realm.
 */
public final class PrunePlanner {
  private final WarmConfig config;
  private final Platform platform;
  private final StackInventory stacks;
  private final Images images;
  private final RealmManager realms;
  private final Clock clock;
  private final StateStore state;
  private final AppLocks locks;

  /**
   * @param realms the live-warm Keycloak's realms; null when none is configured (realms are then not looked at)
   */
  public PrunePlanner(WarmConfig config, Platform platform, StackInventory stacks, Images images,
      RealmManager realms, Clock clock) {
    this.config = config;
    this.platform = platform;
    this.stacks = stacks;
    this.images = images;
    this.realms = realms;
    this.clock = clock;
    this.state = new StateStore(config.stateRoot());
    this.locks = new AppLocks(config.stateRoot());
  }

  /** Everything a prune would remove now, what it keeps and why. */
  public PrunePlan plan() {
    Work w = new Work(clock.instant());
    Set<String> enrolled = config.recipes().stream().map(RecipeConfig::name).collect(Collectors.toSet());
    Set<String> infra = config.infra().stream().map(InfraApp::name).collect(Collectors.toSet());
    // Stacks that are never a cold app, whatever their shape: canonicals (configured or recorded) and infra apps.
    for (String r : enrolled) {
      w.protectedStacks.add(Naming.stackName(config.canonicalDomain(r)));
    }
    for (InfraApp a : config.infra()) {
      w.protectedStacks.add(Naming.stackName(a.domain()));
    }
    for (String app : state.apps()) {
      try {
        planApp(w, app, enrolled.contains(app), infra.contains(app));
      } catch (RuntimeException e) {
        w.problems.add("app " + app + ": " + e.getMessage());
      }
    }
    rootLeftovers(w);
    List<StackInventory.Stack> present;
    try {
      present = stacks.stacks();
    } catch (RuntimeException e) {
      w.problems.add("cannot list the Swarm's stacks: " + e.getMessage());
      present = null;
    }
    if (present != null) {
      for (StackInventory.Stack s : present) {
        try {
          coldApp(w, s);
        } catch (RuntimeException e) {
          w.problems.add("stack " + s.name() + ": " + e.getMessage());
        }
      }
      realms(w, present);
      runLocks(w, present, enrolled, infra);
    }
    images(w);
    sentAlerts(w);
    gateNotes(w);
    return new PrunePlan(w.candidates, w.kept, w.problems, w.deenrolledNow, w.reenrolled);
  }

  // ----------------------------------------------------------------------------------------------------- apps

  private void planApp(Work w, String app, boolean enrolled, boolean infra) {
    Optional<CanonicalRecord> record = state.read(app, StateFile.CANONICAL);
    record.ifPresent(r -> w.protectedStacks.add(Naming.stackName(r.domain())));
    Optional<Deenrolled> marker = state.read(app, StateFile.DEENROLLED);
    if ((enrolled || infra) && marker.isPresent()) {
      w.reenrolled.add(app);
    }
    // An infra app's state without the app in infra[]: reconcile.json is written by every real reconcile, and a
    // canonical's directory never has one.
    Optional<ReconcileRecord> reconciled = record.isEmpty() && !enrolled && !infra
        ? state.read(app, StateFile.RECONCILE) : Optional.empty();
    Kind kind = reconciled.isPresent() ? Kind.INFRA_STATE : Kind.CANONICAL;
    Optional<LockHolder> holder = locks.holder(app);
    if (holder.isPresent()) {
      w.kept.add(new Kept(kind, app, "in flight: its lock is held by " + holder.get().describe()));
      return;
    }
    if (state.read(app, StateFile.JOURNAL).isPresent()) {
      w.kept.add(new Kept(kind, app, "an interrupted operation's journal.json is there: run 'warm recover'"
          + " first"));
      return;
    }
    if (reconciled.isPresent() && deconfiguredInfra(w, app, reconciled.get(), marker)) {
      return; // everything of it goes, its snapshots included
    }
    if (record.isPresent() && !enrolled && !infra) {
      Duration grace = config.prune().deenrolledGrace();
      if (marker.isEmpty()) {
        w.deenrolledNow.add(app);
        w.kept.add(new Kept(Kind.CANONICAL, app, "recipe not enrolled: first seen now; kept for the grace period ("
            + Durations.human(grace) + ", prune.deenrolledGraceMinutes)"));
      } else {
        Duration gone = Duration.between(marker.get().since(), w.now);
        if (gone.compareTo(grace) >= 0) {
          AppRef ref = new AppRef(app, record.get().domain());
          w.candidates.add(new Candidate(Kind.CANONICAL, app, "recipe not enrolled since " + marker.get().since()
              + " (" + Durations.human(gone) + " >= grace " + Durations.human(grace) + "): stack " + ref.stack()
              + ", its volumes, secrets, snapshots and state", canonicalBytes(app, ref), app, ref.domain()));
          return; // everything of it goes, its snapshots included
        }
        w.kept.add(new Kept(Kind.CANONICAL, app, "recipe not enrolled since " + marker.get().since()
            + "; within the grace period (" + Durations.human(grace) + "), removable after "
            + marker.get().since().plus(grace)));
      }
    }
    SnapshotStore store = SnapshotStore.forApp(config.stateRoot(), app);
    for (String l : store.leftovers()) {
      w.candidates.add(new Candidate(Kind.LEFTOVER, app + "/snapshots/" + l, "interrupted work in the snapshot store",
          Sizes.of(store.directory().resolve(l)), app, l));
    }
    if (infra || reconciled.isPresent()) {
      return; // an infra app's snapshots are the reconciler's (one removed from infra[]: until its directory goes)
    }
    Optional<String> kg = store.knownGoodId();
    if (kg.isEmpty()) {
      return; // no link: a damage to repair, never "nothing is known-good" (D2)
    }
    Set<String> named = new SnapshotRecords(state, app).named();
    for (SnapshotInfo s : store.list()) {
      if (!s.knownGood() && !named.contains(s.id())) {
        w.candidates.add(new Candidate(Kind.SNAPSHOT, app + "/snap-" + s.id(), "superseded by known-good "
            + kg.get() + "; no record names it", Sizes.of(store.directory().resolve("snap-" + s.id())), app, s.id()));
      }
    }
  }

  /**
   * An infra app removed from {@code infra[]}: its state directory goes after the de-configuration grace, counted like
   * a de-enrolled canonical's from {@code deenrolled.json}; never while its stack still runs (the stack and its
   * volumes are the operator's to remove), nor when the record does not say where it was deployed.
   *
   * @return whether the whole directory is a candidate
   */
  private boolean deconfiguredInfra(Work w, String app, ReconcileRecord last, Optional<Deenrolled> marker) {
    Duration grace = config.prune().deenrolledGrace();
    if (marker.isEmpty()) {
      w.deenrolledNow.add(app);
    }
    Instant since = marker.map(Deenrolled::since).orElse(w.now);
    String missing = marker.isEmpty() ? "not in infra[]: first seen now"
        : "not in infra[] since " + since;
    if (last.domain() == null) {
      w.kept.add(new Kept(Kind.INFRA_STATE, app, missing + "; its reconcile.json does not say where it was deployed"
          + " (written before warm recorded the domain), so whether it still runs cannot be told: once its stack is"
          + " gone, remove " + state.appDir(app) + " by hand"));
      return false;
    }
    AppRef ref = new AppRef(app, last.domain());
    if (platform.anythingRunning(ref)) {
      w.kept.add(new Kept(Kind.INFRA_STATE, app, missing + "; its stack " + ref.stack() + " still runs on the Swarm:"
          + " removing it is the operator's ('docker stack rm " + ref.stack() + "'); its state stays until then"));
      return false;
    }
    Duration gone = Duration.between(since, w.now);
    if (marker.isEmpty() || gone.compareTo(grace) < 0) {
      w.kept.add(new Kept(Kind.INFRA_STATE, app, missing + "; within the grace period (" + Durations.human(grace)
          + ", prune.deenrolledGraceMinutes), removable after " + since.plus(grace)));
      return false;
    }
    w.candidates.add(new Candidate(Kind.INFRA_STATE, app, missing + " (" + Durations.human(gone) + " >= grace "
        + Durations.human(grace) + ") and its stack " + ref.stack() + " is not on the Swarm: its state directory"
        + " (reconcile and hold records, pre-upgrade snapshots); not its volumes", Sizes.of(state.appDir(app)), app,
        ref.domain()));
    return true;
  }

  private long canonicalBytes(String app, AppRef ref) {
    long sum = Sizes.of(state.appDir(app));
    for (VolumeInfo v : platform.volumes(ref)) {
      sum += Sizes.of(v.mountpoint());
    }
    return sum;
  }

  /** {@code .tmp-*} in the state root: a canonical removal that was interrupted (the executor renames first). */
  private void rootLeftovers(Work w) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(config.stateRoot(), ".tmp-*")) {
      for (Path p : s) {
        w.candidates.add(new Candidate(Kind.LEFTOVER, p.getFileName().toString(),
            "interrupted work in the state root", Sizes.of(p), null, p.getFileName().toString()));
      }
    } catch (NoSuchFileException e) {
      // no state root yet: nothing to prune there
    } catch (IOException e) {
      w.problems.add("cannot list " + config.stateRoot() + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------------------ cold runs

  private void coldApp(Work w, StackInventory.Stack s) {
    if (w.protectedStacks.contains(s.name())) {
      return;
    }
    Optional<AppRef> app = new ColdStacks(config.domains().cold(), config.ciDomain()).appOf(s.name());
    if (app.isEmpty()) {
      return; // not a cold app of this host
    }
    AppRef ref = app.get();
    String lock = ColdRun.lockName(ref);
    // A stack name too long for a lock name cannot be a warm run's (ColdRun could not have locked it): no lock.
    boolean lockable = lockable(locks, lock);
    Optional<LockHolder> holder = lockable ? locks.holder(lock) : Optional.empty();
    if (holder.isPresent()) {
      w.liveStacks.add(s.name());
      w.kept.add(new Kept(Kind.COLD_APP, ref.domain(), "run in flight: its run lock is held by "
          + holder.get().describe()));
      return;
    }
    Duration maxAge = config.prune().deadRunAge();
    String reason;
    if (lockable && Files.exists(locks.path(lock))) {
      reason = "run dead: its run lock " + locks.path(lock).getFileName() + " exists and is free (the run ended"
          + " without removing its app)";
    } else if (s.createdAt() != null && Duration.between(s.createdAt(), w.now).compareTo(maxAge) >= 0) {
      reason = "no warm run lock (a run warm did not start) and created " + s.createdAt() + ", "
          + Durations.human(Duration.between(s.createdAt(), w.now)) + " ago >= prune.deadRunAgeMinutes ("
          + Durations.human(maxAge) + ")";
    } else {
      w.liveStacks.add(s.name());
      w.kept.add(new Kept(Kind.COLD_APP, ref.domain(), "no warm run lock and "
          + (s.createdAt() == null ? "its age is unknown" : "only " + Durations.human(Duration.between(s.createdAt(),
              w.now)) + " old (< " + Durations.human(maxAge) + ")") + ": it may be in flight"));
      return;
    }
    w.deadStacks.add(s.name());
    long bytes = 0;
    for (VolumeInfo v : platform.volumes(ref)) {
      bytes += Sizes.of(v.mountpoint());
    }
    w.candidates.add(new Candidate(Kind.COLD_APP, ref.domain(), reason + "; stack " + ref.stack()
        + " with its volumes and secrets", bytes, ref.recipe(), ref.domain()));
  }

  /**
   * Lock files of cold runs whose app is gone. A run deletes its own once its app's removal is checked, and prune
   * deletes one with the dead run's app it removes; these are the rest: runs that failed before, and files of
   * versions that never deleted them. Only names of the cold template's shape that are no app's name (a canonical's,
   * an infra app's, a state directory's) nor a protected stack's are looked at, so an app lock is never one. A young file is kept: the
   * Swarm's stacks were listed before the lock directory, and a run may have started in between.
   */
  private void runLocks(Work w, List<StackInventory.Stack> present, Set<String> enrolled, Set<String> infra) {
    Path dir = config.stateRoot().resolve("locks");
    ColdStacks shape = new ColdStacks(config.domains().cold(), config.ciDomain());
    Set<String> stacksThere = present.stream().map(StackInventory.Stack::name).collect(Collectors.toSet());
    Set<String> apps = new HashSet<>(state.apps());
    apps.addAll(enrolled);
    apps.addAll(infra);
    Duration maxAge = config.prune().deadRunAge();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "[!.]*.lock")) {
      s.forEach(files::add);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      w.problems.add("cannot list " + dir + ": " + e.getMessage());
      return;
    }
    files.sort(null);
    for (Path p : files) {
      String file = p.getFileName().toString();
      String name = file.substring(0, file.length() - ".lock".length());
      Optional<AppRef> ref = shape.appOf(name);
      if (ref.isEmpty() || apps.contains(name) || w.protectedStacks.contains(name) || stacksThere.contains(name)) {
        // an app lock; a name a canonical's or infra app's stack has (never a cold app, as above); a cold app still
        // there (the cold-app rule judges it, and its removal takes the file)
        continue;
      }
      String shown = "locks/" + file;
      try {
        Optional<LockHolder> holder = locks.holder(name);
        if (holder.isPresent()) {
          w.kept.add(new Kept(Kind.RUN_LOCK, shown, "held by " + holder.get().describe() + ": a run is starting"));
          continue;
        }
        Instant modified = Files.getLastModifiedTime(p).toInstant();
        Duration age = Duration.between(modified, w.now);
        if (age.compareTo(maxAge) < 0) {
          w.kept.add(new Kept(Kind.RUN_LOCK, shown, "its app is gone but the file was written " + modified
              + ", less than prune.deadRunAgeMinutes (" + Durations.human(maxAge) + ") ago"));
          continue;
        }
        w.candidates.add(new Candidate(Kind.RUN_LOCK, shown, "cold run of " + ref.get().domain() + " over: its app"
            + " is gone, the lock is free, the file is " + Durations.human(age) + " old", 0, ref.get().recipe(),
            ref.get().domain()));
      } catch (NoSuchFileException e) {
        // deleted since the listing (its run finished): nothing left to remove
      } catch (IOException | RuntimeException e) {
        w.problems.add(shown + ": " + e.getMessage());
      }
    }
  }

  /** Whether {@code name} is a valid lock name (a stack name of at most 64 characters). */
  static boolean lockable(AppLocks locks, String name) {
    try {
      locks.path(name);
      return true;
    } catch (WarmException e) {
      return false;
    }
  }

  // --------------------------------------------------------------------------------------------------- realms

  private void realms(Work w, List<StackInventory.Stack> present) {
    if (realms == null) {
      w.kept.add(new Kept(Kind.REALM, "*", "no Keycloak configured (keycloak.url): no realm looked at"));
      return;
    }
    Set<String> running = present.stream().filter(StackInventory.Stack::running).map(StackInventory.Stack::name)
        .collect(Collectors.toSet());
    // A realm's run is the stack stamped on it: dead when this plan found that cold app dead, alive when its run
    // lock is held or a service of it runs (a quick run's canonical); gone otherwise.
    RunLiveness alive = stack -> !w.deadStacks.contains(stack)
        && (w.liveStacks.contains(stack) || running.contains(stack));
    PruneSettings p = config.prune();
    ReapReport r;
    try {
      r = realms.reap(alive, new ReapPolicy(java.time.Duration.ofMinutes(config.keycloak().realmTtlMinutes()),
          p.realmGrace(), true));
    } catch (RuntimeException e) {
      w.problems.add("realms: " + e.getMessage());
      return;
    }
    for (ReapReport.Entry e : r.entries()) {
      switch (e.action()) {
        case WOULD_DELETE, DELETED -> w.candidates.add(new Candidate(Kind.REALM, e.realm(), e.reason(), 0, null,
            e.realm()));
        case KEPT -> w.kept.add(new Kept(Kind.REALM, e.realm(), e.reason()));
        case FAILED -> w.problems.add("realm " + e.realm() + ": " + e.reason());
      }
    }
  }

  // --------------------------------------------------------------------------------------------------- images

  private void images(Work w) {
    String what = "dangling images";
    int threshold = config.prune().imagePruneAbovePercent();
    if (threshold >= 100) {
      w.kept.add(new Kept(Kind.IMAGES, what, "never pruned (prune.imagePruneAbovePercent is 100)"));
      return;
    }
    OptionalDouble used;
    try {
      used = images.dataRootUsedPercent();
    } catch (RuntimeException e) {
      w.problems.add("images: cannot tell how full Docker's data root is: " + e.getMessage());
      return;
    }
    if (used.isEmpty()) {
      w.kept.add(new Kept(Kind.IMAGES, what, "cannot tell how full Docker's data root is: not pruned"));
      return;
    }
    String usage = String.format("Docker's data root is %.1f%% used", used.getAsDouble());
    if (used.getAsDouble() <= threshold) {
      w.kept.add(new Kept(Kind.IMAGES, what, usage + ", not above prune.imagePruneAbovePercent (" + threshold + "%)"));
      return;
    }
    Optional<String> busy = heldAppLock(config.stateRoot());
    if (busy.isPresent()) {
      w.kept.add(new Kept(Kind.IMAGES, what, usage + " but " + busy.get() + ": something may be deploying"));
      return;
    }
    List<Images.Dangling> d;
    try {
      d = images.dangling();
    } catch (RuntimeException e) {
      w.problems.add("images: cannot list dangling images: " + e.getMessage());
      return;
    }
    if (!d.isEmpty()) {
      w.candidates.add(new Candidate(Kind.IMAGES, what + " (" + d.size() + ")", usage + " > " + threshold
          + "% and no app lock is held: dangling images only (never --all, never volumes)",
          d.stream().mapToLong(Images.Dangling::bytes).sum(), null, null));
    }
  }

  // ------------------------------------------------------------------------------- alerts and gate notes

  /** Delivered alerts: {@link AlertOutbox} moves an alert there once every channel has it, and never reads it again. */
  private void sentAlerts(Work w) {
    Path dir = new AlertOutbox(config.stateRoot()).sentDir();
    Duration bound = config.prune().sentAlertAge();
    for (Path f : listing(w, dir, "[!.]*.json")) {
      String name = f.getFileName().toString();
      olderThan(w, "alerts/sent/" + name, f, bound).ifPresent(written -> w.candidates.add(new Candidate(
          Kind.SENT_ALERT, "alerts/sent/" + name, "delivered; last written " + written + ", "
          + Durations.human(Duration.between(written, w.now)) + " ago >= prune.sentAlertAgeDays ("
          + config.prune().sentAlertAgeDays() + " days)", Sizes.of(f), null, name)));
    }
  }

  /**
   * Upstream notes the gate fetched ({@code gate-cache/<app>/<version>}, and {@code .*.tmp} of a killed write). A
   * cache hit touches its note, so the age is since last use; a gate that needs a removed note fetches it again.
   */
  private void gateNotes(Work w) {
    Path cache = config.stateRoot().resolve(StateStore.GATE_CACHE);
    Duration bound = config.prune().gateNoteAge();
    for (Path appDir : listing(w, cache, "*")) {
      if (!Files.isDirectory(appDir, LinkOption.NOFOLLOW_LINKS)) {
        continue; // not the gate's: it only makes directories here
      }
      String app = appDir.getFileName().toString();
      for (Path f : listing(w, appDir, "*")) {
        String shown = StateStore.GATE_CACHE + "/" + app + "/" + f.getFileName();
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        olderThan(w, shown, f, bound).ifPresent(used -> w.candidates.add(new Candidate(Kind.GATE_NOTE, shown,
            "last used " + used + ", " + Durations.human(Duration.between(used, w.now))
            + " ago >= prune.gateNoteAgeDays (" + config.prune().gateNoteAgeDays() + " days)", Sizes.of(f), app,
            f.getFileName().toString())));
      }
    }
  }

  /** When {@code f} was last written, if at least {@code bound} ago; a file gone meanwhile is nothing. */
  private static Optional<Instant> olderThan(Work w, String shown, Path f, Duration bound) {
    try {
      Instant modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
      return Duration.between(modified, w.now).compareTo(bound) >= 0 ? Optional.of(modified) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      w.problems.add(shown + ": " + IoReasons.of(e));
      return Optional.empty();
    }
  }

  /** The entries of {@code dir} matching {@code glob}, sorted; none when it does not exist. */
  private static List<Path> listing(Work w, Path dir, String glob) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
      s.forEach(out::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      w.problems.add("cannot list " + dir + ": " + IoReasons.of(e));
      return List.of();
    }
    out.sort(null);
    return out;
  }

  /**
   * Which app lock is held now, if any: an operation that may deploy (an image it needs may be dangling for a moment).
   * The prune lock ({@code .prune.lock}) is not an app lock.
   */
  static Optional<String> heldAppLock(Path stateRoot) {
    Path dir = stateRoot.resolve("locks");
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "[!.]*.lock")) {
      for (Path p : s) {
        Optional<LockHolder> h = LockFile.holder(p);
        if (h.isPresent()) {
          String name = p.getFileName().toString();
          return Optional.of("lock '" + name.substring(0, name.length() - ".lock".length()) + "' is held by "
              + h.get().describe());
        }
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw WarmException.infra("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One plan's working sets. */
  private static final class Work {
    final Instant now;
    final List<Candidate> candidates = new ArrayList<>();
    final List<Kept> kept = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> deenrolledNow = new ArrayList<>();
    final List<String> reenrolled = new ArrayList<>();
    final Set<String> protectedStacks = new HashSet<>();
    final Set<String> deadStacks = new HashSet<>();
    final Set<String> liveStacks = new HashSet<>();

    Work(Instant now) {
      this.now = now;
    }
  }
}
