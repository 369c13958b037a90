package warm.nightly.reconcile;

import warm.core.ExitCode;

/**
 * What a reconcile of one infra app did (DESIGN I6), with the exit code that says it. A hold (3) and a skip (5) are
 * not failures of {@code nixos-rebuild switch}; a rollback (1) left the app healthy at its last-good; only a failed
 * rollback or a failure with nothing to fall back to (4) means the app may be down.
 */
public enum ReconcileOutcome {
  /** Upgraded to the latest release and healthy. */
  APPLIED("applied", 0),
  /** It was not deployed: deployed (last-good, else latest) and healthy. */
  DEPLOYED("deployed", 0),
  /** It ran unhealthy at its version: redeployed and healthy again. */
  HEALED("healed", 0),
  /** Already at the latest release and healthy. */
  NO_OP("no-op", 0),
  /** Another operation holds the app's lock: nothing was done (the reconciler never waits, I7). */
  SKIPPED("skipped", 5),
  /** The gate held the upgrade: the app stays on its version, an alert says why. */
  HELD("held", 3),
  /** The upgrade failed and the app is back, healthy, at its last-good (with its pre-upgrade data). */
  ROLLED_BACK("rolled-back", 1),
  /** Something failed with nothing to fall back to (a first deploy, a heal). */
  FAILED("failed", ExitCode.INFRA.code()),
  /** The upgrade failed and so did the rollback: the loudest alert. */
  ROLLBACK_FAILED("rollback-failed", ExitCode.INFRA.code());

  private final String label;
  private final int exitCode;

  ReconcileOutcome(String label, int exitCode) {
    this.label = label;
    this.exitCode = exitCode;
  }

  /** The word in JSON, logs and {@code reconcile.json}. */
  public String label() {
    return label;
  }

  /** The process exit code for this outcome. */
  public int exitCode() {
    return exitCode;
  }

  /**
   * The exit code of several results ({@code --all}): the worst one's — infra failure (4) > usage error (2) > rolled
   * back (1) > held (3) > skipped (5) > success (0).
   */
  static int worstExit(Iterable<Integer> exits) {
    int worst = 0;
    int rank = -1;
    for (int e : exits) {
      int r = rankOfExit(e);
      if (r > rank) {
        rank = r;
        worst = e;
      }
    }
    return worst;
  }

  private static int rankOfExit(int exit) {
    return switch (exit) {
      case 0 -> 0;
      case 5 -> 1;
      case 3 -> 2;
      case 1 -> 3;
      case 2 -> 4;
      default -> 5;
    };
  }
}
