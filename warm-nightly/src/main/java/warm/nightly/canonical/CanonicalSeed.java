package warm.nightly.canonical;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.state.VolumeState;
import warm.quick.PlatformQuiescence;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/**
 * The minimal seed path ({@code warm canonical seed}): a cold deploy of a published release at the canonical's
 * stable domain (new app, first boot), optionally the runner's assertions, then undeploy (waiting), a snapshot of its
 * volumes as the known-good tagged (commit, version), and {@code canonical.json}. It refuses when a canonical
 * already exists: replacing one is promotion, which only a green cold run on the latest release may do (I1).
 */
public final class CanonicalSeed {
  private static final Logger LOG = LoggerFactory.getLogger(CanonicalSeed.class);

  private final WarmConfig config;
  private final Platform platform;
  private final ProcessRunner runner;

  CanonicalSeed(WarmConfig config, Platform platform, ProcessRunner runner) {
    this.config = config;
    this.platform = platform;
    this.runner = runner;
  }

  /** The seed on the configured platform. */
  public static CanonicalSeed create(WarmConfig config) {
    ProcessRunner runner = ProcessRunner.system();
    return new CanonicalSeed(config, Platforms.create(config, runner), runner);
  }

  /** Seeds the canonical of {@code recipe} at {@code version}; {@code check} (may be empty) must exit 0. */
  public CanonicalRecord seed(String recipe, String version, List<String> check) {
    StateStore store = new StateStore(config.stateRoot());
    try (LockFile lock = new AppLocks(config.stateRoot()).acquire(recipe, "seed", config.timeouts().lockWait())) {
      if (store.read(recipe, StateFile.CANONICAL).isPresent()) {
        throw WarmException.usage("canonical for " + recipe + " already exists ("
            + store.path(recipe, StateFile.CANONICAL) + "); replacing it is promotion, not seeding");
      }
      Path recipeDir = platform.fetchRecipe(recipe);
      if (!platform.publishedVersions(recipe).contains(version)) {
        throw WarmException.usage("version '" + version + "' is not a published version of " + recipe);
      }
      String commit = runner.run(Command.of("git", "-C", recipeDir.toString(), "rev-parse",
          "refs/tags/" + version + "^{commit}")).requireSuccess().stdout().strip();
      AppRef app = new AppRef(recipe, config.canonicalDomain(recipe));
      platform.createApp(app);
      platform.generateMissingSecrets(app);
      LOG.info("seed {}: cold deploy of {} at {}", recipe, version, app.domain());
      platform.deploy(app, version);
      if (!check.isEmpty()) {
        var r = runner.run(Command.of(check).withTimeout(config.timeouts().test())
            .withEnv(Map.of("WARM_MODE", "cold", "WARM_DOMAIN", app.domain(), "WARM_STACK", app.stack(),
                "WARM_RECIPE", recipe)));
        if (!r.ok()) {
          platform.undeploy(app);
          throw WarmException.infra("seed of " + recipe + " refused: the check command failed (exit "
              + r.exitCode() + "): " + r.outputTail());
        }
      }
      platform.undeploy(app);
      Map<String, Path> vols = new LinkedHashMap<>();
      for (VolumeInfo v : platform.volumes(app)) {
        vols.put(v.name(), v.mountpoint());
      }
      if (vols.isEmpty()) {
        throw WarmException.infra("seed of " + recipe + ": the app has no volumes to snapshot");
      }
      KnownGoods knownGoods = new KnownGoods(store, Set.of());
      SnapshotMeta meta = knownGoods.ofCanonical(SnapshotStore.forApp(config.stateRoot(), recipe), vols,
          SnapshotTag.of(commit, version), new PlatformQuiescence(platform, app));
      store.write(recipe, StateFile.VOLUME_STATE, VolumeState.clean(meta.id()));
      CanonicalRecord rec = new CanonicalRecord(recipe, app.domain(), version, commit, Instant.now(), meta.id());
      store.write(recipe, StateFile.CANONICAL, rec);
      LOG.info("seeded canonical {} at {} ({}), known-good {} by {}", recipe, version, commit, meta.id(), meta.method());
      return rec;
    }
  }
}
