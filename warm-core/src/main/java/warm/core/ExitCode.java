package warm.core;

/** The stable exit-status table of every cc-ci-warm command (DESIGN §6; documented in docs/exit-codes.md). */
public enum ExitCode {
  /** Success, or the quick run passed. */
  OK(0),
  /** The tests failed (and the app was rolled back). */
  TEST_FAILED(1),
  /** Usage or configuration error; nothing was changed. */
  USAGE(2),
  /** Quick: no canonical, run cold first. Reconcile/gate: held. */
  NO_CANONICAL_OR_HELD(3),
  /** Infrastructure failure (Docker, abra, Keycloak, disk; rollback or restore failed). */
  INFRA(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
