package warm.nightly.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import warm.core.platform.Platform;
import warm.core.process.Command;
import warm.core.sample.SampleImage;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.nightly.testing.QuickBed;
import warm.nightly.testing.QuickBed.Run;
import warm.snapshot.SnapshotStore;

/**
 * Issue 15: a quick PASS returns once Swarm has accepted the undeploy, while the stack is still going down; whatever
 * comes right after and touches the canonical's volumes waits for the removal (DESIGN I2) — the next quick run, a
 * promote, a restore by hand — and a stack that never goes away is a clear error after the bound, changing nothing.
 * Each follow-up would be refused (the volume still held by the PASS's task) if it did not wait.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickPassRemovalIT {
  private static QuickBed bed;
  private static Platform platform;
  private static Path good;
  private static Path assertOk;

  @BeforeAll
  static void seed() throws Exception {
    bed = QuickBed.seed("qpr", "sample");
    platform = bed.platform();
    good = bed.checkout("good", c -> c.replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good"));
    assertOk = bed.script("assert-ok.sh", """
        c=$(docker ps -q --filter label=com.docker.swarm.service.name=${WARM_STACK}_app | head -1)
        [ -n "$c" ] || { echo "no container of $WARM_STACK"; exit 1; }
        docker exec "$c" wget -qO- http://127.0.0.1:8080/ | grep -q initialised
        """);
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  /** A quick PASS, and the proof it returned before Swarm had removed the stack. */
  private static void passLeavingTheStackGoingDown() throws Exception {
    Run r = bed.quick("sample", good, assertOk.toString());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("pass", r.result().path("outcome").asText(), r.result().toString());
    assertTrue(r.result().path("timingsMillis").has("undeploy"), "the phase keeps its name: " + r.result());
    assertTrue(platform.deployed(bed.app()).isEmpty(), "the removal was requested: no service is left");
    // Swarm's removal of a task on an overlay network takes seconds (~2 s gossip wait alone); the run did not wait.
    assertTrue(platform.undeploying(bed.app()), "the stack is still going down when the PASS returns");
  }

  @Test
  @Order(1)
  void testPassThenAnotherQuickRun_waitsForTheRemovalThenRestores() throws Exception {
    passLeavingTheStackGoingDown();
    Run next = bed.quick("sample", good, assertOk.toString());
    assertEquals(0, next.exit(), next.toString());
    assertTrue(next.result().path("restored").asBoolean(), "the dirty canonical was restored first: " + next);
    bed.assertKnownGoodUnchanged();
  }

  @Test
  @Order(2)
  void testPassThenRestoreByHand_waitsForTheRemoval() throws Exception {
    passLeavingTheStackGoingDown();
    Run restore = bed.nightly("restore", "--app", "sample", "--config", bed.config().toString());
    assertEquals(0, restore.exit(), restore.err());
    assertFalse(platform.anythingRunning(bed.app()));
    assertTrue(SnapshotStore.forApp(bed.cfg().stateRoot(), "sample").verify(bed.volumes(), true).identical(),
        "the volumes are the known-good again");
    assertEquals("clean@" + bed.seeded().snapshotId(), bed.volumeState().state());
  }

  @Test
  @Order(3)
  void testAStackThatNeverGoesAway_failsAfterTheBoundChangingNothing() throws Exception {
    passLeavingTheStackGoingDown();
    // Something of the stack that Swarm will never remove: a running container with the stack's label.
    String holder = "qpr-holder-" + Long.toHexString(System.nanoTime());
    QuickBed.RUNNER.run(Command.of("docker", "run", "-d", "--name", holder, "--label",
        "com.docker.stack.namespace=" + bed.app().stack(), SampleImage.NAME, "sleep", "600")).requireSuccess();
    try {
      Path shortBound = bed.root().resolve("short-bound.json");
      Files.writeString(shortBound, Files.readString(bed.config())
          .replace("\"timeouts\": {", "\"timeouts\": {\"undeploySeconds\": 3, "));
      String stateBefore = bed.volumeState().state();
      String boots = Files.readString(bed.volume().resolve("boots.log"));

      Run restore = bed.nightly("restore", "--app", "sample", "--config", shortBound.toString());
      assertEquals(4, restore.exit(), restore.err());
      assertTrue(restore.err().contains("still has 1 container(s)") && restore.err().contains("3 s after it was"
          + " removed"), restore.err());
      assertEquals(stateBefore, bed.volumeState().state(), "volume state unchanged");

      // the lane, with the same short bound
      Run bounded = runQuick(shortBound);
      assertEquals(4, bounded.exit(), bounded.toString());
      assertTrue(bounded.err().contains("still has 1 container(s)") && bounded.err().contains("3 s after it was"
          + " removed"), bounded.err());
      assertEquals(stateBefore, bed.volumeState().state(), "volume state unchanged");
      assertEquals(boots, Files.readString(bed.volume().resolve("boots.log")), "volume data unchanged");
      bed.assertKnownGoodUnchanged();
    } finally {
      QuickBed.RUNNER.run(Command.of("docker", "rm", "-f", holder));
    }
    // The failed lane left its journal (the next invocation restores before anything else): recover it now.
    Run recovered = bed.warmQuick("recover", "--recipe", "sample");
    assertEquals(0, recovered.exit(), recovered.err());
  }

  private static Run runQuick(Path configFile) throws Exception {
    Path result = bed.root().resolve("bounded-" + System.nanoTime() + ".json");
    Process p = bed.start(configFile, List.of(), "sample", good, result, assertOk.toString());
    String err = QuickBed.finish(p, java.time.Duration.ofSeconds(300));
    return new Run(p.exitValue(), QuickBed.JSON.createObjectNode(), err);
  }

  @Test
  @Order(4)
  void testPassThenPromote_waitsForTheRemoval() throws Exception {
    passLeavingTheStackGoingDown();
    // promote needs the recipe enrolled: the same state root, with a registry
    Path enrolled = bed.root().resolve("enrolled.json");
    Files.writeString(enrolled, Files.readString(bed.config()).replace("{\"stateRoot\"",
        "{\"recipes\": [{\"name\": \"sample\"}], \"stateRoot\""));
    Run promote = bed.nightly("promote", "--recipe", "sample", "--config", enrolled.toString());
    assertEquals(0, promote.exit(), promote.err());
    CanonicalRecord now = new StateStore(bed.cfg().stateRoot()).read("sample", StateFile.CANONICAL).orElseThrow();
    assertEquals("2.0.0+2.0", now.version(), "promoted to the latest release");
    assertFalse(platform.anythingRunning(bed.app()));
  }
}
