package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.nightly.Main;
import warm.quick.cli.Cli;

/** The four snapshot commands on plain directories, through the real picocli wiring and exit-code mapping. */
class SnapshotCommandsTest {
  @TempDir
  Path tmp;

  private int warm(String... args) {
    return Cli.execute(new Main(), args);
  }

  @Test
  void testSnapshotVerifyRestore() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol/sub"));
    Files.writeString(vol.resolve("f"), "one");
    Path store = tmp.resolve("store");
    String v = "data=" + tmp.resolve("vol");
    assertEquals(0, warm("snapshot", "--store", store.toString(), "--volume", v, "--commit", "abc"));
    assertEquals(0, warm("verify", "--store", store.toString(), "--volume", v));
    Files.writeString(vol.resolve("f"), "changed");
    assertEquals(1, warm("verify", "--store", store.toString(), "--volume", v));
    assertEquals(0, warm("restore", "--store", store.toString(), "--volume", v, "--verify-content"));
    assertEquals("one", Files.readString(vol.resolve("f")));

    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, "UTF-8"));
    try {
      assertEquals(0, warm("snapshots", "--store", store.toString(), "--json"));
    } finally {
      System.setOut(old);
    }
    String json = out.toString("UTF-8");
    assertTrue(json.contains("\"knownGood\" : true") && json.contains("\"commit\" : \"abc\""), json);
  }

  @Test
  void testBadInput_exit2() {
    String store = tmp.resolve("store").toString();
    assertEquals(2, warm("snapshot", "--store", store, "--volume", "a/b=" + tmp));
    assertEquals(2, warm("snapshot", "--store", store, "--volume", "novalue"));
    assertEquals(2, warm("snapshot", "--store", store));
    assertEquals(2, warm("snapshot", "--volume", "d=" + tmp));
    assertEquals(2, warm("snapshot", "--store", store, "--app", "x", "--volume", "d=" + tmp));
    assertEquals(2, warm("restore", "--store", store, "--volume", "d=" + tmp));
    assertEquals(2, warm("snapshot", "--app", "../evil", "--state-root", tmp.toString(), "--volume", "d=" + tmp));
    assertEquals(2, warm("snapshot", "--app", "app", "--state-root", tmp.toString()));
  }
}
