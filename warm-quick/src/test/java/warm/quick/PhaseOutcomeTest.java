package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import warm.core.ExitCode;

/** The phase names on disk and the outcome names in the result JSON are contracts: a rename must fail here. */
class PhaseOutcomeTest {
  @Test
  void testPhase_journalNames_unchanged_andParsedBack() {
    assertEquals(List.of("started", "restoring", "deploying-known-good", "sso", "deploying-pr", "prepared", "testing",
        "passed", "rolling-back"), Arrays.stream(Phase.values()).map(Phase::journalName).toList());
    for (Phase p : Phase.values()) {
      assertEquals(Optional.of(p), Phase.parse(p.journalName()));
    }
    assertEquals(Optional.empty(), Phase.parse("frobnicating"));
  }

  @Test
  void testOutcome_jsonNames_andExitCodes() {
    assertEquals(ExitCode.OK, QuickLane.exitCode(result("pass")));
    assertEquals(ExitCode.OK, QuickLane.exitCode(result("prepared")));
    assertEquals(ExitCode.TEST_FAILED, QuickLane.exitCode(result("fail")));
    assertEquals(ExitCode.NO_CANONICAL_OR_HELD, QuickLane.exitCode(result("no-canonical")));
    assertEquals(ExitCode.INFRA, QuickLane.exitCode(result("error")));
    assertEquals(ExitCode.INFRA, QuickLane.exitCode(result("something-new")), "unknown: the safe side");
  }

  private static QuickResult result(String outcome) {
    return new QuickResult("quick", "lower", outcome, "r", "q1", null, null, false, null, Map.of());
  }
}
