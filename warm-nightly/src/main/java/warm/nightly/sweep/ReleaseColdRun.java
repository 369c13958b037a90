package warm.nightly.sweep;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.gate.PublishedVersions;
import warm.gate.RecipeVersion;

/**
 * A cold run of a published release of a recipe ({@code warm cold}): the latest stable release unless one is named,
 * at a fresh per-run domain, through {@link ColdRun}, and its outcome as the cold-result JSON that
 * {@code warm promote} takes. The nightly's sweep can run it as its cold command when no CI runner is configured.
 */
public final class ReleaseColdRun {
  private final WarmConfig config;
  private final Platform platform;
  private final ProcessRunner runner;

  ReleaseColdRun(WarmConfig config, Platform platform, ProcessRunner runner) {
    this.config = config;
    this.platform = platform;
    this.runner = runner;
  }

  /** On the configured platform. */
  public static ReleaseColdRun create(WarmConfig config) {
    ProcessRunner runner = ProcessRunner.system();
    return new ReleaseColdRun(config, Platforms.create(config, runner), runner);
  }

  /**
   * Runs {@code version} (null: the latest stable release) of {@code recipe} cold with the assertions {@code check}
   * (empty: the healthy deploy is the test).
   *
   * @throws WarmException (usage) for an unknown recipe or version; the run's own failures are in the result
   */
  public ColdResultFile run(String recipe, String version, List<String> check) {
    Naming.requireRecipeName(recipe);
    Path dir = platform.fetchRecipe(recipe);
    List<String> published = platform.publishedVersions(recipe);
    String target = version;
    if (target == null) {
      target = PublishedVersions.of(published).latest().map(RecipeVersion::toString).orElseThrow(() ->
          WarmException.usage("recipe " + recipe + " has no stable published release"));
    } else if (!published.contains(target)) {
      throw WarmException.usage("recipe " + recipe + " has no published version " + target);
    }
    String commit = runner.run(Command.of("git", "-C", dir.toString(), "rev-parse", "refs/tags/" + target
        + "^{commit}").withTimeout(config.timeouts().command())).requireSuccess().stdout().strip();
    AppRef app = new AppRef(recipe, Naming.coldDomain(config.domains().cold(), recipe, config.ciDomain()));
    long t0 = System.nanoTime();
    List<String> assertions = check.isEmpty() ? List.of("true") : check;
    try {
      ColdRun.Result r = new ColdRun(platform, runner, config.timeouts().test(),
          new AppLocks(config.stateRoot())).run(app, target, assertions, a -> { });
      return new ColdResultFile(recipe, target, commit, r.passed() ? "pass" : "fail", app.domain(), r.checkExit(),
          millis(t0), r.passed() ? null : "the assertions exited " + r.checkExit());
    } catch (WarmException e) {
      return new ColdResultFile(recipe, target, commit, "error", app.domain(), -1, millis(t0), e.getMessage());
    }
  }

  private static long millis(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }
}
