package warm.quick.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging of both entry modules: everything to stderr (stdout is for results), and when running under systemd
 * ({@code JOURNAL_STREAM} set) every line starts with its syslog priority ({@code <3>} error … {@code <7>} debug)
 * so {@code journalctl -p err -t cc-ci-warm} finds alerts and failures.
 */
public final class Logging {
  private Logging() {}

  /** Configures logback; call first thing in {@code main}. */
  public static void configure(boolean verbose, Map<String, String> env) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    setUp(ctx, verbose, env);
  }

  /**
   * The appender and levels, on a context that has none (a fresh or reset one); also logback's own start, through
   * {@link LogbackConfigurator}.
   */
  static void setUp(LoggerContext ctx, boolean verbose, Map<String, String> env) {
    boolean journal = env.containsKey("JOURNAL_STREAM");
    PriorityLayout layout = new PriorityLayout(journal);
    layout.setContext(ctx);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
    enc.setContext(ctx);
    enc.setLayout(layout);
    enc.start();
    ConsoleAppender<ILoggingEvent> app = new ConsoleAppender<>();
    app.setContext(ctx);
    app.setTarget("System.err");
    app.setEncoder(enc);
    app.start();
    var root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(app);
    root.setLevel(verbose ? Level.DEBUG : Level.WARN);
    ctx.getLogger("warm").setLevel(verbose ? Level.DEBUG : Level.INFO);
  }

  /** {@code <prio>LEVEL message}; the priority prefix only under systemd. */
  static final class PriorityLayout extends LayoutBase<ILoggingEvent> {
    private final boolean journal;

    PriorityLayout(boolean journal) {
      this.journal = journal;
    }

    @Override
    public String doLayout(ILoggingEvent e) {
      StringBuilder b = new StringBuilder(128);
      if (journal) {
        b.append('<').append(priority(e.getLevel())).append('>');
      }
      b.append("cc-ci-warm ").append(e.getLevel().levelStr.toLowerCase(Locale.ROOT)).append(": ")
          .append(e.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
      if (e.getThrowableProxy() != null && e.getLevel().isGreaterOrEqual(Level.DEBUG)
          && LoggerFactory.getLogger("warm").isDebugEnabled()) {
        b.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
      }
      return b.toString();
    }

    /** syslog(3) priorities: err 3, warning 4, info 6, debug 7. */
    static int priority(Level level) {
      if (level.isGreaterOrEqual(Level.ERROR)) {
        return 3;
      }
      if (level.isGreaterOrEqual(Level.WARN)) {
        return 4;
      }
      if (level.isGreaterOrEqual(Level.INFO)) {
        return 6;
      }
      return 7;
    }
  }
}
