package warm.nightly.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;

/**
 * Prerequisites of tests that need real parts (a copy of warm-core's test helper, whose test classes are not shared).
 * On a developer box a missing part skips the test with the reason; with {@code CI=true} it fails it, so CI can never
 * go green by skipping.
 */
public final class Prereq {
  private Prereq() {}

  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  public static void require(boolean present, String reason) {
    if (present) {
      return;
    }
    if (ci()) {
      fail("CI=true and a prerequisite is missing: " + reason);
    }
    assumeTrue(false, reason);
  }

  /** A Docker engine with an active single-node Swarm. */
  public static void swarm() {
    var r = ProcessRunner.system().run(Command.of("docker", "info", "--format", "{{.Swarm.LocalNodeState}}")
        .withTimeout(Duration.ofSeconds(20)));
    require(r.ok(), "no Docker engine answers (run scripts/testbed.sh)");
    require(r.stdout().strip().equals("active"), "Docker Swarm is not active (run scripts/testbed.sh)");
  }
}
