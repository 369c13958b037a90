package warm.quick;

import java.nio.file.Path;
import warm.core.platform.AppRef;
import warm.core.platform.DockerCli;
import warm.core.platform.Platform;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotException;

/**
 * Quiescence proven with Docker (DESIGN I2): a volume is quiet when no service, task or container of its stack
 * exists and no container at all (running or stopped) still mounts it.
 */
final class DockerQuiescence implements QuiescenceCheck {
  private final Platform platform;
  private final DockerCli docker;
  private final AppRef app;

  DockerQuiescence(Platform platform, DockerCli docker, AppRef app) {
    this.platform = platform;
    this.docker = docker;
    this.app = app;
  }

  @Override
  public void requireQuiet(String volume, Path dir) {
    if (platform.anythingRunning(app)) {
      throw SnapshotException.busy("stack " + app.stack() + " still has services or containers; volume " + volume
          + " may be in use");
    }
    java.util.List<String> holders = docker.containersUsing(volume);
    if (!holders.isEmpty()) {
      throw SnapshotException.busy("volume " + volume + " is still mounted by container(s) "
          + String.join(" ", holders));
    }
  }
}
