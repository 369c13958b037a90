package warm.core.config;

import java.time.Duration;

/**
 * Bounds on every wait, in seconds.
 *
 * @param deploySeconds one deploy command (abra converge checks included)
 * @param undeploySeconds waiting until no task or container of a stack remains
 * @param healthSeconds waiting for convergence and health after a deploy
 * @param lockWaitSeconds waiting for another operation on the same app
 * @param commandSeconds default bound for other external commands
 * @param testSeconds the runner's assertion command in a quick run
 */
public record Timeouts(Integer deploySeconds, Integer undeploySeconds, Integer healthSeconds,
    Integer lockWaitSeconds, Integer commandSeconds, Integer testSeconds) {
  public Timeouts {
    deploySeconds = deploySeconds == null ? 600 : deploySeconds;
    undeploySeconds = undeploySeconds == null ? 180 : undeploySeconds;
    healthSeconds = healthSeconds == null ? 300 : healthSeconds;
    lockWaitSeconds = lockWaitSeconds == null ? 1800 : lockWaitSeconds;
    commandSeconds = commandSeconds == null ? 120 : commandSeconds;
    testSeconds = testSeconds == null ? 3600 : testSeconds;
  }

  public Duration deploy() { return Duration.ofSeconds(deploySeconds); }
  public Duration undeploy() { return Duration.ofSeconds(undeploySeconds); }
  public Duration health() { return Duration.ofSeconds(healthSeconds); }
  public Duration lockWait() { return Duration.ofSeconds(lockWaitSeconds); }
  public Duration command() { return Duration.ofSeconds(commandSeconds); }
  public Duration test() { return Duration.ofSeconds(testSeconds); }
}
