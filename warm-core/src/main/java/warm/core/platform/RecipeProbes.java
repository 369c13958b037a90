package warm.core.platform;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import warm.core.config.RecipeConfig;
import warm.core.config.WarmConfig;

/**
 * The HTTP probe a deploy must pass besides Swarm health: the {@code healthUrl} of the app's enrolled recipe
 * ({@code recipes[].healthUrl}, {@code {domain}} replaced by the app's domain). Every deploy of that recipe (cold,
 * seed, promote, a quick run's known-good and PR) waits for it within {@code timeouts.healthSeconds}. An infra app's
 * deploy is not probed here: the reconciler asks its own {@code infra[].healthUrl} (its own bound).
 */
final class RecipeProbes {
  private final Map<String, String> urls;
  private final Set<String> infraDomains;

  private RecipeProbes(Map<String, String> urls, Set<String> infraDomains) {
    this.urls = Map.copyOf(urls);
    this.infraDomains = Set.copyOf(infraDomains);
  }

  /** The probes the configuration's enrolled recipes name. */
  static RecipeProbes of(WarmConfig config) {
    Map<String, String> urls = new LinkedHashMap<>();
    for (RecipeConfig r : config.recipes()) {
      if (r.healthUrl() != null && !r.healthUrl().isBlank()) {
        urls.put(r.name(), r.healthUrl());
      }
    }
    return new RecipeProbes(urls, config.infraDomains().keySet());
  }

  /** No probe for any app. */
  static RecipeProbes none() {
    return new RecipeProbes(Map.of(), Set.of());
  }

  /** The URL a deploy of {@code app} must reach, if its recipe names one. */
  Optional<URI> probe(AppRef app) {
    String template = urls.get(app.recipe());
    if (template == null || infraDomains.contains(app.domain())) {
      return Optional.empty();
    }
    return Optional.of(URI.create(template.replace("{domain}", app.domain())));
  }
}
