package warm.core.config;

/**
 * An enrolled recipe: it gets a data-warm canonical.
 *
 * @param name recipe name (as abra knows it)
 * @param domain explicit canonical domain; null means the canonical template
 * @param sso whether quick runs of this recipe get a per-run Keycloak realm (as with {@code --sso})
 * @param healthUrl optional HTTP probe every deploy of the recipe waits for; {@code {domain}} is replaced by the app's
 *     domain
 */
public record RecipeConfig(String name, String domain, Boolean sso, String healthUrl) {
  public RecipeConfig {
    sso = sso != null && sso;
  }
}
