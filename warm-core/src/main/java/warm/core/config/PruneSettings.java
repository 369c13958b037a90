package warm.core.config;

import java.time.Duration;

/**
 * What {@code warm prune} may remove and when.
 *
 * @param deenrolledGraceMinutes how long a canonical whose recipe left {@code recipes[]}, or the state of an infra app
 *     that left {@code infra[]}, is kept (from the first prune that saw it missing), so configuring it again within
 *     it finds its warm data or state still there
 * @param deadRunAgeMinutes age after which a per-run cold app that no warm run lock marks (a run warm did not start)
 *     counts as dead
 * @param realmGraceMinutes a per-run realm younger than this is never removed for a dead run: a run makes its realm
 *     before its stack
 * @param imagePruneAbovePercent dangling Docker images are pruned only when the filesystem holding Docker's data root
 *     is fuller than this (percent used); 100 means never
 * @param sentAlertAgeDays a delivered alert ({@code alerts/sent/}) is kept this long after it was last written: long
 *     enough to answer "was I told?" about last quarter, short enough that the directory stays small
 * @param gateNoteAgeDays a fetched upstream note ({@code gate-cache/<app>/}) unused this long goes; a gate that needs
 *     it again fetches it again
 */
public record PruneSettings(Integer deenrolledGraceMinutes, Integer deadRunAgeMinutes, Integer realmGraceMinutes,
    Integer imagePruneAbovePercent, Integer sentAlertAgeDays, Integer gateNoteAgeDays) {
  public PruneSettings {
    deenrolledGraceMinutes = deenrolledGraceMinutes == null ? 7 * 24 * 60 : deenrolledGraceMinutes;
    deadRunAgeMinutes = deadRunAgeMinutes == null ? 6 * 60 : deadRunAgeMinutes;
    realmGraceMinutes = realmGraceMinutes == null ? 30 : realmGraceMinutes;
    imagePruneAbovePercent = imagePruneAbovePercent == null ? 80 : imagePruneAbovePercent;
    sentAlertAgeDays = sentAlertAgeDays == null ? 90 : sentAlertAgeDays;
    gateNoteAgeDays = gateNoteAgeDays == null ? 30 : gateNoteAgeDays;
  }

  /** All defaults. */
  static PruneSettings defaults() {
    return new PruneSettings(null, null, null, null, null, null);
  }

  public Duration deenrolledGrace() { return Duration.ofMinutes(deenrolledGraceMinutes); }
  public Duration deadRunAge() { return Duration.ofMinutes(deadRunAgeMinutes); }
  public Duration realmGrace() { return Duration.ofMinutes(realmGraceMinutes); }
  public Duration sentAlertAge() { return Duration.ofDays(sentAlertAgeDays); }
  public Duration gateNoteAge() { return Duration.ofDays(gateNoteAgeDays); }
}
