package warm.nightly.sweep;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import warm.core.WarmException;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;

/**
 * One cold run on the platform, the authoritative lane (DESIGN §1): a fresh app at its own per-run domain, first boot
 * of a published release, the runner's assertions ({@code WARM_MODE=cold}), then the app removed with its volumes
 * and secrets — whatever happened — and the removal checked (I8: teardown deletes only its own app, and all of it).
 * The home of the nightly sweep's cold runs; {@code warm demo} measures its cold lane with it.
 *
 * <p>The run holds the app lock named {@link #lockName} from before it creates anything until its removal is checked:
 * that lock is how {@code warm prune} tells a run in flight (held) from a dead run's leftover (the file exists, free),
 * and a kernel lock is freed when the process dies, however it dies (I7). Once the removal is checked the run deletes
 * its lock file: nothing is left for prune to judge, and {@code locks/} does not grow by one file per run. A run that
 * fails before that leaves the file, free: prune removes what is left of the app, then the file.
 */
public final class ColdRun {
  /** What the run did and how long each part took. */
  public record Result(AppRef app, int checkExit, long deployMillis, long checkMillis, long removeMillis) {
    public boolean passed() {
      return checkExit == 0;
    }

    public long totalMillis() {
      return deployMillis + checkMillis + removeMillis;
    }
  }

  private final Platform platform;
  private final ProcessRunner runner;
  private final Duration checkTimeout;
  private final AppLocks locks;

  public ColdRun(Platform platform, ProcessRunner runner, Duration checkTimeout, AppLocks locks) {
    this.platform = platform;
    this.runner = runner;
    this.checkTimeout = checkTimeout;
    this.locks = locks;
  }

  /**
   * The name of the lock a cold run of {@code app} holds: its stack name. Stack names are unique on the Swarm and
   * fit the lock-name rule (lowercase letters, digits, {@code -}, {@code _}).
   */
  public static String lockName(AppRef app) {
    return app.stack();
  }

  /**
   * Runs {@code app} (a per-run domain) at {@code version}; {@code configure} may adjust the new app's settings before
   * its secrets and deploy (the demo sets its first-boot time). The app is removed on every path.
   *
   * @throws WarmException when the deploy or the removal fails (the removal is still attempted)
   */
  public Result run(AppRef app, String version, List<String> check, Consumer<AppRef> configure) {
    try (LockFile lock = locks.tryAcquire(lockName(app), "cold run of " + app.domain()).orElseThrow(
        () -> WarmException.infra("a cold run of " + app.domain() + " is already in flight ("
            + locks.holder(lockName(app)).map(h -> h.describe()).orElse("lock held") + "): not starting another"))) {
      Result r = runLocked(app, version, check, configure);
      lock.deleteAndClose();
      return r;
    }
  }

  private Result runLocked(AppRef app, String version, List<String> check, Consumer<AppRef> configure) {
    long t0 = System.nanoTime();
    long deployed = 0;
    long checked = 0;
    int exit = -1;
    try {
      platform.createApp(app);
      configure.accept(app);
      platform.generateMissingSecrets(app);
      platform.deploy(app, version);
      deployed = System.nanoTime();
      exit = runner.run(Command.of(check).withTimeout(checkTimeout).withEnv(Map.of("WARM_MODE", "cold",
          "WARM_DOMAIN", app.domain(), "WARM_STACK", app.stack(), "WARM_RECIPE", app.recipe()))).exitCode();
      checked = System.nanoTime();
    } finally {
      platform.removeApp(app);
    }
    long removed = System.nanoTime();
    if (!platform.volumes(app).isEmpty() || platform.anythingRunning(app)) {
      throw WarmException.infra("cold app " + app.domain() + " was not fully removed");
    }
    return new Result(app, exit, (deployed - t0) / 1_000_000, (checked - deployed) / 1_000_000,
        (removed - checked) / 1_000_000);
  }
}
