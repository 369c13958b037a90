/** The {@code --quick} CI lane, entrypoint {@code java -m warm.quick}. */
module warm.quick {
  requires transitive warm.core;
  requires transitive warm.snapshot;
  requires transitive info.picocli;
  requires com.fasterxml.jackson.databind; // its own JSON results; warm.core no longer passes it on
  requires org.slf4j;

  exports warm.quick to warm.nightly; // the lane's API is for the operator CLI; `java -m` needs no export
  // org.slf4j: Logging names StderrLogProvider (slf4j.provider), which slf4j instantiates reflectively.
  exports warm.quick.cli to warm.nightly, org.slf4j;
  // `warm recover` dispatches a journal to the module that owns its kind (DESIGN I5).
  uses warm.core.recovery.JournalRecovery;
  provides warm.core.recovery.JournalRecovery with warm.quick.QuickJournalRecovery;
  // warm's own slf4j binding: lines on stderr without logback's start-up (issue 15).
  provides org.slf4j.spi.SLF4JServiceProvider with warm.quick.cli.StderrLogProvider;

  opens warm.quick to info.picocli, com.fasterxml.jackson.databind;
  opens warm.quick.cli to info.picocli;
}
