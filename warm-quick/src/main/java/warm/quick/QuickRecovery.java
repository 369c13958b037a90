package warm.quick;

import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.platform.AppRef;
import warm.core.state.CanonicalRecord;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.snapshot.RestoreOutcome;

/**
 * Crash recovery of a quick run (DESIGN I5): what a killed run's journal left is rolled back (undeploy, delete the
 * realm, restore the known-good), or finished when the run had passed. Called with the app lock held, by the next
 * run of the app or by {@code warm recover} ({@link QuickJournalRecovery}).
 */
final class QuickRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(QuickRecovery.class);

  private final LaneContext lane;

  QuickRecovery(LaneContext lane) {
    this.lane = lane;
  }

  /** Finishes or rolls back the run of quick journal {@code j}, deletes the journal, and says what it did. */
  String recover(Journal j) {
    return lane.shielded(() -> recoverShielded(j));
  }

  private String recoverShielded(Journal j) {
    String app = j.app();
    Optional<Phase> phase = Phase.parse(j.phase()); // unknown (another version's): rolled back, the safe side
    Optional<Instant> lease = Lease.liveUntil(j);
    if (lease.isPresent()) {
      throw WarmException.infra("app " + app + " has a prepared quick run " + j.runId()
          + " waiting for 'finish' until " + j.data().get(Lease.KEY) + "; run 'finish' or wait for the lease to expire");
    }
    CanonicalRecord canonical = lane.store().read(app, StateFile.CANONICAL).orElseThrow(() ->
        WarmException.infra("app " + app + " has a quick journal but no canonical.json"));
    LOG.warn("recovering interrupted quick run {} of {} (phase {})", j.runId(), app, j.phase());
    AppRef ref = new AppRef(app, canonical.domain());
    lane.platform().undeploy(ref);
    String realm = j.data().get(QuickRun.REALM_KEY);
    if (realm != null) {
      lane.realms().delete(realm);
    }
    String what;
    if (phase.equals(Optional.of(Phase.PASSED))) {
      what = "finished the passed run " + j.runId() + " (undeployed; volumes stay dirty)";
    } else if (!phase.equals(Optional.of(Phase.STARTED))
        || lane.volumes(ref).driftFrom(canonical.snapshotId()).isPresent()) {
      RestoreOutcome o = lane.restoreKnownGood(ref);
      what = "rolled back run " + j.runId() + " from phase " + j.phase() + " (known-good restored, " + o.kind()
          + (o.fullReason() == null ? "" : ": " + o.fullReason()) + ", " + o.entriesTouched() + " entries touched)";
    } else {
      what = "cleared run " + j.runId() + " interrupted before it changed anything";
    }
    lane.store().delete(app, StateFile.JOURNAL);
    lane.alerts().raise(Alert.builder("quick-run-recovered", app).severity(Alert.Severity.WARNING)
        .message("an interrupted quick run was recovered: " + what).recovered(true).build());
    return what;
  }
}
