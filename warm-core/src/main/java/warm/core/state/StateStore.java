package warm.core.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import warm.core.WarmException;
import warm.core.naming.Naming;

/**
 * The per-app state files under the state root (DESIGN §5): {@code <root>/<app>/canonical.json},
 * {@code last-good.json}, {@code volume-state.json} and {@code journal.json}. Every write is atomic and durable
 * ({@link AtomicFiles}); a missing file reads as empty; a damaged one is an infra error naming the file, never a
 * silent default. Each file is replaced on its own, so writing one never clobbers its siblings (a snapshot swap
 * never touches them either).
 *
 * <p>Callers serialise their writes per app with the app's lock ({@code warm.core.lock.AppLocks}).
 */
public final class StateStore {
  /** Where the upgrade gate keeps the upstream notes it fetched, {@code <root>/gate-cache/<app>/<version>}. */
  public static final String GATE_CACHE = "gate-cache";

  /**
   * Directory names the state root uses for itself (recipes/ and apps/ are the swarm adapter's defaults); an app
   * of such a name would mix its state into them (and prune would judge a gate-cache app's files as notes).
   */
  public static final Set<String> RESERVED_NAMES = Set.of("alerts", "locks", "recipes", "apps", GATE_CACHE);

  private final Path root;

  /** The state under {@code root} (the configuration's {@code stateRoot}). */
  public StateStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The state root. */
  public Path root() {
    return root;
  }

  /**
   * The app's directory, after checking its name: a recipe name (canonicals) or infra app name, never a path
   * ({@code /}, {@code ..}) and never a reserved name.
   *
   * @throws WarmException (usage) for a bad name
   */
  public Path appDir(String app) {
    Naming.requireRecipeName(app);
    if (RESERVED_NAMES.contains(app)) {
      throw WarmException.usage("app name '" + app + "' is reserved for the state root's own "
          + app + "/ directory; rename the app");
    }
    return root.resolve(app);
  }

  /** Where that state file of the app lives (whether or not it exists). */
  public Path path(String app, StateFile<?> file) {
    return appDir(app).resolve(file.fileName());
  }

  /** The app's record, or empty when the file does not exist. */
  public <T> Optional<T> read(String app, StateFile<T> file) {
    return StateJson.read(path(app, file), file.type());
  }

  /** Replaces the app's record atomically, creating the app directory ({@code 0700}) when missing. */
  public <T> void write(String app, StateFile<T> file, T value) {
    if (value == null) {
      throw new IllegalArgumentException("null " + file + " for app " + app + ": delete it instead");
    }
    StateJson.write(path(app, file), value);
  }

  /**
   * Reads, changes and writes the app's record (under the caller's app lock).
   *
   * @throws WarmException (infra) when the file does not exist: there is nothing to update
   */
  public <T> T update(String app, StateFile<T> file, UnaryOperator<T> change) {
    T current = read(app, file).orElseThrow(() -> WarmException.infra(
        "cannot update " + path(app, file) + ": it does not exist"));
    T next = change.apply(current);
    write(app, file, next);
    return next;
  }

  /** Deletes the app's record durably; returns whether it existed. */
  public boolean delete(String app, StateFile<?> file) {
    return AtomicFiles.delete(path(app, file));
  }

  /**
   * The apps that have a state directory, sorted. Entries that are not valid app names (an operator's backup
   * copy, the reserved directories) are not apps and are left out.
   */
  public List<String> apps() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!RESERVED_NAMES.contains(name) && isAppName(name)) {
          out.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw WarmException.infra("cannot list " + root + ": " + AtomicFiles.describe(e), e);
    }
    out.sort(null);
    return out;
  }

  private static boolean isAppName(String name) {
    try {
      Naming.requireRecipeName(name);
      return true;
    } catch (WarmException e) {
      return false;
    }
  }
}
