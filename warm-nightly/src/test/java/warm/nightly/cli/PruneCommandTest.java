package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warm prune}'s bad input: exit 2, one clear line, nothing created or changed (Docker never asked). */
class PruneCommandTest {
  @TempDir
  Path tmp;

  @Test
  void badPruneSettings_exit2_namesTheField_stateRootUntouched() throws Exception {
    Path root = tmp.resolve("state");
    Path config = Files.writeString(tmp.resolve("c.json"), "{\"stateRoot\": \"" + root
        + "\", \"prune\": {\"imagePruneAbovePercent\": 101}}");
    for (String[] args : new String[][] {{"prune", "--config", config.toString()},
        {"prune", "--dry-run", "--json", "--config", config.toString()}}) {
      InProcessWarm.Run r = InProcessWarm.warm(args);
      assertEquals(2, r.exit(), r.err());
      assertTrue(r.err().contains("prune.imagePruneAbovePercent"), r.err());
      assertEquals("", r.out(), "no result object for a refused run");
      assertFalse(Files.exists(root), "nothing created");
    }
  }

  @Test
  void unknownOption_exit2() {
    InProcessWarm.Run r = InProcessWarm.warm("prune", "--all");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--all"), r.err());
  }
}
