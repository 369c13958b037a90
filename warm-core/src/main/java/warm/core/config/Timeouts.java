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
 * @param healthUrlSeconds waiting for an infra app's {@code healthUrl} to answer 2xx once Swarm calls it converged
 *     and healthy (the reconciler's second gate); its own bound, so a 503 upgrade does not cost a second
 *     {@code healthSeconds} of SSO downtime before the rollback
 */
public record Timeouts(Integer deploySeconds, Integer undeploySeconds, Integer healthSeconds,
    Integer lockWaitSeconds, Integer commandSeconds, Integer testSeconds, Integer healthUrlSeconds) {
  /**
   * 60 s: by the time the health URL is asked, Swarm has seen the container's own healthcheck pass (the app is up
   * inside its container); what is left is the route to it (the proxy picking up the service, the published port).
   * Measured: Keycloak's readiness answered 0.5 s after Swarm called it healthy (ReconcileKeycloakIT). An app
   * without a container healthcheck boots inside this bound instead: raise it for such an app.
   */
  public static final int DEFAULT_HEALTH_URL_SECONDS = 60;

  public Timeouts {
    deploySeconds = deploySeconds == null ? 600 : deploySeconds;
    undeploySeconds = undeploySeconds == null ? 180 : undeploySeconds;
    healthSeconds = healthSeconds == null ? 300 : healthSeconds;
    lockWaitSeconds = lockWaitSeconds == null ? 1800 : lockWaitSeconds;
    commandSeconds = commandSeconds == null ? 120 : commandSeconds;
    testSeconds = testSeconds == null ? 3600 : testSeconds;
    healthUrlSeconds = healthUrlSeconds == null ? DEFAULT_HEALTH_URL_SECONDS : healthUrlSeconds;
  }

  /** The six bounds that predate {@code healthUrlSeconds}, which takes its default. */
  public Timeouts(Integer deploySeconds, Integer undeploySeconds, Integer healthSeconds, Integer lockWaitSeconds,
      Integer commandSeconds, Integer testSeconds) {
    this(deploySeconds, undeploySeconds, healthSeconds, lockWaitSeconds, commandSeconds, testSeconds, null);
  }

  public Duration deploy() { return Duration.ofSeconds(deploySeconds); }
  public Duration undeploy() { return Duration.ofSeconds(undeploySeconds); }
  public Duration health() { return Duration.ofSeconds(healthSeconds); }
  public Duration lockWait() { return Duration.ofSeconds(lockWaitSeconds); }
  public Duration command() { return Duration.ofSeconds(commandSeconds); }
  public Duration test() { return Duration.ofSeconds(testSeconds); }
  public Duration healthUrl() { return Duration.ofSeconds(healthUrlSeconds); }
}
