package warm.quick.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration, found by logback as a service when slf4j first starts it: the same set-up as
 * {@link Logging#configure} without debug (which then applies the command's {@code --verbose}). Without it logback
 * first searched for configuration files (Joran) and built its BasicConfigurator's console appender, both thrown
 * away at once by {@link Logging#configure}: ~25 ms of a data command's fixed cost (issue 15). Returning
 * DO_NOT_INVOKE_NEXT_IF_ANY is what skips them.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logging.setUp(context, false, System.getenv());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
