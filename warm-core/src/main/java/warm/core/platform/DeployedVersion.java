package warm.core.platform;

/**
 * What a stack's labels say is deployed.
 *
 * @param version the {@code coop-cloud.<stack>.version} label (the recipe version of the checkout's compose)
 * @param chaos whether the {@code chaos} label is {@code true}
 * @param chaosVersion the {@code chaos-version} label: short sha, {@code +U} when the checkout was dirty
 * @param recipe the {@code coop-cloud.<stack>.recipe} label, when present
 */
public record DeployedVersion(String version, boolean chaos, String chaosVersion, String recipe) {
  /** The version abra would report: the chaos version for a chaos deploy, else the release version. */
  public String effective() {
    return chaos && chaosVersion != null && !chaosVersion.isEmpty() ? chaosVersion : version;
  }
}
