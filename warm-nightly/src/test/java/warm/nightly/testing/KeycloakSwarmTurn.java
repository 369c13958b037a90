package warm.nightly.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One class at a time of those that boot {@link KeycloakRecipe}'s Swarm-deployed Keycloak over and over, across
 * warm-nightly's Failsafe JVMs (they run two IT classes side by side): such a class takes its turn, a file lock in the
 * module's target directory, in {@code @BeforeAll} and gives it back in {@code @AfterAll}; the kernel frees it when a
 * JVM dies. Measured on the shared 2-core machine (load 10–15): with KeycloakBedIT beside ReconcileKeycloakIT,
 * Keycloak's first admin call after a boot took over 20 s and the reconcile IT failed. Every other IT still runs
 * beside either.
 */
public final class KeycloakSwarmTurn implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private KeycloakSwarmTurn(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits (unbounded: Failsafe's own timeout bounds the run) until no other such class runs; prints the wait. */
  public static KeycloakSwarmTurn take(String who) {
    Path file = Distribution.repoRoot().resolve("warm-nightly/target/keycloak-swarm.lock");
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock lock = channel.lock();
        System.out.println(who + " waited " + (System.nanoTime() - t0) / 1_000_000_000
            + " s for its turn on the Swarm Keycloak");
        return new KeycloakSwarmTurn(channel, lock);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  @Override
  public void close() {
    try (channel) {
      lock.release();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
