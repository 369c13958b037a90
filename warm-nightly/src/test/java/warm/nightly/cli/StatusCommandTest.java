package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warm status} through the real picocli wiring, without Docker (the configured docker executable does not
 * exist): the files are still shown, the missing engine is named, and exit codes follow docs/status.md.
 */
class StatusCommandTest {
  @TempDir
  Path tmp;

  private Path config(String extra) throws Exception {
    Path c = tmp.resolve("config.json");
    Files.writeString(c, "{\"stateRoot\": \"" + tmp.resolve("state") + "\", \"docker\": \"" + tmp.resolve("no-docker")
        + "\"" + extra + "}");
    return c;
  }

  @Test
  void testNoDocker_showsStatus_exit4() throws Exception {
    InProcessWarm.Run r = InProcessWarm.warm("status", "--config", config("").toString());
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.out().contains("platform: Docker not answering"), r.out());
    assertTrue(r.out().contains("needs attention"), r.out());
    assertTrue(r.out().contains("Docker did not answer"), r.out());
  }

  @Test
  void testTextfileDirectoryMissing_statusPrintedFirst_thenOneLineError_exit4() throws Exception {
    Path target = tmp.resolve("absent").resolve("warm.prom");
    InProcessWarm.Run r = InProcessWarm.warm("status", "--json", "--config", config("").toString(),
        "--textfile", target.toString());
    assertEquals(4, r.exit(), r.toString());
    assertTrue(r.out().startsWith("{\"at\":"), "the status came first: " + r.out());
    String[] err = r.err().strip().split("\n");
    assertEquals("error: cannot write the Prometheus textfile " + target + ": its directory " + target.getParent()
        + " does not exist (create it, or fix status.textfile / --textfile)", err[err.length - 1], r.err());
    assertFalse(r.err().contains("Exception"), "no Java exception name in what the operator reads: " + r.err());
  }

  /** A relative --textfile is bad input (a unit's working directory is /): exit 2 naming the option, nothing read. */
  @Test
  void testRelativeTextfile_exit2_namesTheOption() throws Exception {
    for (String bad : new String[] {"warm.prom", "metrics/warm.prom", "/"}) {
      InProcessWarm.Run r = InProcessWarm.warm("status", "--config", config("").toString(), "--textfile", bad);
      assertEquals(2, r.exit(), r.toString());
      assertEquals("", r.out(), "no status printed: " + r);
      assertEquals("error: --textfile must be an absolute path of a file, got '" + bad + "'", r.err().strip(),
          r.toString());
    }
    assertFalse(Files.exists(tmp.resolve("state")), "the refused status created the state root");
  }

  @Test
  void testConfiguredTextfileIsWritten() throws Exception {
    Path target = tmp.resolve("warm.prom");
    InProcessWarm.Run r = InProcessWarm.warm("status", "--config",
        config(", \"status\": {\"textfile\": \"" + target + "\"}").toString());
    assertEquals(4, r.exit(), r.toString());
    assertTrue(Files.readString(target).contains("warm_status_attention 2\n"), Files.readString(target));
  }

  @Test
  void testBadConfig_exit2() throws Exception {
    InProcessWarm.Run r = InProcessWarm.warm("status", "--config",
        config(", \"disk\": {\"budgetPercent\": 0}").toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("disk.budgetPercent"), r.err());
  }
}
