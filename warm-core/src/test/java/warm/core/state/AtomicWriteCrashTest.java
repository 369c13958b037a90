package warm.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.lock.ChildJvm;

/**
 * A writer SIGKILLed at random moments while rewriting a state file (DESIGN I3 for state files): the file always
 * parses as one complete record, old or new, never torn; the killed writer's temp leftovers are removed by the
 * next write. (SIGKILL keeps the page cache, so this proves the temp+rename protocol, not the fsyncs.)
 */
class AtomicWriteCrashTest {
  private static final int KILLS = 5;

  @TempDir
  Path root;

  @Test
  void testKilledWriter_fileIsAlwaysCompleteOldOrNew() throws Exception {
    StateStore store = new StateStore(root);
    Path file = store.path("app", StateFile.JOURNAL);
    Random random = new Random(42);
    long lastN = 0;
    int leftoversSeen = 0;
    for (int i = 0; i < KILLS; i++) {
      try (ChildJvm child = ChildJvm.start(AtomicWriterChild.class, root.toString())) {
        assertEquals("WRITING", child.readLine(Duration.ofSeconds(30)));
        Thread.sleep(20 + random.nextInt(200));
        child.kill();
      }
      Journal j = store.read("app", StateFile.JOURNAL).orElseThrow();
      long n = Long.parseLong(j.data().get("n"));
      assertEquals(AtomicWriterChild.record(n), j, "a complete record, not a torn one");
      assertTrue(n >= 1);
      lastN = n;
      leftoversSeen += temps(file).size();
    }
    System.out.println(KILLS + " kills; last record n=" + lastN + "; temp leftovers seen after kills: "
        + leftoversSeen);
    // The next write cleans what the dead writers left.
    store.write("app", StateFile.JOURNAL, AtomicWriterChild.record(lastN + 1));
    assertEquals(List.of(), temps(file));
    assertEquals(AtomicWriterChild.record(lastN + 1), store.read("app", StateFile.JOURNAL).orElseThrow());
  }

  private static List<Path> temps(Path file) throws Exception {
    try (var s = Files.list(file.getParent())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
