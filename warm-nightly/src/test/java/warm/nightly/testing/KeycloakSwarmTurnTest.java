package warm.nightly.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** The turn is a lock on the file while held, and free again once given back. */
class KeycloakSwarmTurnTest {
  private static final Path FILE = Distribution.repoRoot().resolve("warm-nightly/target/keycloak-swarm.lock");

  @Test
  void testTake_locksTheFileUntilClosed() throws Exception {
    try (KeycloakSwarmTurn turn = KeycloakSwarmTurn.take("KeycloakSwarmTurnTest");
        FileChannel other = FileChannel.open(FILE, StandardOpenOption.WRITE)) {
      // The JVM refuses a second lock of a region it holds: the turn holds it.
      assertThrows(OverlappingFileLockException.class, other::tryLock);
    }
    try (FileChannel other = FileChannel.open(FILE, StandardOpenOption.WRITE); FileLock free = other.tryLock()) {
      assertNotNull(free, "given back: the file can be locked again");
    }
  }
}
