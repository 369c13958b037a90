package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.snapshot.SnapshotException;

/** The two questions quiescence asks the platform, and what each answer means (the real Swarm: QuickLaneIT). */
class PlatformQuiescenceTest {
  private static final AppRef APP = new AppRef("sample", "warm-sample.ci.example.org");

  private static Platform answering(boolean running, List<String> holders) {
    return answering(running, holders, new ArrayList<>());
  }

  /** A platform that answers as given and records which questions were asked, in order. */
  private static Platform answering(boolean running, List<String> holders, List<String> asked) {
    return (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(), new Class<?>[] {Platform.class},
        (proxy, m, args) -> switch (rec(asked, m.getName())) {
          case "awaitUndeployed" -> null;
          case "anythingRunning" -> running;
          case "volumeHolders" -> holders;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private static String rec(List<String> asked, String name) {
    asked.add(name);
    return name;
  }

  @Test
  void waitsForARemovalInProgressBeforeAsking() {
    // A quick PASS only requests the undeploy: the stack may still be going down when a restore comes (I2).
    List<String> asked = new ArrayList<>();
    new PlatformQuiescence(answering(false, List.of(), asked), APP).requireQuiet("v", Path.of("/v"));
    assertEquals(List.of("awaitUndeployed", "anythingRunning", "volumeHolders"), asked);
  }

  @Test
  void quietWhenNothingRunsAndNothingMounts() {
    new PlatformQuiescence(answering(false, List.of()), APP).requireQuiet("v", Path.of("/v"));
  }

  @Test
  void busyWhileTheStackRuns() {
    SnapshotException e = assertThrows(SnapshotException.class,
        () -> new PlatformQuiescence(answering(true, List.of()), APP).requireQuiet("v", Path.of("/v")));
    assertEquals(SnapshotException.Kind.BUSY, e.kind());
    assertTrue(e.getMessage().contains(APP.stack()), e.getMessage());
  }

  @Test
  void busyWhileAnyContainerMountsTheVolume() {
    SnapshotException e = assertThrows(SnapshotException.class,
        () -> new PlatformQuiescence(answering(false, List.of("abc123", "def456")), APP).requireQuiet("v",
            Path.of("/v")));
    assertEquals(SnapshotException.Kind.BUSY, e.kind());
    assertTrue(e.getMessage().contains("abc123 def456"), e.getMessage());
  }
}
