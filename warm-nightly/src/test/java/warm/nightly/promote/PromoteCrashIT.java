package warm.nightly.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.core.state.StateFile;
import warm.core.state.VolumeState;
import warm.nightly.testing.PromoteBed;
import warm.nightly.testing.PromoteBed.Fingerprint;
import warm.nightly.testing.PromoteBed.Run;
import warm.nightly.testing.QuickBed;

/**
 * SIGKILL of {@code warm promote} (bin/warm, the JVM itself) at each step, paused there by
 * {@code warm.promote.pauseAt} through {@code WARM_JAVA_OPTS}; then {@code warm recover}: before the commit point the
 * old known-good is back (restored and verified, undeployed, clean) and the new snapshot gone; after it the promotion
 * is finished; a killed first seed leaves nothing.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PromoteCrashIT {
  private static final String TARGET = "2.1.0+2.1";
  private static PromoteBed bed;
  private static String commit;

  @BeforeAll
  static void seed() throws Exception {
    bed = PromoteBed.create("promotek", "sample");
    Run r = bed.warm("promote", "--recipe", bed.recipe());
    assertEquals(0, r.exit(), r.toString());
    commit = bed.publish(TARGET, c -> c);
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  /** Starts the promotion paused at {@code step}, kills it there with SIGKILL, and returns its stderr. */
  static String killAt(PromoteBed b, String step, String... args) throws Exception {
    Path marker = b.root().resolve("paused-" + step);
    Path err = b.root().resolve("promote-" + step + ".err");
    // An earlier kill at the same step (the parameterized cases share the bed) left its marker: without this, the
    // wait below would see it at once and kill the new run before it paused.
    Files.deleteIfExists(marker);
    Process p = b.start(Map.of("WARM_JAVA_OPTS", "-Dwarm.promote.pauseAt=" + step
        + " -Dwarm.promote.pauseMarker=" + marker), err, args);
    try {
      QuickBed.waitFor(() -> Files.exists(marker) || !p.isAlive(), Duration.ofMinutes(3), "the pause at " + step);
      assertTrue(p.isAlive(), "the promotion ended before pausing at " + step + ": " + Files.readString(err));
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      p.waitFor();
    }
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
    return Files.readString(err);
  }

  @Order(1)
  @ParameterizedTest
  @ValueSource(strings = {"started", "restoring", "deploying", "checking", "undeploying", "snapshotting", "swapping",
      "swapped"})
  void killedBeforeTheCommitPoint_recoverRestoresTheOldKnownGood(String step) throws Exception {
    // Dirty volumes (as a quick PASS leaves them), so the promotion restores first and 'restoring' is a step.
    bed.state().write(bed.recipe(), StateFile.VOLUME_STATE, VolumeState.dirty("q-crash-test"));
    Fingerprint before = bed.fingerprint();
    killAt(bed, step, "promote", "--recipe", bed.recipe(), "--commit", commit, "--", "true");
    String phase = PromoteBed.JSON.readTree(bed.state().path(bed.recipe(), StateFile.JOURNAL).toFile())
        .path("phase").asText();
    assertEquals(step.equals("swapped") ? "swapping" : step, phase, "the journal names the step");

    Run r = bed.warm("recover", "--app", bed.recipe());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("rolled back the promotion of " + bed.recipe() + " to " + TARGET), r.toString());
    assertEquals(before, bed.fingerprint(), "known-good, canonical.json and volumes as before");
    bed.assertAtRest();
    assertEquals(List.of("snap-" + before.knownGood()), bed.snapshots(), "no snapshot of the killed run is left");
    assertTrue(bed.alertKinds().contains("promote-recovered"), bed.alertKinds().toString());
  }

  /** SIGTERM (a CI cancel, a service stop) during the check: the check is stopped and the promotion rolled back. */
  @Order(2)
  @Test
  void sigtermDuringTheCheck_rollsBackBeforeExiting() throws Exception {
    Fingerprint before = bed.fingerprint();
    Path err = bed.root().resolve("sigterm.err");
    Process p = bed.start(Map.of(), err, "promote", "--recipe", bed.recipe(), "--commit", commit, "--json", "--",
        "sleep", "300");
    try {
      QuickBed.waitFor(() -> bed.journalPhase().equals("checking") || !p.isAlive(), Duration.ofMinutes(3),
          "the check to start");
      assertTrue(p.isAlive(), "the promotion ended before its check: " + Files.readString(err));
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the rollback ended in time");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(143, p.exitValue(), Files.readString(err));
    var result = PromoteBed.JSON.readTree(bed.root().resolve("last-out.txt").toFile());
    assertEquals("failed", result.path("outcome").asText(), result.toString());
    assertTrue(result.path("restored").asBoolean(), result.toString());
    assertTrue(result.path("reason").asText().startsWith("cancelled (SIGTERM) at phase checking"), result.toString());
    assertEquals(before, bed.fingerprint(), "known-good, canonical.json and volumes as before");
    bed.assertAtRest();
    assertEquals(List.of("snap-" + before.knownGood()), bed.snapshots());
  }

  /**
   * The other way out of a kill (promote.md): no 'warm recover', the next 'warm promote' settles the killed run's
   * journal first, then runs its own (here with a failing check, so the bed stays at the old known-good).
   */
  @Order(3)
  @Test
  void killedThenTheNextPromoteSettlesItFirst() throws Exception {
    Fingerprint before = bed.fingerprint();
    killAt(bed, "deploying", "promote", "--recipe", bed.recipe(), "--commit", commit, "--", "true");
    assertEquals("deploying", bed.journalPhase(), "the killed run's journal is left");

    Run r = bed.warm("promote", "--recipe", bed.recipe(), "--commit", commit, "--", "false");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("settling the interrupted promotion") && r.err().contains("(phase deploying)"),
        r.toString());
    assertTrue(r.err().contains("the check command failed"), r.toString());
    assertEquals(before, bed.fingerprint(), "known-good, canonical.json and volumes as before");
    bed.assertAtRest();
    assertEquals(List.of("snap-" + before.knownGood()), bed.snapshots(), "no snapshot of either run is left");
  }

  @Order(4)
  @Test
  void killedAfterTheCommitPoint_recoverFinishesThePromotion() throws Exception {
    String old = bed.knownGoodId();
    killAt(bed, "committed", "promote", "--recipe", bed.recipe(), "--commit", commit);
    assertEquals(TARGET, bed.canonical().version(), "canonical.json was written before the kill");

    Run r = bed.warm("recover", "--app", bed.recipe());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("finished the promotion of " + bed.recipe() + " to " + TARGET), r.toString());
    assertNotEquals(old, bed.knownGoodId());
    assertEquals(bed.canonical().snapshotId(), bed.knownGoodId());
    assertEquals(commit, bed.canonical().commit());
    bed.assertAtRest();
    assertEquals(List.of("snap-" + bed.knownGoodId()), bed.snapshots(), "the old snapshot was pruned");
  }

  @Order(5)
  @ParameterizedTest
  @ValueSource(strings = {"checking", "swapped"})
  void killedFirstSeed_recoverLeavesNothing(String step) throws Exception {
    PromoteBed fresh = PromoteBed.create("promoteks", "sample");
    try {
      killAt(fresh, step, "promote", "--recipe", fresh.recipe(), "--", "true");
      assertTrue(fresh.platform().volumes(fresh.app()).size() > 0, "the killed seed had made its volume");
      Run r = fresh.warm("recover", "--app", fresh.recipe());
      assertEquals(0, r.exit(), r.toString());
      assertTrue(r.out().contains("removed the failed first seed of " + fresh.recipe()), r.toString());
      fresh.assertNothingLeft();
    } finally {
      fresh.cleanup();
    }
  }
}
