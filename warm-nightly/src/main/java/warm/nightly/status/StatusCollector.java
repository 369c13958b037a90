package warm.nightly.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import warm.core.alert.AlertOutbox;
import warm.core.alert.OutboxEntry;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.platform.DeployedVersion;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.state.CanonicalRecord;
import warm.core.state.InfraHold;
import warm.core.state.LastGood;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.nightly.sweep.LastNightly;
import warm.nightly.canonical.AppRefs;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;

/**
 * Gathers a {@link Status}: pure reading. It writes nothing, takes no lock (a status must answer while a nightly
 * or a quick run holds an app), and a file it cannot read becomes a problem in the status, never a failure of it.
 */
public final class StatusCollector {
  private final WarmConfig config;
  private final Optional<Platform> platform;
  private final List<String> problems;
  private final Clock clock;
  private final StateStore state;

  StatusCollector(WarmConfig config, Optional<Platform> platform, List<String> problems, Clock clock) {
    this.config = config;
    this.platform = platform;
    this.problems = new ArrayList<>(problems);
    this.clock = clock;
    this.state = new StateStore(config.stateRoot());
  }

  /** A collector on the configured platform; when Docker does not answer, the status says so and shows the rest. */
  public static StatusCollector forConfig(WarmConfig config) {
    try {
      return new StatusCollector(config, Optional.of(Platforms.create(config)), List.of(), Clock.systemUTC());
    } catch (RuntimeException e) {
      return new StatusCollector(config, Optional.empty(),
          List.of("Docker did not answer, volumes and running versions are unknown: " + e.getMessage()),
          Clock.systemUTC());
    }
  }

  /** The platform the collector reads, if Docker answered. */
  public Optional<Platform> platform() {
    return platform;
  }

  /** Reads everything, with the disk figures already measured (by {@link DiskBudget#check}). */
  public Status collect(Status.Disk disk) {
    Instant now = clock.instant();
    Set<String> names = new TreeSet<>();
    config.recipes().forEach(r -> names.add(r.name()));
    Set<String> infraNames = new TreeSet<>();
    config.infra().forEach(i -> infraNames.add(i.name()));
    for (String app : safe(state::apps, List.<String>of(), "cannot list the state root")) {
      if (!infraNames.contains(app) && Files.exists(state.path(app, StateFile.CANONICAL))) {
        names.add(app);
      }
    }
    List<Status.Recipe> recipes = new ArrayList<>();
    names.forEach(n -> recipes.add(recipe(n)));
    List<Status.Infra> infra = new ArrayList<>();
    config.infra().forEach(a -> infra.add(infra(a)));
    return new Status(now, platform.map(Platform::name).orElse(null), recipes, infra, alerts(), disk, nightly(),
        problems);
  }

  /** The last nightly's summary, or null when none ran; an unreadable record is a problem, not a crash. */
  private Status.Nightly nightly() {
    Path file = config.stateRoot().resolve(LastNightly.FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode n = new ObjectMapper().readTree(file.toFile());
      int swept = 0;
      int promoted = 0;
      for (JsonNode e : n.path("sweep")) {
        if (!"not-reached".equals(e.path("cold").asText()) && !"skipped".equals(e.path("cold").asText())) {
          swept++;
        }
        if (e.path("promoted").asBoolean(false)) {
          promoted++;
        }
      }
      return new Status.Nightly(Instant.parse(n.path("finishedAt").asText()), n.path("exit").asInt(), swept, promoted,
          n.hasNonNull("error") ? n.get("error").asText() : null);
    } catch (IOException | RuntimeException e) {
      problems.add("cannot read " + file + ": " + e.getMessage());
      return null;
    }
  }

  /** Reads everything and measures the disk (no alert). */
  public Status collect() {
    return collect(DiskBudget.measure(config, platform));
  }

