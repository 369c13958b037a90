package warm.quick;

import java.util.List;
import java.util.function.Supplier;
import warm.core.WarmException;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.state.StateStore;
import warm.snapshot.RestoreOutcome;
import warm.snapshot.SnapshotException;
import warm.snapshot.SnapshotStore;

/**
 * What every part of one quick lane works with: the configuration and the adapters, all built over the
 * {@link Cancellation}'s guarded runner (see {@link QuickLanes#create}), so a cancel stops their commands.
 */
record LaneContext(WarmConfig config, Platform platform, StateStore store, Alerts alerts,
    RunRealms realms, Cancellation cancellation) {

  /** The canonical {@code app}'s volumes against its known-good. */
  CanonicalVolumes volumes(AppRef app) {
    return new CanonicalVolumes(platform, store, SnapshotStore.forApp(config.stateRoot(), app.recipe()), app);
  }

  /**
   * Undeployed stack required; restores the known-good into the canonical's volumes (recreating a removed one) and
   * marks them clean, shielded from a cancel: a half-done restore is worse than a late exit.
   *
   * @return which kind of restore ran (delta or full) and what it touched
   */
  RestoreOutcome restoreKnownGood(AppRef app) {
    try (Cancellation.Shield s = cancellation.shield()) {
      CanonicalVolumes.Restored done = volumes(app).restore();
      List<String> recreated = done.recreated();
      if (!recreated.isEmpty()) {
        // Never a deploy on empty data: the known-good went back in. But a canonical volume does not vanish by
        // itself (a `docker volume rm`, a foreign prune): the operator must hear of it.
        alerts.raise(Alert.builder("canonical-volume-missing", app.recipe()).severity(Alert.Severity.WARNING)
            .message("canonical " + app.recipe() + ": volume(s) " + recreated + " had vanished; recreated and the"
                + " known-good restored into them before the run. Find out what removed them.")
            .recovered(true).build());
      }
      return done.outcome();
    } catch (SnapshotException e) {
      throw WarmException.infra("restore of the known-good of " + app.recipe() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a rollback or recovery shielded from a cancel and with the thread's interrupt flag cleared, and sets the
   * flag again afterwards: an interrupt (from whoever sent it) must not close the file channels the journal, state
   * and restore write through, nor be lost for the caller.
   */
  <T> T shielded(Supplier<T> body) {
    try (Cancellation.Shield s = cancellation.shield()) {
      boolean interrupted = Thread.interrupted();
      try {
        return body.get();
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
