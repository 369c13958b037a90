/** The operator CLI ({@code bin/warm}): reconciler, promote, nightly sweep, prune, status, demo and tools. */
module warm.nightly {
  requires warm.core;
  requires warm.snapshot;
  requires warm.gate;
  requires warm.quick;
  requires info.picocli;
  requires com.fasterxml.jackson.databind; // its own --json output
  requires java.net.http; // the reconciler's healthUrl probe

  uses warm.core.recovery.JournalRecovery; // `warm recover` dispatches by journal kind
  provides warm.core.recovery.JournalRecovery with warm.nightly.reconcile.ReconcileRecovery,
      warm.nightly.canonical.PromoteJournalRecovery;

  opens warm.nightly to info.picocli;
  opens warm.nightly.cli to info.picocli;
  opens warm.nightly.status to com.fasterxml.jackson.databind; // the disk-budget crossing record
}
