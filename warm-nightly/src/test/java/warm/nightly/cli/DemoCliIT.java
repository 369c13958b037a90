package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.nightly.testing.Prereq;

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
    assertEquals(0, run.exit, run.toString());
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

  @Test
  void testDemo_badInitSeconds_usageExit2() throws Exception {
    Run run = warm("demo", "--init-seconds", "-1");
    assertEquals(2, run.exit, run.toString());
    assertTrue(run.err.contains("--init-seconds"), run.err);
  }

  private static JsonNode lastJson(Run run) throws IOException {
    String[] lines = run.out.strip().split("\n");
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

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  static Run warm(String... args) throws IOException, InterruptedException {
    Path lib = Path.of(System.getenv().getOrDefault("WARM_REPO_ROOT", "..")).resolve("warm-nightly/target/dist/lib");
    assertTrue(Files.isDirectory(lib), "distribution not built: " + lib);
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-p", lib.toString(), "-m", "warm.nightly"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    var outF = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    var errF = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      // SIGTERM first: the demo's cleanup runs only if the JVM shuts down normally.
      p.destroy();
      p.waitFor(2, TimeUnit.MINUTES);
      throw new AssertionError("warm demo did not finish within 10 minutes");
    }
    return new Run(p.exitValue(), outF.join(), errF.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
