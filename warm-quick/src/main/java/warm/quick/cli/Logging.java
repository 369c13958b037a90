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

  /** Sets the level ({@code --verbose}: debug) and the syslog priorities; called when a command runs. */
  public static void configure(boolean verbose, Map<String, String> env) {
    StderrLogger.configure(StderrLogger.Settings.of(verbose, env));
  }
}
