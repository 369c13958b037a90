package warm.core.sso;

/**
 * Per-run SSO realms in the live-warm identity provider (DESIGN §1.6): one realm and OIDC client per run,
 * deleted after the run, leftovers reaped.
 */
public interface RealmManager {
  /**
   * Creates the run's realm (stamped as ours, with the run id and creation time), a confidential OIDC client and
   * optionally a test user. On any failure after the realm exists, the realm is deleted again (or, if that fails
   * too, left for {@link #reap}).
   *
   * @param request the recipe, run id and domain of the run
   * @return issuer, client id and client secret for the run's assertions
   * @throws warm.core.WarmException usage (exit 2) for bad input or a realm name already taken; infra (exit 4)
   *     when the provider fails
   */
  RunRealm create(RealmRequest request);

  /**
   * Deletes a run's realm. Idempotent: a realm that does not exist counts as deleted. Refuses {@code master}, the
   * admin realm and any realm not stamped as ours (usage error, nothing deleted).
   *
   * @param realm the realm's name
   * @return whether it was deleted now or did not exist
   */
  DeleteOutcome delete(String realm);

  /**
   * Deletes this installation's realms whose run is gone (after the grace period) or that are older than the TTL.
   * Never touches realms that are not ours.
   *
   * @param liveness answers whether a run's stack still exists
   * @param policy TTL, grace period and dry run
   * @return every realm of ours with the action taken and why
   */
  ReapReport reap(RunLiveness liveness, ReapPolicy policy);
}
