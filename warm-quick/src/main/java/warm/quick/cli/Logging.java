package warm.quick.cli;

import java.util.Map;

/**
 * Logging of both entry modules: everything to stderr (stdout is for results), and when running under systemd
 * ({@code JOURNAL_STREAM} set) every line starts with its syslog priority ({@code <3>} error … {@code <7>} debug)
 * so {@code journalctl -p err -t cc-ci-warm} finds alerts and failures. The lines are written by warm's own slf4j
 * binding ({@link StderrLogProvider}, {@link StderrLogger}).
 */
public final class Logging {
  private Logging() {}

  /**
   * Sets the level ({@code --verbose}: debug) and the syslog priorities; called when a command runs, before its
   * first logger.
   */
  public static void configure(boolean verbose, Map<String, String> env) {
    StderrLogger.configure(StderrLogger.Settings.of(verbose, env));
    nameProvider();
  }

  /**
   * Names warm's binding to slf4j ({@code slf4j.provider}) unless the JVM was given one: slf4j then instantiates it
   * directly instead of a {@code ServiceLoader} lookup, which read the module image's {@code META-INF/services} on
   * the main thread (~3-4 ms of a data command's start, issue 15). The lookup would find the same provider (the
   * only one in the distribution), so nothing else changes; if slf4j is already bound the property is not read.
   * slf4j reports an explicitly named provider at INFO on stderr: its own reports are kept to WARN and above.
   */
  static void nameProvider() {
    if (System.getProperty(PROVIDER) == null) {
      System.setProperty(PROVIDER, StderrLogProvider.class.getName());
      if (System.getProperty(VERBOSITY) == null) {
        System.setProperty(VERBOSITY, "WARN");
      }
    }
  }

  static final String PROVIDER = "slf4j.provider";
  static final String VERBOSITY = "slf4j.internal.verbosity";
}
