package warm.gate;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the gate reads the upstream project's release notes (a recipe version is {@code <recipe-semver>+<upstream>};
 * the recipe's own note is often empty while the upstream moved). A source answers per upstream version, e.g.
 * {@code 26.5.0}. {@link NoteLookup.Absent} means that version has no note; {@link NoteLookup.Unreadable} means the
 * notes could not be reached (timeout, DNS, a non-2xx answer, larger than 1 MiB, a missing directory), which the gate
 * treats as {@link UpstreamNotes.OnUnreachable configured}.
 */
public interface UpstreamNoteSource {
  /** The placeholder of {@link #url} templates. */
  String VERSION_PLACEHOLDER = "{version}";

  /**
   * Reads the note of one upstream version.
   *
   * @param upstream the upstream version (letters, digits and {@code . _ ~ + -}, never {@code ..})
   * @return what was found and where it was looked up
   */
  UpstreamRead lookup(String upstream);

  /**
   * Notes as files named by upstream version: {@code <dir>/<version>}, {@code <version>.md}, {@code <version>.txt}
   * or {@code <version>.html} (all that exist are read). Symbolic links inside are never followed.
   *
   * @param dir the directory; a missing or unreadable one is unreachable
   * @return the source
   */
  static UpstreamNoteSource directory(Path dir) {
    return new DirectoryUpstreamNotes(Objects.requireNonNull(dir, "dir"));
  }

  /**
   * Notes fetched over HTTP at decision time, e.g. {@code https://github.com/keycloak/keycloak/releases/tag/{version}}.
   * Each fetch is bounded by {@code timeout} (connect, redirects and body together) and 1 MiB; an HTML page is turned
   * into text (of a GitHub release page, the release body). A note fetched once is cached under {@code cacheDir} and
   * reused; a failed fetch caches nothing.
   *
   * @param template an http or https URL containing {@value #VERSION_PLACEHOLDER}
   * @param timeout the bound on one fetch, positive
   * @param cacheDir where fetched notes are kept (created 0700 when first needed)
   * @return the source
   * @throws IllegalArgumentException when the template is not such a URL or the timeout is not positive
   */
  static UpstreamNoteSource url(String template, Duration timeout, Path cacheDir) {
    requireUrlTemplate(template);
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the upstream notes timeout must be positive, got " + timeout);
    }
    return new HttpUpstreamNotes(template, timeout, new UpstreamCache(Objects.requireNonNull(cacheDir, "cacheDir")));
  }

  /**
   * Checks an URL template: http or https, with a host, containing {@value #VERSION_PLACEHOLDER}.
   *
   * @param template the template
   * @throws IllegalArgumentException naming what is wrong
   */
  static void requireUrlTemplate(String template) {
    if (template == null || !template.contains(VERSION_PLACEHOLDER)) {
      throw new IllegalArgumentException("'" + template + "' must contain " + VERSION_PLACEHOLDER);
    }
    URI u;
    try {
      u = URI.create(template.replace(VERSION_PLACEHOLDER, "1.0.0"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + template + "' is not a URL: " + e.getMessage(), e);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException("'" + template + "' must be an http:// or https:// URL with a host");
    }
  }
}
