package warm.nightly.canonical;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import warm.core.WarmException;
import warm.core.platform.Platform;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.gate.PublishedVersions;
import warm.gate.RecipeVersion;

/**
 * The release a promotion moves a canonical to: a published version (git tag) of the recipe and the commit it
 * tags. {@code warm promote} takes only the recipe's latest stable release (as the upgrade gate defines it:
 * {@link PublishedVersions#latest()}); the seed takes any published version.
 *
 * @param version the recipe version ({@code <recipe-semver>+<upstream>})
 * @param commit the full commit the version's tag points at
 */
record PromoteTarget(String version, String commit) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{7,40}");

  /**
   * The latest release, refused (exit 2) when the cold run (its result or {@code --commit}) was on anything else.
   *
   * @param commit the commit the caller says the cold run deployed ({@code --commit}), if given
   * @param cold the cold run's result, if given
   */
  static PromoteTarget latest(Platform platform, ProcessRunner runner, Duration gitTimeout, String recipe,
      Optional<String> commit, Optional<ColdResult> cold) {
    Path dir = platform.fetchRecipe(recipe);
    RecipeVersion latest = PublishedVersions.of(platform.publishedVersions(recipe)).latest()
        .orElseThrow(() -> WarmException.usage("recipe " + recipe + " has no published stable release"));
    String version = latest.toString();
    if (cold.isPresent() && !cold.get().version().equals(version)) {
      throw WarmException.usage("the cold run tested " + recipe + " "
          + cold.get().version().replaceAll("\\p{Cntrl}", "?") + ", which is not the latest published release ("
          + version + "): only a green cold run on the latest release promotes");
    }
    String tagged = tagCommit(runner, gitTimeout, dir, version);
    if (commit.isPresent() && cold.isPresent() && !sameCommit(commit.get(), cold.get().commit())) {
      throw WarmException.usage("--commit " + commit.get() + " is not the commit of the cold result ("
          + cold.get().commit() + ")");
    }
    Optional<String> claimed = commit.or(() -> cold.map(ColdResult::commit));
    if (claimed.isPresent() && !sameCommit(claimed.get(), tagged)) {
      throw WarmException.usage("the cold run was on commit " + claimed.get().replaceAll("\\p{Cntrl}", "?")
          + ", but the latest release " + version + " of " + recipe + " is commit " + tagged);
    }
    return new PromoteTarget(version, tagged);
  }

  /** A published version of the recipe (the seed's choice), refused (exit 2) when it is not one. */
  static PromoteTarget published(Platform platform, ProcessRunner runner, Duration gitTimeout, String recipe,
      String version) {
    Path dir = platform.fetchRecipe(recipe);
    if (!platform.publishedVersions(recipe).contains(version)) {
      throw WarmException.usage("version '" + version + "' is not a published version of " + recipe);
    }
    return new PromoteTarget(version, tagCommit(runner, gitTimeout, dir, version));
  }

  /** Two commits, full or abbreviated (7+ hex digits), name the same one: one is a prefix of the other. */
  static boolean sameCommit(String a, String b) {
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    return HEX.matcher(x).matches() && HEX.matcher(y).matches() && (x.startsWith(y) || y.startsWith(x));
  }

  /** The commit a version's tag points at, bounded by {@code timeouts.commandSeconds} as every other git command. */
  private static String tagCommit(ProcessRunner runner, Duration gitTimeout, Path dir, String version) {
    return runner.run(Command.of("git", "-C", dir.toString(), "rev-parse", "refs/tags/" + version + "^{commit}")
        .withTimeout(gitTimeout)).requireSuccess().stdout().strip();
  }
}
