package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.Distribution.Run;

/**
 * A data command's fixed cost (issue 15): what a plain-directory {@code warm snapshot} no longer does before or
 * after its copy, seen in the classes the real launcher's JVM loads. It starts no child process (JNA's
 * {@code ldconfig -p}: libc is bound through the process itself) and builds no ObjectMapper (meta.json is written by
 * a streaming generator); what it wrote still reads: {@code warm verify} and {@code warm restore} succeed.
 */
class SnapshotStartIT {
  @TempDir
  Path tmp;

  @Test
  void aPlainSnapshotStartsNoProcessAndBuildsNoObjectMapper() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol/dir"));
    Files.writeString(vol.resolve("f"), "x");
    Path store = tmp.resolve("store");
    Path classes = tmp.resolve("classes.txt");
    Run snap = Distribution.launcher("warm", Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
        "snapshot", "--store", store.toString(), "--volume", "data=" + vol.getParent());
    assertEquals(0, snap.exit(), snap.toString());

    String log = Files.readString(classes);
    assertTrue(log.contains(" warm.snapshot.internal.JnaNativeFs "), "no class log, or no native engine: " + classes);
    List<String> unwanted = log.lines()
        .filter(l -> l.contains(" java.lang.ProcessImpl ")
            || l.contains(" com.fasterxml.jackson.databind.ObjectMapper "))
        .toList();
    assertTrue(unwanted.isEmpty(), "a snapshot started a process or built an ObjectMapper: " + unwanted);

    Run verify = Distribution.launcher("warm", Map.of(), "verify", "--store", store.toString(), "--volume",
        "data=" + vol.getParent());
    assertEquals(0, verify.exit(), verify.toString());
    Files.writeString(vol.resolve("f"), "changed");
    Run restore = Distribution.launcher("warm", Map.of(), "restore", "--store", store.toString(), "--volume",
        "data=" + vol.getParent());
    assertEquals(0, restore.exit(), restore.toString());
    assertEquals("x", Files.readString(vol.resolve("f")));

    // The store binds libc where an operation first needs it, not when it is opened: listing the snapshots needs no
    // native call, so it does not pay JNA's set-up (~50-70 ms of CPU).
    Path listed = tmp.resolve("classes-list.txt");
    Run list = Distribution.launcher("warm", Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info:file=" + listed),
        "snapshots", "--store", store.toString());
    assertEquals(0, list.exit(), list.toString());
    assertTrue(list.out().startsWith("* "), "the known-good listed: " + list);
    String listLog = Files.readString(listed);
    assertTrue(listLog.contains(" warm.snapshot.SnapshotStore "), "no class log, or no store opened: " + listed);
    List<String> jna = listLog.lines().filter(l -> l.contains(" com.sun.jna.")).toList();
    assertTrue(jna.isEmpty(), "listing the snapshots set JNA up: " + jna.stream().findFirst().orElse(""));
  }
}
