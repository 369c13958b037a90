package warm.nightly.prune;

import java.util.List;
import java.util.OptionalDouble;

/** Docker's images, as far as a prune may touch them: dangling ones only. */
public interface Images {
  /** A dangling image (no tag, no container). */
  record Dangling(String id, long bytes) {}

  /** How full (percent used) the filesystem holding Docker's data root is; empty when it cannot be told. */
  OptionalDouble dataRootUsedPercent();

  /** The dangling images now. */
  List<Dangling> dangling();

  /** Removes dangling images only: {@code docker image prune --force}, never {@code --all}, never volumes. */
  void pruneDangling();
}
