package warm.core.config;

import java.nio.file.Path;

/**
 * Where the gate also reads an infra app's upstream release notes (a recipe version is
 * {@code <recipe-semver>+<upstream>}; the recipe's own note is often empty while the upstream moved). Exactly one of
 * {@code directory} and {@code urlTemplate}.
 *
 * @param directory absolute directory of notes named by upstream version ({@code 26.5.0}, {@code 26.5.0.md},
 *     {@code 26.5.0.txt}, {@code 26.5.0.html})
 * @param urlTemplate http(s) URL with {@code {version}}, fetched at decision time and cached under the state root
 * @param timeoutSeconds bound on one fetch (1–120, default 10)
 * @param onUnreachable {@code hold} (default) or {@code proceed} with a warning when a note cannot be reached
 */
public record UpstreamNotesSettings(Path directory, String urlTemplate, Integer timeoutSeconds, String onUnreachable) {
  /** The default bound on one fetch. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 10;
  /** The longest bound accepted: the reconciler runs during {@code nixos-rebuild switch}. */
  public static final int MAX_TIMEOUT_SECONDS = 120;

  public UpstreamNotesSettings {
    timeoutSeconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    onUnreachable = onUnreachable == null ? "hold" : onUnreachable;
  }

  /** Whether an unreachable note lets the upgrade go on (with a warning) instead of holding it. */
  public boolean proceedWhenUnreachable() {
    return "proceed".equals(onUnreachable);
  }
}
