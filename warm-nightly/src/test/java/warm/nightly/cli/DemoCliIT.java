package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.naming.Naming;
import warm.core.sample.SampleImage;
import warm.core.testing.Needs;
import warm.core.testing.Prereq;
import warm.core.testing.RealPart;
import warm.nightly.testing.Distribution.Run;
import warm.nightly.testing.Distribution;

/**
 * {@code warm demo --init-seconds 3 --json} through the built distribution on the real Swarm: exit 0, the good PR's
 * quick run PASSes, the broken PR's FAILs with the known-good restored byte-identical, and afterwards nothing of the
 * stacks it created (services, containers, volumes, secrets, networks) nor its state directory remains.
 */
@Tag("docker")
class DemoCliIT {

  @Test
  void testDemo_passThenFailRestored_leavesNothingBehind() throws Exception {
    Prereq.swarm();
    Run run = warm("demo", "--init-seconds", "3", "--json");
    assertEquals(0, run.exit(), run.toString());
    JsonNode r = lastJson(run);
    assertEquals("pass", r.path("outcome").asText(), run.toString());
    assertEquals("pass", r.path("quick").path(0).path("outcome").asText(), r.toString());
    assertEquals("fail", r.path("broken").path("outcome").asText(), r.toString());
    assertTrue(r.path("broken").path("restored").asBoolean(), r.toString());
    assertTrue(r.path("verify").path("identical").asBoolean(), r.toString());
    assertTrue(r.path("verify").path("entriesCompared").asInt() > 0, r.toString());
    assertTrue(r.path("knownGoodIndex").asText().startsWith("initialised by"), r.toString());
    assertTrue(r.path("summary").path("coldMedianMillis").asLong() > 3000, "the cold run includes the 3 s first boot");
    assertEquals(0, r.path("leftovers").size(), r.toString());

    List<String> stacks = new ArrayList<>();
    r.path("stacks").forEach(s -> stacks.add(s.asText()));
    assertEquals(2, stacks.size(), "one cold app and the canonical: " + stacks);
    for (String stack : stacks) {
      String label = "label=com.docker.stack.namespace=" + stack;
      assertEquals("", docker("service", "ls", "-q", "--filter", label), stack + ": services remain");
      assertEquals("", docker("ps", "-aq", "--filter", label), stack + ": containers remain");
      assertEquals("", docker("volume", "ls", "-q", "--filter", label), stack + ": volumes remain");
      assertEquals("", docker("network", "ls", "-q", "--filter", label), stack + ": networks remain");
      assertEquals("", docker("secret", "ls", "-q", "--filter", "name=" + stack + "_"), stack + ": secrets remain");
    }
    assertFalse(Files.exists(Path.of(r.path("stateDir").asText())), "the throwaway state directory is deleted");
  }

  /**
   * Real data sizes on the reflink filesystem: {@code --data-mib 8 --data-files 300 --volumes-dir <XFS>}. Every
   * volume is a local-driver volume bound to a directory on the test bed's XFS; the platform must find the data in
   * that directory (docker's Mountpoint is an empty directory while no container uses the volume), so the seed's
   * snapshot holds the 300 files and is a reflink copy, the broken PR's rollback restores them (its own timing row),
   * the restored data is byte-identical and serves the seed's index.html; nothing remains afterwards.
   */
  @Test
  @Needs({RealPart.SWARM, RealPart.XFS, RealPart.ROOT})
  void testDemo_dataOnBindVolumesOnXfs_reflinkSnapshotAndRestore() throws Exception {
    Path xfs = Files.createDirectories(RealPart.testbed().resolve("xfs").resolve("demo-" + Naming.randomHex()));
    try {
      Run run = warm("demo", "--init-seconds", "1", "--data-mib", "8", "--data-files", "300",
          "--volumes-dir", xfs.toString(), "--json");
      assertEquals(0, run.exit(), run.toString());
      JsonNode r = lastJson(run);
      assertEquals("pass", r.path("outcome").asText(), run.toString());
      assertEquals(8, r.path("dataMib").asInt());
      assertEquals("reflink", r.path("seed").path("method").asText(), r.toString());
      assertTrue(r.path("stateDir").asText().startsWith(xfs.toString()), r.toString());
      assertTrue(r.path("verify").path("identical").asBoolean(), r.toString());
      // 300 data files in their directory, index.html, the markers: the data the first boot wrote was snapshotted.
      assertTrue(r.path("verify").path("entriesCompared").asInt() >= 300, r.toString());
      assertTrue(r.path("knownGoodIndex").asText().startsWith("initialised by"), r.toString());
      assertTrue(r.path("broken").path("restored").asBoolean(), r.toString());
      assertTrue(r.path("broken").path("timingsMillis").has("rollback restore"), r.toString());
      assertEquals(0, r.path("leftovers").size(), r.toString());
      for (JsonNode s : r.path("stacks")) {
        String label = "label=com.docker.stack.namespace=" + s.asText();
        assertEquals("", docker("volume", "ls", "-q", "--filter", label), s + ": volumes remain");
      }
      assertFalse(Files.exists(Path.of(r.path("stateDir").asText())), "the state (and the volumes' data) is deleted");
    } finally {
      ProcessRunner.system().run(Command.of("rm", "-rf", xfs.toString()));
    }
  }

