package warm.quick;

import java.util.Optional;

/**
 * The phases of a quick run, in order, each written to the journal before the step it names runs (DESIGN I5). The
 * names on disk are what recovery reads back, also from a journal an older or newer version wrote: keep them.
 */
enum Phase {
  STARTED("started"),
  RESTORING("restoring"),
  DEPLOYING_KNOWN_GOOD("deploying-known-good"),
  SSO("sso"),
  DEPLOYING_PR("deploying-pr"),
  /** Split mode: the PR is up and the lane has exited; the runner's assertions run outside, under a lease. */
  PREPARED("prepared"),
  TESTING("testing"),
  PASSED("passed"),
  ROLLING_BACK("rolling-back");

  private final String journalName;

  Phase(String journalName) {
    this.journalName = journalName;
  }

  /** The name in {@code journal.json}. */
  String journalName() {
    return journalName;
  }

  /** Whether nothing of the run had been deployed yet at this phase (a failure is then the infrastructure's). */
  boolean beforeDeploy() {
    return this == STARTED || this == RESTORING;
  }

  /** The phase a journal names; empty for a name this version does not know (recovery then rolls back). */
  static Optional<Phase> parse(String journalName) {
    for (Phase p : values()) {
      if (p.journalName.equals(journalName)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
