package warm.core.config;

import java.nio.file.Path;

/**
 * The plain-Swarm adapter's settings.
 *
 * @param recipesDir where recipe git checkouts live ({@code <recipesDir>/<recipe>}); default {@code <stateRoot>/recipes}
 * @param appsDir where per-app env files live ({@code <appsDir>/<domain>.env}); default {@code <stateRoot>/apps}
 */
public record SwarmSettings(Path recipesDir, Path appsDir) {
  /** {@link #recipesDir}, else its default under the state root: what the Swarm platform uses. */
  public Path recipesDirUnder(Path stateRoot) {
    return recipesDir != null ? recipesDir : stateRoot.resolve("recipes");
  }

  /** {@link #appsDir}, else its default under the state root: what the Swarm platform uses. */
  public Path appsDirUnder(Path stateRoot) {
    return appsDir != null ? appsDir : stateRoot.resolve("apps");
  }
}
