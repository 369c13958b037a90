package warm.gate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lists a recipe checkout's git tags with {@code git -C DIR tag --list}: the recipe's published versions. */
final class GitTags {
  /** More than 8 MiB of tag names is not a recipe; refuse rather than hold it all in memory. */
  static final int MAX_OUTPUT_BYTES = 8 << 20;

  private GitTags() {}

  /**
   * @param dir the recipe checkout
   * @param timeout how long git may take
   * @return the tag names, one per line of git's output
   * @throws RecipeCheckoutException when {@code dir} is not a git repository
   * @throws GateException when git is missing, times out or fails otherwise
   */
  static List<String> list(Path dir, Duration timeout) {
    Git.Result r = Git.run(dir, timeout, MAX_OUTPUT_BYTES, "tag", "--list", "--no-column");
    if (!r.ok()) {
      if (r.stderr().contains("not a git repository")) {
        throw new RecipeCheckoutException(dir + " is not a git repository (the recipe's tags are its versions)");
      }
      throw new GateException("'git tag --list' in " + dir + " failed (exit " + r.exit() + "): " + Git.tail(r.stderr()));
    }
    if (r.overflowed()) {
      throw new GateException("'git tag --list' in " + dir + " printed more than " + MAX_OUTPUT_BYTES + " bytes");
    }
    List<String> tags = new ArrayList<>();
    for (String line : r.text().split("\n")) {
      if (!line.isBlank()) {
        tags.add(line.strip());
      }
    }
    return tags;
  }
}
