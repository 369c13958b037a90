package warm.quick;

import java.nio.file.Path;
import java.util.List;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotException;

/**
 * Quiescence proven by the platform (DESIGN I2): a volume is quiet when no service, task or container of its stack
 * exists and no container at all (running or stopped) still mounts it. A removal in progress is waited for (bounded
 * by the undeploy timeout) before the question is asked. The questions are the {@link Platform}'s
 * (its Docker read side), not a {@code docker ps} around the port.
 */
public final class PlatformQuiescence implements QuiescenceCheck {
  private final Platform platform;
  private final AppRef app;

  public PlatformQuiescence(Platform platform, AppRef app) {
    this.platform = platform;
    this.app = app;
  }

  @Override
  public void requireQuiet(String volume, Path dir) {
    // A stack going down (a quick PASS only requests the undeploy) is waited for, bounded; a deployed one is not.
    platform.awaitUndeployed(app);
    if (platform.anythingRunning(app)) {
      throw SnapshotException.busy("stack " + app.stack() + " still has services or containers; volume " + volume
          + " may be in use");
    }
    List<String> holders = platform.volumeHolders(volume);
    if (!holders.isEmpty()) {
      throw SnapshotException.busy("volume " + volume + " is still mounted by container(s) "
          + String.join(" ", holders));
    }
  }
}