  @Test
  void testDemo_badDataKnobs_usageExit2() throws Exception {
    for (String[] args : List.of(new String[] {"--data-mib", "-1"}, new String[] {"--data-mib", "1", "--data-files",
        "2000"}, new String[] {"--volumes-dir", "/nonexistent/cc-ci-warm"})) {
      List<String> argv = new ArrayList<>(List.of("demo"));
      argv.addAll(List.of(args));
      Run run = warm(argv.toArray(String[]::new));
      assertEquals(2, run.exit(), run.toString());
      assertTrue(run.err().contains(args[args.length - 2]), run.err());
      assertEquals("", run.out(), "nothing ran");
    }
  }

  /**
   * {@code warm selftest --json}: the platform cycle passes; timed phases carry millis, result lines do not. The
   * configured docker (here a logging wrapper off {@code PATH}, as a host's absolute {@code docker} key may be) is the
   * one every step asks, the sample image's build included.
   */
  @Test
  void testSelftest_passWithTimedPhases_throughTheConfiguredDocker(@TempDir Path dir) throws Exception {
    Prereq.swarm();
    Path log = dir.resolve("docker.log");
    Path wrapper = dir.resolve("wrapped-docker");
    Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec docker \"$@\"\n");
    assertTrue(wrapper.toFile().setExecutable(true));
    Path config = Files.writeString(dir.resolve("config.json"), "{\"docker\":\"" + wrapper + "\"}");
    Run run = warm("selftest", "--json", "--config", config.toString());
    assertEquals(0, run.exit(), run.toString());
    String asked = Files.readString(log);
    assertTrue(asked.contains("context inspect") && asked.contains("image inspect " + SampleImage.NAME), asked);
    JsonNode r = lastJson(run);
    assertEquals("pass", r.path("outcome").asText(), r.toString());
    List<String> timed = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    r.path("phases").forEach(p -> (p.has("millis") ? timed : notes).add(p.path("phase").asText().strip()));
    assertTrue(timed.containsAll(List.of("cold deploy 1.0.0+1.0", "undeploy (wait until gone)",
        "warm reattach 1.1.0+1.1", "chaos deploy", "remove app")), timed.toString());
    assertEquals(List.of("labels", "warm/cold deploy ratio"), notes, r.toString());
  }

  @Test
  void testDemo_badInitSeconds_usageExit2() throws Exception {
    Run run = warm("demo", "--init-seconds", "-1");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().contains("--init-seconds"), run.err());
  }

  private static JsonNode lastJson(Run run) throws IOException {
    String[] lines = run.out().strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("{")) {
        return new ObjectMapper().readTree(lines[i]);
      }
    }
    throw new AssertionError("no JSON object on stdout: " + run);
  }

  private static String docker(String... args) {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    var res = ProcessRunner.system().run(Command.of(argv).withTimeout(Duration.ofSeconds(30))).requireSuccess();
    return res.stdout().strip();
  }

  static Run warm(String... args) throws Exception {
    return Distribution.module(Duration.ofMinutes(10), "warm.nightly", Map.of(), args);
  }
}
