package warm.core.config;

import java.nio.file.Path;

/**
 * The plain-Swarm adapter's settings.
 *
 * @param recipesDir where recipe git checkouts live ({@code <recipesDir>/<recipe>}); default {@code <stateRoot>/recipes}
 * @param appsDir where per-app env files live ({@code <appsDir>/<domain>.env}); default {@code <stateRoot>/apps}
 */
public record SwarmSettings(Path recipesDir, Path appsDir) {}
