package warm.quick;

import warm.core.ExitCode;

/** How a quick run ended, by the name {@link QuickResult#outcome()} carries in the result JSON, and its exit code. */
enum Outcome {
  PASS("pass", ExitCode.OK),
  /** Split mode's first half: the PR is deployed and waits for {@code finish}. */
  PREPARED("prepared", ExitCode.OK),
  FAIL("fail", ExitCode.TEST_FAILED),
  NO_CANONICAL("no-canonical", ExitCode.NO_CANONICAL_OR_HELD),
  ERROR("error", ExitCode.INFRA);

  private final String json;
  private final ExitCode exitCode;

  Outcome(String json, ExitCode exitCode) {
    this.json = json;
    this.exitCode = exitCode;
  }

  /** The name in the result JSON (a contract with the CI runner: keep it). */
  String json() {
    return json;
  }

  /** The exit code of DESIGN §6. */
  ExitCode exitCode() {
    return exitCode;
  }

  /** The outcome a result names; anything unknown is an error (exit 4), the safe side. */
  static Outcome of(String json) {
    for (Outcome o : values()) {
      if (o.json.equals(json)) {
        return o;
      }
    }
    return ERROR;
  }
}
