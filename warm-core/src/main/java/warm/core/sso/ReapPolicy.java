package warm.core.sso;

import java.time.Duration;
import java.util.Objects;

/**
 * How a reap judges realms.
 *
 * @param ttl realms older than this are deleted even when their run looks alive
 * @param grace realms younger than this are never deleted for a dead run: a run makes its realm before it deploys
 *     its stack, so a missing stack means nothing during the first minutes
 * @param dryRun report what would be deleted, delete nothing
 */
public record ReapPolicy(Duration ttl, Duration grace, boolean dryRun) {
  /**
   * Validates the policy.
   *
   * @param ttl positive
   * @param grace zero or positive
   * @param dryRun delete nothing
   */
  public ReapPolicy {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(grace, "grace");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
  }
}
