package warm.nightly.sweep;

import java.nio.file.Path;

/** What the sweep asks of the canonical lifecycle after a green cold run: promote the recipe on that result. */
@FunctionalInterface
public interface PromoteStep {
  /**
   * Promotes (or seeds) the recipe's canonical on a green cold result; never throws for a failed promotion.
   *
   * @param recipe the enrolled recipe
   * @param coldResult the cold-result JSON the cold command wrote
   * @return what happened, verified on disk
   */
  Promoted promote(String recipe, Path coldResult);

  /**
   * @param promoted whether the canonical advanced (canonical.json names the release and the known-good verifies)
   * @param outcome the promotion's own word ({@code promoted}, {@code failed}, …)
   * @param exit its exit code
   * @param detail version, snapshot id, or why it failed
   */
  record Promoted(boolean promoted, String outcome, int exit, String detail) {}
}
