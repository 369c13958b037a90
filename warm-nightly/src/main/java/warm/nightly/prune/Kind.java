package warm.nightly.prune;

import java.util.Locale;

/** What kind of thing a prune candidate is; {@link #json} is its name in the JSON result. */
public enum Kind {
  /** A canonical of a recipe no longer enrolled: stack, volumes, secrets, snapshots, state directory. */
  CANONICAL,
  /**
   * The state directory {@code <root>/<app>/} of an infra app removed from {@code infra[]} ({@code reconcile.json},
   * {@code last-good.json}, {@code hold.json}, its pre-upgrade snapshots); never its stack or volumes.
   */
  INFRA_STATE,
  /** A snapshot superseded by its store's known-good that no record names. */
  SNAPSHOT,
  /** Interrupted work ({@code .tmp-*}) in a snapshot store or the state root. */
  LEFTOVER,
  /** A per-run cold app (stack, volumes, secrets) of a dead run. */
  COLD_APP,
  /** The lock file of a cold run whose app is gone ({@code <root>/locks/<stack>.lock}). */
  RUN_LOCK,
  /** A per-run SSO realm of a dead or expired run. */
  REALM,
  /** Dangling Docker images. */
  IMAGES,
  /** A delivered alert ({@code <root>/alerts/sent/<id>.json}) older than {@code prune.sentAlertAgeDays}. */
  SENT_ALERT,
  /** A fetched upstream note ({@code <root>/gate-cache/<app>/<version>}) unused for {@code prune.gateNoteAgeDays}. */
  GATE_NOTE;

  /**
   * {@code canonical}, {@code infra-state}, {@code snapshot}, {@code leftover}, {@code cold-app}, {@code run-lock},
   * {@code realm},
   * {@code images}, {@code sent-alert}, {@code gate-note}.
   */
  public String json() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
