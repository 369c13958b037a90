package warm.quick.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * warm's slf4j binding, found by slf4j as a service: every logger is a {@link StderrLogger}. It replaced logback,
 * whose context, status manager, configurator search and layout set-up were ~25 ms of a data command's fixed cost
 * for one line on stderr (issue 15); warm needs no appenders, files or configuration files, only
 * {@link Logging}'s levels and format. No MDC (nothing in warm uses it).
 */
public final class StderrLogProvider implements SLF4JServiceProvider {
  private final Factory factory = new Factory();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99"; // slf4j's own providers' convention: any 2.0.x API
  }

  @Override
  public void initialize() {
    // nothing to set up: the loggers read Logging's settings at each call
  }

  /** One logger per name. */
  static final class Factory implements ILoggerFactory {
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, StderrLogger::new);
    }
  }
}
