package warm.gate;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;

/** A missing prerequisite skips a test on a developer box and fails it under CI=true. */
final class Prerequisites {
  private Prerequisites() {}

  static void require(boolean present, String reason) {
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(reason + " (CI=true: a missing prerequisite is a failure)");
    }
    assumeTrue(present, reason);
  }

  /** @return true when the command runs and exits 0 */
  static boolean runs(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
