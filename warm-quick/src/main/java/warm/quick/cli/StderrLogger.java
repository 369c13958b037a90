package warm.quick.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger writing {@code [<prio>]cc-ci-warm <level>: <message>} lines to stderr (stdout is for results): warm's
 * own loggers ({@code warm} and below) from info, every other one from warn, both from debug with
 * {@code --verbose}; the syslog priority ({@code <3>} error … {@code <7>} debug) first when running under systemd
 * ({@code JOURNAL_STREAM} set), so {@code journalctl -p err -t cc-ci-warm} finds alerts and failures; a stack trace
 * only with {@code --verbose}. The settings are read at each call: a logger made before {@link Logging#configure}
 * (a static field) follows it.
 */
final class StderrLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  /** How every logger logs: {@code --verbose}, and whether lines carry a syslog priority. */
  record Settings(boolean verbose, boolean journal) {
    static Settings of(boolean verbose, Map<String, String> env) {
      return new Settings(verbose, env.containsKey("JOURNAL_STREAM"));
    }
  }

  /** Until {@link Logging#configure} runs (in-process uses, tests): not verbose, priorities as the environment says. */
  private static volatile Settings settings = Settings.of(false, System.getenv());

  private final boolean warm;

  StderrLogger(String name) {
    this.name = name;
    this.warm = name.equals("warm") || name.startsWith("warm.");
  }

  static void configure(Settings s) {
    settings = s;
  }

  private boolean enabled(Level level) {
    int min = settings.verbose() ? Level.DEBUG.toInt() : warm ? Level.INFO.toInt() : Level.WARN.toInt();
    return level.toInt() >= min;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null; // no caller data is printed
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
      Throwable thrown) {
    Settings s = settings;
    StringBuilder b = new StringBuilder(128);
    if (s.journal()) {
      b.append('<').append(priority(level)).append('>');
    }
    b.append("cc-ci-warm ").append(level.name().toLowerCase(Locale.ROOT)).append(": ")
        .append(MessageFormatter.basicArrayFormat(pattern, args)).append(System.lineSeparator());
    if (thrown != null && s.verbose()) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      b.append(trace);
    }
    System.err.print(b); // one call per line: PrintStream keeps concurrent lines whole
    System.err.flush();
  }

  /** syslog(3) priorities: err 3, warning 4, info 6, debug 7. */
  static int priority(Level level) {
    return switch (level) {
      case ERROR -> 3;
      case WARN -> 4;
      case INFO -> 6;
      case DEBUG, TRACE -> 7;
    };
  }
}
