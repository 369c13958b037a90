package warm.gate;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A Co-op Cloud recipe version: {@code <recipe-semver>[+<upstream>]} (a {@link Kind#RELEASE}, e.g.
 * {@code 10.7.1+26.6.2}, {@code 2.0.1+1.0.6-social-amd64}, {@code 1.2.0}) or a commit hash that a recipe without
 * releases deploys (a {@link Kind#COMMIT}, e.g. {@code 3f2a9c1e}).
 *
 * <p>The recipe part is strict semver 2.0 (each number at most 9 digits); the upstream part is 1–200 characters
 * of {@code [0-9A-Za-z._~+-]} (never {@code /}, so a version is always a safe single file name under
 * {@code release/}). {@link #toString()} renders the exact original string.
 *
 * <p>Order (total, consistent with {@link #equals}): every commit sorts before every release (a commit has no
 * place among releases, and "latest" must never pick one); commits among themselves by string. Releases by the
 * recipe semver (semver precedence, pre-releases before their release), then by upstream (absent before present,
 * then {@link UpstreamOrder natural order}: digit runs numerically, text runs alphabetically), then by the
 * original string.
 */
public final class RecipeVersion implements Comparable<RecipeVersion> {
  /** What kind of ref a version string names. */
  public enum Kind {
    /** A published release {@code <recipe-semver>[+<upstream>]}. */
    RELEASE,
    /** A commit hash (7–64 hex digits): a recipe without releases, or a chaos deploy. */
    COMMIT
  }

  /** Longest string parse accepts; longer is not a plausible version and bounds the work on hostile input. */
  public static final int MAX_LENGTH = 256;

  private static final String NUM = "(?:0|[1-9][0-9]{0,8})";
  private static final String PRE_ID = "(?:" + NUM + "|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
  private static final Pattern RELEASE = Pattern.compile(
      "(" + NUM + ")\\.(" + NUM + ")\\.(" + NUM + ")(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))?"
          + "(?:\\+([0-9A-Za-z._~+-]{1,200}))?");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
  // Pre-release identifiers that are all digits but longer than 9 digits would overflow semver4j's comparison.
  private static final Pattern LONG_NUMERIC_ID = Pattern.compile("(?:^|\\.)[0-9]{10,}(?:\\.|$)");

  private final String raw;
  private final Kind kind;
  private final Semver recipe;
  private final String upstream;

  private RecipeVersion(String raw, Kind kind, Semver recipe, String upstream) {
    this.raw = raw;
    this.kind = kind;
    this.recipe = recipe;
    this.upstream = upstream;
  }

  /**
   * Parses a version string exactly as written (no trimming, no leading {@code v}).
   *
   * @param text the version, e.g. {@code 2.0.1+1.0.6-social-amd64}
   * @return the version; {@code parse(v.toString()).equals(v)} always holds
   * @throws VersionFormatException when {@code text} is null, empty, too long, or neither a release nor a commit
   *     hash; nothing else is ever thrown
   */
  public static RecipeVersion parse(String text) {
    if (text == null) {
      throw new VersionFormatException("version is missing");
    }
    if (text.isEmpty()) {
      throw new VersionFormatException("version is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new VersionFormatException("version is longer than " + MAX_LENGTH + " characters");
    }
    Matcher m = RELEASE.matcher(text);
    if (m.matches()) {
      String pre = m.group(4);
      if (pre != null && LONG_NUMERIC_ID.matcher(pre).find()) {
        throw new VersionFormatException("'" + printable(text) + "' has a numeric pre-release identifier over 9 digits");
      }
      String recipePart = m.group(5) == null ? text : text.substring(0, m.start(5) - 1);
      Semver semver = Semver.parse(recipePart);
      if (semver == null) {
        // The pattern is stricter than semver4j; this would be a disagreement between the two, so fail safe.
        throw new VersionFormatException("'" + printable(text) + "' is not a semver recipe version");
      }
      return new RecipeVersion(text, Kind.RELEASE, semver, m.group(5));
    }
    if (COMMIT.matcher(text).matches()) {
      return new RecipeVersion(text, Kind.COMMIT, null, null);
    }
    throw new VersionFormatException("'" + printable(text)
        + "' is not a recipe version (<major>.<minor>.<patch>[-<pre>][+<upstream>]) nor a commit hash");
  }

  /**
   * Like {@link #parse} but empty instead of throwing.
   *
   * @param text the version string, may be anything including null
   * @return the version, or empty when {@link #parse} would throw
   */
  public static Optional<RecipeVersion> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (VersionFormatException e) {
      return Optional.empty();
    }
  }

  /** @return whether this is a release or a commit hash */
  public Kind kind() {
    return kind;
  }

  /** @return true for a {@link Kind#RELEASE} */
  public boolean isRelease() {
    return kind == Kind.RELEASE;
  }

  /**
   * @return the recipe semver's major
   * @throws IllegalStateException for a commit, which has no major
   */
  public int major() {
    return requireRelease().getMajor();
  }

  /**
   * @return the recipe semver's minor
   * @throws IllegalStateException for a commit, which has no minor
   */
  public int minor() {
    return requireRelease().getMinor();
  }

  /**
   * @return the recipe part before {@code +}, e.g. {@code 2.0.1}
   * @throws IllegalStateException for a commit
   */
  public String recipePart() {
    return requireRelease().getVersion();
  }

  /** @return the upstream part after the first {@code +}, if any (always empty for a commit) */
  public Optional<String> upstream() {
    return Optional.ofNullable(upstream);
  }

  /** @return true for a release whose recipe part carries a pre-release ({@code 2.0.0-rc.1+2.0}) */
  public boolean isPreRelease() {
    return kind == Kind.RELEASE && !recipe.getPreRelease().isEmpty();
  }

  private Semver requireRelease() {
    if (recipe == null) {
      throw new IllegalStateException(raw + " is a commit, not a release");
    }
    return recipe;
  }

  @Override
  public int compareTo(RecipeVersion o) {
    if (kind != o.kind) {
      return kind == Kind.COMMIT ? -1 : 1;
    }
    if (kind == Kind.RELEASE) {
      int c = recipe.compareTo(o.recipe);
      if (c != 0) {
        return Integer.signum(c);
      }
      c = UpstreamOrder.compare(upstream, o.upstream);
      if (c != 0) {
        return c;
      }
    }
    return Integer.signum(raw.compareTo(o.raw));
  }

  /**
   * @param other another version
   * @return true when {@code other} is strictly after this version
   */
  public boolean isBefore(RecipeVersion other) {
    return compareTo(other) < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecipeVersion v && raw.equals(v.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  /** @return the exact string this version was parsed from */
  @Override
  public String toString() {
    return raw;
  }

  /** Shortens and de-controls a hostile string so an error message stays one readable line. */
  static String printable(String s) {
    Objects.requireNonNull(s);
    String head = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    StringBuilder b = new StringBuilder(head.length());
    head.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
        b.append('?');
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }
}
