package warm.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one rule for tests on real parts: on a developer box a missing part skips the test with the reason; with
 * {@code CI=true} it fails it, so CI can never go green by skipping. {@link Needs} applies it declaratively.
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

  /** A Docker engine with an active single-node Swarm and the offline test image. */
  public static void swarm() {
    require(RealPart.SWARM.present(), RealPart.SWARM.description() + " (run scripts/testbed.sh)");
  }
}
