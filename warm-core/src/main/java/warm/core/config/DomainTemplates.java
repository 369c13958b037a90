package warm.core.config;

/**
 * Domain templates. Placeholders: {@code {recipe}}, {@code {ciDomain}}, and for cold runs {@code {hex}} (6 hex
 * characters unique to the run).
 */
public record DomainTemplates(String canonical, String cold) {
  public static final String DEFAULT_CANONICAL = "warm-{recipe}.{ciDomain}";
  public static final String DEFAULT_COLD = "{recipe}-{hex}.{ciDomain}";

  public DomainTemplates {
    canonical = canonical == null ? DEFAULT_CANONICAL : canonical;
    cold = cold == null ? DEFAULT_COLD : cold;
  }
}
