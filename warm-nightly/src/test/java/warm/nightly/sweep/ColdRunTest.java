package warm.nightly.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import warm.core.WarmException;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.process.ProcessRunner;

/** The cold run's order and its teardown on every path (the real Swarm: DemoCliIT). */
class ColdRunTest {
  private static final AppRef APP = new AppRef("sample", "sample-abc123.ci.localhost");
  private final List<String> calls = new ArrayList<>();

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
    ColdRun.Result r = new ColdRun(platform(false), ProcessRunner.system(), Duration.ofSeconds(30))
        .run(APP, "1.0.0+1.0", List.of("sh", "-c", "[ \"$WARM_MODE\" = cold ] && exit 3"), a -> calls.add("configure"));
    assertFalse(r.passed());
    assertEquals(3, r.checkExit(), "the check saw WARM_MODE=cold");
    assertEquals(List.of("createApp", "configure", "generateMissingSecrets", "deploy", "removeApp", "volumes",
        "anythingRunning"), calls);
  }

  @Test
  void deployFails_appStillRemoved_failureReported() {
    assertThrows(WarmException.class, () -> new ColdRun(platform(true), ProcessRunner.system(), Duration.ofSeconds(30))
        .run(APP, "1.0.0+1.0", List.of("true"), a -> { }));
    assertEquals(List.of("createApp", "generateMissingSecrets", "deploy", "removeApp"), calls);
  }
}
