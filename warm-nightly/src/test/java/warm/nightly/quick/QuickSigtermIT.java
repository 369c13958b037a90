package warm.nightly.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.naming.Naming;
import warm.core.state.VolumeState;
import warm.nightly.testing.QuickBed;

/**
 * SIGTERM (a CI cancel) of a quick run at each of its phases, on the real Swarm through the built distribution: the
 * FAIL path must complete before the process exits — exit 143, a result JSON saying {@code fail} and cancelled, the
 * stack undeployed, the volumes restored, identical to the known-good and marked clean, no journal left (after the
 * assertions passed, the PASS path completes instead). The kill point is the phase the run's journal shows. Each test
 * stands alone (the class's own canonical, any order): it only needs the canonical to exist.
 */
@Tag("docker")
class QuickSigtermIT {
  private static QuickBed bed;
  private static Path good;

  @BeforeAll
  static void seed() throws Exception {
    bed = QuickBed.seed("qst", "sigterm");
    good = bed.checkout("good", c -> c.replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good"));
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  @Test
  void testSigtermWhileDeployingKnownGood_rollsBackAndReports() throws Exception {
    JsonNode r = sigtermWhen(phase("deploying-known-good"), "true");
    assertCancelledAndRestored(r);
  }

  @Test
  void testSigtermWhileDeployingPr_rollsBackAndReports() throws Exception {
    JsonNode r = sigtermWhen(phase("deploying-pr"), "true");
    assertCancelledAndRestored(r);
  }

  @Test
  void testSigtermDuringAssertions_rollsBackAndReports() throws Exception {
    Path started = bed.root().resolve("started-" + Naming.randomHex());
    JsonNode r = sigtermWhen(() -> Files.exists(started),
        bed.script("term-" + Naming.randomHex() + ".sh", "touch " + started + "; exec sleep 60").toString());
    assertCancelledAndRestored(r);
  }

  @Test
  void testSigtermDuringRollback_rollbackCompletes() throws Exception {
    JsonNode r = sigtermWhen(phase("rolling-back"), "false");
    assertTrue(r.path("reason").asText().contains("the runner's assertions failed"), r.toString());
    assertCancelledAndRestored(r);
  }

  @Test
  void testSigtermAfterPass_passPathCompletes() throws Exception {
    // The assertions passed: the PASS path (request the undeploy, keep the volumes) finishes and says so.
    JsonNode r = sigtermWhen(phase("passed"), "true");
    assertEquals("pass", r.path("outcome").asText(), r.toString());
    assertEquals(VolumeState.dirty(r.path("runId").asText()).state(), bed.volumeState().state());
    assertFalse(Files.exists(bed.journal()), "journal removed: the PASS path completed");
    bed.assertUndeployRequested();
    bed.assertKnownGoodUnchanged();
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static BooleanSupplier phase(String p) {
    return () -> p.equals(bed.journalPhase());
  }

  /**
   * Starts a run of the good PR with the assertion {@code cmd}, sends SIGTERM once {@code when} holds, and returns
   * the result JSON after checking the process ended with 143 (128 + SIGTERM) and wrote one.
   */
  private static JsonNode sigtermWhen(BooleanSupplier when, String cmd) throws Exception {
    String id = Naming.randomHex();
    Path result = bed.root().resolve("term-" + id + ".json");
    Path stderr = bed.root().resolve("term-" + id + ".err");
    Process p = bed.startLogged(stderr, bed.recipe(), good, result, cmd);
    try {
      QuickBed.waitFor(() -> when.getAsBoolean() || !p.isAlive(), Duration.ofSeconds(180), "the kill point");
      assertTrue(p.isAlive(), () -> "the run ended before the kill point: " + read(stderr));
      p.destroy(); // SIGTERM, as a CI cancel sends
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "process ended after SIGTERM");
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    String log = read(stderr);
    assertEquals(143, p.exitValue(), log);
    assertTrue(Files.exists(result), "result JSON written before the exit: " + log);
    return QuickBed.JSON.readTree(result.toFile());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }

  private static void assertCancelledAndRestored(JsonNode r) throws Exception {
    assertTrue(r.path("reason").asText().contains("cancelled"), r.toString());
    bed.assertFailRestored(r);
    assertFalse(Files.exists(bed.journal()), "journal removed: the FAIL path completed");
  }
}
