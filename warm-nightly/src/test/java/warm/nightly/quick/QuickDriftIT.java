package warm.nightly.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import warm.core.alert.AlertOutbox;
import warm.core.process.Command;
import warm.core.sample.SampleImage;
import warm.core.state.LastRun;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.nightly.testing.QuickBed;
import warm.nightly.testing.QuickBed.Run;

/**
 * D4: the canonical's volume state is checked against the volume before a quick run uses it. A {@code clean@} state
 * whose volume was removed, or written by a foreign container, and a dirty state whose volume was removed, all get
 * the known-good restored first (into a recreated volume when it is gone), and the run's PASS is on known-good data.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickDriftIT {
  private static QuickBed bed;
  private static Path good;
  /** Passes only on the known-good's data: its one boot plus this run's two, and nothing foreign. */
  private static Path onKnownGood;

  @BeforeAll
  static void seed() throws Exception {
    bed = QuickBed.seed("qdrift", "drift");
    good = bed.checkout("good", c -> c.replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good"));
    onKnownGood = bed.script("assert-known-good.sh", """
        c=$(docker ps -q --filter label=com.docker.swarm.service.name=${WARM_STACK}_app | head -1)
        [ -n "$c" ] || { echo "no container of $WARM_STACK"; exit 1; }
        if docker exec "$c" test -e /data/foreign; then echo "foreign data on the volume"; exit 1; fi
        n=$(docker exec "$c" cat /data/boots.log | wc -l)
        [ "$n" -eq 3 ] || { echo "boots.log has $n lines, not the known-good's 1 + 2"; exit 1; }
        """);
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  @Test
  @Order(1)
  void testCleanState_foreignWrite_isRestoredBeforeTheRun() throws Exception {
    assertEquals(VolumeState.clean(bed.seeded().snapshotId()).state(), bed.volumeState().state());
    String volume = bed.volumes().keySet().iterator().next();
    QuickBed.RUNNER.run(Command.of("docker", "run", "--rm", "-v", volume + ":/d", SampleImage.NAME,
        "sh", "-c", "echo foreign > /d/foreign")).requireSuccess();
    assertPassOnKnownGood(bed.quick(bed.recipe(), good, onKnownGood.toString()));
  }

  @Test
  @Order(2)
  void testDirtyState_volumeRemoved_isRestoredIntoARecreatedVolume() throws Exception {
    assertFalse(bed.volumeState().state().startsWith("clean@"), "the PASS before left the volume dirty");
    removeVolumes();
    assertPassOnKnownGood(bed.quick(bed.recipe(), good, onKnownGood.toString()));
    assertTrue(new AlertOutbox(bed.cfg().stateRoot()).pending().stream()
        .anyMatch(a -> a.alert().kind().equals("canonical-volume-missing")), "the operator is told");
    LastRun last = new StateStore(bed.cfg().stateRoot()).read(bed.recipe(), StateFile.LAST_QUICK).orElseThrow();
    assertEquals("pass", last.outcome(), "warm status reads how the last quick run ended");
    assertEquals(bed.seeded().version(), last.version());
  }

  @Test
  @Order(3)
  void testCleanState_volumeRemoved_isRestoredIntoARecreatedVolume() throws Exception {
    Run fail = bed.quick(bed.recipe(), good, "false");
    assertEquals(1, fail.exit(), fail.toString());
    assertEquals(VolumeState.clean(bed.seeded().snapshotId()).state(), bed.volumeState().state());
    removeVolumes();
    assertPassOnKnownGood(bed.quick(bed.recipe(), good, onKnownGood.toString()));
  }

  private static void removeVolumes() {
    // A PASS returns before Swarm has removed its task (issue 15), which still holds the volume for a few seconds.
    bed.platform().awaitUndeployed(bed.app());
    for (String v : bed.volumes().keySet()) {
      QuickBed.RUNNER.run(Command.of("docker", "volume", "rm", v)).requireSuccess();
    }
    assertTrue(bed.volumes().isEmpty(), "the canonical's volumes are gone");
  }

  private static void assertPassOnKnownGood(Run r) throws Exception {
    assertEquals(0, r.exit(), r.toString());
    assertEquals("pass", r.result().path("outcome").asText(), r.toString());
    assertTrue(r.result().path("restored").asBoolean(), "the known-good was restored first: " + r);
    bed.assertUndeployRequested();
    bed.assertKnownGoodUnchanged();
  }
}
