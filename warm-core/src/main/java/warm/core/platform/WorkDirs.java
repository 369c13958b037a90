package warm.core.platform;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.IoReasons;
import warm.core.WarmException;
import warm.core.fs.TreeDeletion;
import warm.core.process.OwnedTempDirs;

/** Scratch directories both adapters deploy from (rendered compose files, abra's overlay): made, then removed. */
final class WorkDirs {
  private static final Logger LOG = LoggerFactory.getLogger(WorkDirs.class);

  private WorkDirs() {}

  /**
   * A new scratch directory named for this process. Those of its prefix that killed runs left behind (a deploy killed
   * mid-way leaves its recipe tree, about 200 KB) are removed on a daemon thread, beside the deploy that waits on
   * Docker: never on the quick lane's path. A process that ends first leaves the rest to the next deploy.
   */
  static Path create(String prefix) {
    OwnedTempDirs dirs = OwnedTempDirs.inTmp(prefix);
    Thread sweep = new Thread(dirs::removeDead, "remove-dead-" + prefix);
    sweep.setDaemon(true);
    sweep.start();
    try {
      return dirs.create();
    } catch (IOException e) {
      throw WarmException.infra("cannot create a temporary directory in " + System.getProperty("java.io.tmpdir")
          + ": " + IoReasons.of(e), e);
    }
  }

  /** Removes {@code dir} and what it holds, never following a symlink; what cannot go is logged, not thrown. */
  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    for (TreeDeletion.Failure f : TreeDeletion.deleteAll(dir)) {
      LOG.warn("cannot delete {}", f.describe());
    }
  }
}
