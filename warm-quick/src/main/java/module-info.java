/** The {@code --quick} CI lane, entrypoint {@code java -m warm.quick}. */
module warm.quick {
  requires transitive warm.core;
  requires transitive warm.snapshot;
  requires transitive info.picocli;
  requires com.fasterxml.jackson.databind; // its own JSON results; warm.core no longer passes it on
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;

  exports warm.quick to warm.nightly; // the lane's API is for the operator CLI; `java -m` needs no export
  exports warm.quick.cli to warm.nightly;
  // `warm recover` dispatches a journal to the module that owns its kind (DESIGN I5).
  uses warm.core.recovery.JournalRecovery;
  provides warm.core.recovery.JournalRecovery with warm.quick.QuickJournalRecovery;
  // Logging's set-up as logback's configurator: logback then skips its own default search (issue 15).
  provides ch.qos.logback.classic.spi.Configurator with warm.quick.cli.LogbackConfigurator;

  opens warm.quick to info.picocli, com.fasterxml.jackson.databind;
  opens warm.quick.cli to info.picocli;
}