  private Status.Recipe recipe(String name) {
    List<String> issues = new ArrayList<>();
    boolean enrolled = config.recipe(name).isPresent();
    Optional<CanonicalRecord> rec = read(name, StateFile.CANONICAL, issues);
    String domain = rec.map(CanonicalRecord::domain).orElse(null);
    if (domain == null) {
      try {
        domain = config.canonicalDomain(name);
      } catch (RuntimeException e) {
        issues.add("no canonical domain: " + e.getMessage());
      }
    }
    Optional<SnapshotMeta> kg = Optional.empty();
    try {
      kg = SnapshotStore.forApp(config.stateRoot(), name).knownGood();
    } catch (RuntimeException e) {
      issues.add("known-good unreadable: " + e.getMessage());
    }
    if (rec.isPresent() && kg.isEmpty() && issues.isEmpty()) {
      issues.add("canonical.json names snapshot " + rec.get().snapshotId() + " but there is no known-good");
    }
    if (rec.isPresent() && kg.isPresent() && !kg.get().id().equals(rec.get().snapshotId())) {
      issues.add("canonical.json names snapshot " + rec.get().snapshotId() + " but the known-good is "
          + kg.get().id());
    }
    Optional<VolumeState> vs = read(name, StateFile.VOLUME_STATE, issues);
    Status.VolumeKind kind = vs.map(v -> v.kind() == VolumeState.Kind.CLEAN ? Status.VolumeKind.CLEAN
        : Status.VolumeKind.DIRTY).orElse(Status.VolumeKind.UNKNOWN);
    String detail = vs.map(VolumeState::id).orElse(null);
    if (kg.isPresent() && platform.isPresent() && domain != null) {
      try {
        Set<String> present = new TreeSet<>();
        for (VolumeInfo v : platform.get().volumes(new AppRef(name, domain))) {
          present.add(v.name());
        }
        List<String> missing = kg.get().volumes().keySet().stream().filter(v -> !present.contains(v)).sorted()
            .toList();
        if (!missing.isEmpty()) {
          kind = Status.VolumeKind.MISSING;
          detail = String.join(",", missing);
          issues.add("volume(s) " + missing + " of the known-good are missing from Docker (removed outside warm?)");
        }
      } catch (RuntimeException e) {
        issues.add("volumes unknown: " + e.getMessage());
      }
    }
    Status.Journal journal = journal(name, issues);
    return new Status.Recipe(name, enrolled, rec.isPresent(), domain, rec.map(CanonicalRecord::version).orElse(null),
        rec.map(CanonicalRecord::commit).orElse(null), rec.map(CanonicalRecord::promotedAt).orElse(null),
        kg.map(SnapshotMeta::id).orElse(null), kg.map(m -> parseInstant(m.createdAt())).orElse(null),
        kg.map(m -> m.method().label()).orElse(null), kg.map(SnapshotMeta::logicalBytes).orElse(-1L), kind, detail,
        journal, read(name, StateFile.LAST_QUICK, issues).orElse(null),
        read(name, StateFile.LAST_PROMOTE, issues).orElse(null), issues);
  }

  private Status.Infra infra(InfraApp a) {
    List<String> issues = new ArrayList<>();
    String running = null;
    if (platform.isPresent()) {
      try {
        Optional<DeployedVersion> d = platform.get().deployed(new AppRef(a.recipe(), a.domain()));
        running = d.map(DeployedVersion::effective).orElse(null);
        if (d.isEmpty()) {
          issues.add("not deployed");
        }
      } catch (RuntimeException e) {
        issues.add("running version unknown: " + e.getMessage());
      }
    }
    Optional<LastGood> lastGood = read(a.name(), StateFile.LAST_GOOD, issues);
    Optional<InfraHold> hold = read(a.name(), StateFile.HOLD, issues);
    Optional<ReconcileRecord> rec = read(a.name(), StateFile.RECONCILE, issues);
    rec.filter(r -> r.outcome().contains("fail")).ifPresent(r -> issues.add("last reconcile " + r.outcome()
        + (r.reason() == null ? "" : ": " + r.reason())));
    Status.Journal journal = journal(a.name(), issues);
    return new Status.Infra(a.name(), a.domain(), running, lastGood.map(LastGood::version).orElse(null),
        hold.map(InfraHold::target).orElse(null), hold.map(InfraHold::reasons).orElse(List.of()), rec.orElse(null),
        journal, issues);
  }

  private Status.Journal journal(String app, List<String> issues) {
    Optional<warm.core.state.Journal> j = read(app, StateFile.JOURNAL, issues);
    if (j.isEmpty()) {
      return null;
    }
    warm.core.state.Journal k = j.get();
    boolean alive = !k.writerIsDead();
    if (!alive) {
      issues.add("interrupted " + k.operation() + " run " + k.runId() + " at phase " + k.phase()
          + " (its process " + k.pid() + " is gone): run 'warm recover --app " + app + "'");
    }
    return new Status.Journal(k.operation(), k.runId(), k.phase(), k.startedAt(), k.pid(), alive);
  }

  private Status.Alerts alerts() {
    try {
      AlertOutbox outbox = new AlertOutbox(config.stateRoot());
      int count = outbox.pendingCount();
      List<OutboxEntry> pending = count == 0 ? List.of() : outbox.pending();
      OutboxEntry oldest = pending.isEmpty() ? null : pending.get(0);
      return new Status.Alerts(count, oldest == null ? null : oldest.alert().createdAt(),
          oldest == null ? null : oldest.alert().id());
    } catch (RuntimeException e) {
      problems.add("alert outbox unreadable: " + e.getMessage());
      return new Status.Alerts(0, null, null);
    }
  }

  private <T> Optional<T> read(String app, StateFile<T> file, List<String> issues) {
    try {
      return state.read(app, file);
    } catch (RuntimeException e) {
      issues.add(file + " unreadable: " + e.getMessage());
      return Optional.empty();
    }
  }

  private <T> T safe(Supplier<T> s, T fallback, String what) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      problems.add(what + ": " + e.getMessage());
      return fallback;
    }
  }

  private static Instant parseInstant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
