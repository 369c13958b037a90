package warm.nightly.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.WarmException;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.process.ProcessRunner;

/** The cold run's order and its teardown on every path (the real Swarm: DemoCliIT). */
class ColdRunTest {
  private static final AppRef APP = new AppRef("sample", "sample-abc123.ci.localhost");
  private final List<String> calls = new ArrayList<>();
  @TempDir
  Path root;

  private ColdRun cold(boolean deployFails) {
    return new ColdRun(platform(deployFails), ProcessRunner.system(), Duration.ofSeconds(30), new AppLocks(root));
  }

  private Platform platform(boolean deployFails) {
    return (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(), new Class<?>[] {Platform.class},
        (proxy, m, args) -> {
          calls.add(m.getName());
          return switch (m.getName()) {
            case "deploy" -> {
              if (deployFails) {
                throw WarmException.infra("unhealthy");
              }
              yield null;
            }
            case "volumes" -> List.of();
            case "anythingRunning" -> false;
            default -> null;
          };
        });
  }

  @Test
  void assertionsFail_appStillRemoved() {
    ColdRun.Result r = cold(false).run(APP, "1.0.0+1.0", List.of("sh", "-c", "[ \"$WARM_MODE\" = cold ] && exit 3"), a -> calls.add("configure"));
    assertFalse(r.passed());
    assertEquals(3, r.checkExit(), "the check saw WARM_MODE=cold");
    assertEquals(List.of("createApp", "configure", "generateMissingSecrets", "deploy", "removeApp", "volumes",
        "anythingRunning"), calls);
  }

  @Test
  void deployFails_appStillRemoved_failureReported() {
    assertThrows(WarmException.class, () -> cold(true).run(APP, "1.0.0+1.0", List.of("true"), a -> { }));
    assertEquals(List.of("createApp", "generateMissingSecrets", "deploy", "removeApp"), calls);
  }

  /** The run holds a lock named for its app from before it creates anything until its removal is checked. */
  @Test
  void runHoldsItsAppLock_forItsWholeLength() {
    AppLocks locks = new AppLocks(root);
    List<Boolean> heldDuring = new ArrayList<>();
    cold(false).run(APP, "1.0.0+1.0", List.of("true"), a -> heldDuring.add(locks.holder(ColdRun.lockName(a)).isPresent()));
    assertEquals(List.of(true), heldDuring, "held while the app exists");
    assertEquals("sample-abc123_ci_localhost", ColdRun.lockName(APP));
    assertFalse(locks.path(ColdRun.lockName(APP)).toFile().exists(), "its app is gone: so is its lock file");
    assertFalse(locks.holder(ColdRun.lockName(APP)).isPresent(), "free after the run");
  }

  /** A run whose removal is not confirmed keeps its lock file: prune judges the app dead by it, then removes both. */
  @Test
  void removalNotConfirmed_lockFileStays_free() {
    AppLocks locks = new AppLocks(root);
    Platform leaky = (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(), new Class<?>[] {Platform.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "volumes" -> List.of();
          case "anythingRunning" -> true;
          default -> null;
        });
    assertThrows(WarmException.class, () -> new ColdRun(leaky, ProcessRunner.system(), Duration.ofSeconds(30), locks)
        .run(APP, "1.0.0+1.0", List.of("true"), a -> { }));
    assertTrue(locks.path(ColdRun.lockName(APP)).toFile().exists(), "prune needs it to tell the run is dead");
    assertFalse(locks.holder(ColdRun.lockName(APP)).isPresent());
  }

  /** A second run of the same app (the same random suffix) is refused before it touches the platform. */
  @Test
  void sameAppAlreadyRunning_refusedBeforeAnything() {
    try (LockFile held = new AppLocks(root).tryAcquire(ColdRun.lockName(APP), "another run").orElseThrow()) {
      WarmException e = assertThrows(WarmException.class, () -> cold(false).run(APP, "1.0.0+1.0", List.of("true"),
          a -> { }));
      assertTrue(e.getMessage().contains("already"), e.getMessage());
      assertEquals(List.of(), calls, "nothing created, nothing removed");
    }
  }
}
