package warm.core.alert;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.IoReasons;
import warm.core.WarmException;
import warm.core.lock.LockFile;
import warm.core.state.AtomicFiles;
import warm.core.state.StateJson;

/**
 * The durable alert queue, {@code <root>/alerts/outbox/<id>.json} and {@code alerts/sent/}. An alert is written
 * here (atomically, fsynced) before anyone tries to deliver it, and leaves the outbox only when every configured
 * channel has confirmed it: an alert is never lost, and a retry never resends to a channel that already has it.
 *
 * <p>One process delivers at a time ({@code alerts/deliver.lock}), so two runs never send the same alert twice.
 * Within one pass a channel that fails is not tried again for the remaining alerts, so a dead endpoint costs one
 * timeout per pass, not one per alert.
 */
public final class AlertOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(AlertOutbox.class);
  /** How long a pass waits for another process's pass before leaving delivery to the next run. */
  static final Duration DELIVERY_LOCK_WAIT = Duration.ofSeconds(10);

  private final Path outbox;
  private final Path sent;
  private final Path lock;

  /** The outbox under {@code <stateRoot>/alerts}. */
  public AlertOutbox(Path stateRoot) {
    Path alerts = stateRoot.toAbsolutePath().normalize().resolve("alerts");
    this.outbox = alerts.resolve("outbox");
    this.sent = alerts.resolve("sent");
    this.lock = alerts.resolve("deliver.lock");
  }

  /** {@code <root>/alerts/outbox}. */
  public Path outboxDir() {
    return outbox;
  }

  /** {@code <root>/alerts/sent}. */
  public Path sentDir() {
    return sent;
  }

  /**
   * Stores the alert durably in the outbox.
   *
   * @return the outbox file
   * @throws WarmException (infra) when the disk fails us
   */
  public Path write(Alert alert) {
    Path file = outbox.resolve(alert.id() + ".json");
    if (Files.exists(file) || Files.exists(sent.resolve(file.getFileName()))) {
      throw new IllegalStateException("alert " + alert.id() + " is already stored");
    }
    StateJson.write(file, OutboxEntry.fresh(alert));
    AtomicFiles.createDirectories(sent);
    return file;
  }

  /** The alerts waiting in the outbox, oldest first. Unreadable files are reported by {@link #deliverPending}. */
  public List<OutboxEntry> pending() {
    List<OutboxEntry> out = new ArrayList<>();
    for (Path f : outboxFiles()) {
      try {
        StateJson.read(f, OutboxEntry.class).ifPresent(out::add);
      } catch (WarmException e) {
        LOG.warn("{}", e.getMessage());
      }
    }
    return out;
  }

  /** How many alerts wait in the outbox (readable or not). */
  public int pendingCount() {
    return outboxFiles().size();
  }

  /** The delivered alert of that id, if it is in {@code sent/}. */
  public Optional<OutboxEntry> sentEntry(String id) {
    return StateJson.read(sent.resolve(id + ".json"), OutboxEntry.class);
  }

  /**
   * Tries every pending alert on every channel that does not have it yet, and moves each alert every channel has
   * into {@code sent/}. Never throws for a failed delivery: failures are logged at WARN and returned.
   *
   * @param channels the configured channels; with none, alerts stay pending (and the report says why)
   */
  public DeliveryReport deliverPending(List<AlertChannel> channels) {
    List<Path> files = outboxFiles();
    if (files.isEmpty()) {
      return new DeliveryReport(List.of(), List.of(), List.of(), null);
    }
    if (channels.isEmpty()) {
      String note = "no alert channel is configured (notify): " + files.size()
          + " alert(s) wait in " + outbox;
      LOG.warn("{}", note);
      return new DeliveryReport(List.of(), ids(files), List.of(), note);
    }
    LockFile held;
    try {
      held = LockFile.lock(lock, "deliver alerts", DELIVERY_LOCK_WAIT, "alert delivery");
    } catch (WarmException e) {
      String note = "another process is delivering alerts (" + e.getMessage() + "); the next run retries";
      LOG.warn("{}", note);
      return new DeliveryReport(List.of(), ids(files), List.of(), note);
    }
    try (held) {
      return deliver(outboxFiles(), channels);
    }
  }

  private DeliveryReport deliver(List<Path> files, List<AlertChannel> channels) {
    List<String> sentIds = new ArrayList<>();
    List<String> pendingIds = new ArrayList<>();
    List<DeliveryReport.Failure> failures = new ArrayList<>();
    Map<String, String> downThisPass = new HashMap<>();
    for (Path f : files) {
      OutboxEntry entry;
      try {
        Optional<OutboxEntry> read = StateJson.read(f, OutboxEntry.class);
        if (read.isEmpty()) {
          continue; // delivered by a pass that ran before we took the lock
        }
        entry = read.get();
      } catch (WarmException e) {
        LOG.warn("alert file kept in the outbox: {}", e.getMessage());
        failures.add(new DeliveryReport.Failure(idOf(f), "outbox", e.getMessage()));
        pendingIds.add(idOf(f));
        continue;
      }
      Alert alert = entry.alert();
      Map<String, String> delivered = new LinkedHashMap<>();
      Map<String, String> errors = new LinkedHashMap<>();
      boolean tried = false;
      for (AlertChannel ch : channels) {
        if (entry.deliveredTo(ch)) {
          continue;
        }
        String down = downThisPass.get(ch.id());
        if (down != null) {
          errors.put(ch.describe(), "not tried: failed earlier in this pass (" + down + ")");
          continue;
        }
        tried = true;
        try {
          ch.deliver(alert);
          delivered.put(ch.id(), Instant.now().toString());
          LOG.info("alert {} delivered by {}", alert.id(), ch.describe());
        } catch (RuntimeException e) {
          String why = e.getMessage() == null ? e.toString() : e.getMessage();
          errors.put(ch.describe(), why);
          downThisPass.put(ch.id(), why);
          failures.add(new DeliveryReport.Failure(alert.id(), ch.describe(), why));
          LOG.warn("alert {} not delivered by {}: {} (kept in the outbox; the next run retries)", alert.id(),
              ch.describe(), why);
        }
      }
      OutboxEntry next = tried || !errors.isEmpty() ? entry.afterPass(delivered, errors, Instant.now()) : entry;
      boolean everywhere = channels.stream().allMatch(next::deliveredTo);
      try {
        if (next != entry) {
          StateJson.write(f, next);
        }
        if (everywhere) {
          AtomicFiles.moveInto(f, sent);
          sentIds.add(alert.id());
        } else {
          pendingIds.add(alert.id());
        }
      } catch (WarmException e) {
        // Delivered but not recorded: the next pass may resend it (at least once, never lost).
        LOG.warn("alert {}: cannot record delivery: {}", alert.id(), e.getMessage());
        failures.add(new DeliveryReport.Failure(alert.id(), "outbox", e.getMessage()));
        pendingIds.add(alert.id());
      }
    }
    return new DeliveryReport(sentIds, pendingIds, failures, null);
  }

  private List<Path> outboxFiles() {
    List<Path> out = new ArrayList<>();
    // Hidden temp files of AtomicFiles start with '.', so "*.json" never picks a half-written alert.
    try (DirectoryStream<Path> s = Files.newDirectoryStream(outbox, "[!.]*.json")) {
      s.forEach(out::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw WarmException.infra("cannot list " + outbox + ": " + IoReasons.of(e), e);
    }
    out.sort(null); // ids start with a UTC timestamp: oldest first
    return out;
  }

  private static List<String> ids(List<Path> files) {
    return files.stream().map(AlertOutbox::idOf).toList();
  }

  private static String idOf(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }
}
