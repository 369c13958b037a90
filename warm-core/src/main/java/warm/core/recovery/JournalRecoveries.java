package warm.core.recovery;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/**
 * The recovery registry of {@code warm recover}: reads an app's journal under its lock (DESIGN I7) and hands it to
 * the {@link JournalRecovery} of its kind. The providers are loaded by the caller's module (it declares
 * {@code uses}), so this class needs no service declaration of its own.
 */
public final class JournalRecoveries {
  private final WarmConfig config;
  private final StateStore store;
  private final Map<String, JournalRecovery> byKind = new LinkedHashMap<>();
  /** Opened on first use: a provider's recoverer may need Docker, which an app without a journal never does. */
  private final Map<String, JournalRecovery.Recoverer> opened = new LinkedHashMap<>();

  /**
   * The registry over {@code providers} (typically {@code ServiceLoader.load(JournalRecovery.class)}).
   *
   * @param config the configuration (state root, lock wait)
   * @param providers the installed recoveries; two for one kind are a packaging error
   * @throws WarmException (infrastructure) when two providers claim one kind
   */
  public JournalRecoveries(WarmConfig config, Iterable<JournalRecovery> providers) {
    this.config = config;
    this.store = new StateStore(config.stateRoot());
    for (JournalRecovery p : providers) {
      JournalRecovery before = byKind.putIfAbsent(p.kind(), p);
      if (before != null) {
        throw WarmException.infra("two recoveries for journal kind '" + p.kind() + "': "
            + before.getClass().getName() + " and " + p.getClass().getName());
      }
    }
  }

  /**
   * The kinds this registry can recover, sorted.
   *
   * @return the kinds
   */
  public java.util.SortedSet<String> kinds() {
    return new TreeSet<>(byKind.keySet());
  }

  /**
   * Finishes or rolls back what a killed operation left on {@code app}, by its journal's kind.
   *
   * @param app the app (a bad or reserved name is refused before the lock file is created)
   * @return what was done, empty when the app has no journal
   * @throws WarmException (infrastructure, exit 4) when the journal's kind has no recovery installed, or its
   *     recovery failed; the journal is kept either way
   */
  public Optional<String> recover(String app) {
    if (neverSeen(app)) {
      return Optional.empty();
    }
    try (LockFile lock = new AppLocks(config.stateRoot()).acquire(app, "recover", config.timeouts().lockWait())) {
      return recoverLocked(app);
    }
  }

  /**
   * As {@link #recover}, but leaves an app whose lock another process holds right now: its journal belongs to that
   * live operation, not to a killed one (the kernel frees a dead process's lock), so there is nothing to recover
   * and nothing to wait for. What a switch that re-runs a failed boot-time recover needs while a nightly runs.
   *
   * @param app the app
   * @return empty when the lock is busy; else what {@link #recover} returns
   */
  public Optional<Optional<String>> recoverUnlessBusy(String app) {
    if (neverSeen(app)) {
      return Optional.of(Optional.empty());
    }
    Optional<LockFile> lock = new AppLocks(config.stateRoot()).tryAcquire(app, "recover");
    if (lock.isEmpty()) {
      return Optional.empty();
    }
    try (LockFile held = lock.get()) {
      return Optional.of(recoverLocked(app));
    }
  }

  /**
   * An app without a directory under the state root (a mistyped name, an app never run here) has no journal, and
   * its lock would be a new file: answered "nothing to recover" without creating one. A live operation that is
   * creating the directory right now holds the lock, so its journal is not a killed one's either.
   *
   * @throws WarmException (usage) for a bad or reserved name
   */
  private boolean neverSeen(String app) {
    return !Files.exists(store.appDir(app), LinkOption.NOFOLLOW_LINKS);
  }

  private Optional<String> recoverLocked(String app) {
    Optional<Journal> found = store.read(app, StateFile.JOURNAL);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Journal j = found.get();
    JournalRecovery kind = byKind.get(j.operation());
    if (kind == null) {
      throw WarmException.infra("app " + app + " has an interrupted '" + j.operation() + "' operation (run "
          + j.runId() + ", phase " + j.phase() + ") that no installed module recovers (known kinds: "
          + String.join(", ", kinds()) + "); the journal is kept: " + store.path(app, StateFile.JOURNAL));
    }
    return Optional.of(opened.computeIfAbsent(j.operation(), k -> kind.open(config)).recover(j));
  }
}
