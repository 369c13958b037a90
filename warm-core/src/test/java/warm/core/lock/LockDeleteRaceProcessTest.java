package warm.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a lock file never lets two processes hold it: several JVMs race to take one lock, and every holder deletes
 * the file before it lets go, so the others keep locking files that were just deleted.
 */
class LockDeleteRaceProcessTest {
  private static final int JVMS = 3;
  private static final int ROUNDS = 1500;

  @TempDir
  Path dir;

  @Test
  void holdersDeleteTheFile_othersStartAgain_neverTwoHolders() throws Exception {
    Path file = dir.resolve("locks/web-abcdef_ci_example.lock");
    Path inside = dir.resolve("inside");
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < JVMS; i++) {
        children.add(ChildJvm.start(LockChild.class, "race", file.toString(), inside.toString(),
            Integer.toString(ROUNDS)));
      }
      long startedAgain = 0;
      for (ChildJvm c : children) {
        String line = c.readLine(Duration.ofMinutes(5));
        assertTrue(line.startsWith("RACED "), "child " + c.pid() + ": " + line);
        startedAgain += Long.parseLong(line.substring("RACED ".length()));
        assertEquals(0, c.waitFor(Duration.ofSeconds(30)));
      }
      System.out.println(JVMS + " JVMs x " + ROUNDS + " rounds: " + startedAgain
          + " locks taken on a file its holder had just deleted, each started again");
      assertTrue(startedAgain > 0, "the race this test is about never happened: no proof either way");
      assertFalse(Files.exists(file), "the last holder deleted it");
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  /** A deleted lock is free at once for this JVM too, and a new file takes its place. */
  @Test
  void deleteAndClose_removesTheFile_andTheLockIsFreeAgain() {
    Path file = dir.resolve("locks/x.lock");
    LockFile first = LockFile.tryLock(file, "first").orElseThrow();
    assertTrue(first.deleteAndClose());
    assertFalse(Files.exists(file));
    assertFalse(first.isHeld());
    assertFalse(first.deleteAndClose(), "idempotent");
    assertTrue(LockFile.holder(file).isEmpty());
    try (LockFile second = LockFile.tryLock(file, "second").orElseThrow()) {
      assertEquals("second", LockFile.holder(file).orElseThrow().operation());
    }
    assertTrue(Files.exists(file), "a plain release keeps the file");
  }
}
