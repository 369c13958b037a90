package warm.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The abra adapter's settings.
 *
 * @param executable abra binary (name on PATH or absolute path)
 * @param abraDir {@code ABRA_DIR} for abra; null means {@code $ABRA_DIR}, else {@code .abra} in the home of the user
 *     running warm (passed to abra either way)
 * @param server the abra server name apps are created on ({@code default} for a local server)
 * @param noDomainChecks pass {@code --no-domain-checks} (CI domains usually have no public DNS)
 * @param extraDeployFlags extra flags appended to every {@code app deploy}
 */
public record AbraSettings(String executable, Path abraDir, String server, Boolean noDomainChecks,
    List<String> extraDeployFlags) {
  public AbraSettings {
    executable = executable == null ? "abra" : executable;
    server = server == null ? "default" : server;
    noDomainChecks = noDomainChecks == null || noDomainChecks;
    extraDeployFlags = extraDeployFlags == null ? List.of() : List.copyOf(extraDeployFlags);
  }

  /**
   * Where abra keeps its state: {@link #abraDir} when set, else {@code envAbraDir} ({@code $ABRA_DIR}) when the
   * environment sets it, else {@code .abra} in the home directory of the user running warm (the password database's,
   * not {@code $HOME}). The one derivation: the abra platform passes it to abra, {@code warm config check} prints it.
   */
  public Path abraDirFor(String envAbraDir) {
    if (abraDir != null) {
      return abraDir;
    }
    if (envAbraDir != null && !envAbraDir.isBlank()) {
      return Path.of(envAbraDir);
    }
    return Path.of(System.getProperty("user.home"), ".abra");
  }
}
