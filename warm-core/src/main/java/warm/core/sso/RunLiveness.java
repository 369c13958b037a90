package warm.core.sso;

/**
 * Whether the run that owns a realm is still alive. Reaping deletes a realm whose run is gone; a check that cannot
 * tell (throws) keeps the realm.
 */
@FunctionalInterface
public interface RunLiveness {
  /**
   * Answers whether the run's stack still exists.
   *
   * @param stack the Swarm stack stamped on the realm (from the run's domain)
   * @return true while the run is alive
   * @throws warm.core.WarmException when it cannot tell (the realm is then kept)
   */
  boolean isAlive(String stack);
}
