package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.SwarmSettings;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.DeployedVersion;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.quick.cli.Cli;

/**
 * {@code warm selftest}: the whole platform cycle on the local Swarm with the bundled sample recipe and a
 * throwaway state directory — cold deploy with a slow first boot, undeploy (waiting until nothing remains), warm
 * reattach of the kept volume, chaos deploy of a modified checkout, removal of the per-run app. Every step is checked
 * against what Swarm and the volume really show; a table of phases and wall times ends the run.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
    description = {"Run the platform cycle on the local Swarm with the bundled sample recipe (throwaway state).",
        "Cold deploy, undeploy, warm reattach, chaos deploy, removal; prints phases and wall times.",
        "Exit 0 when every check passed, 4 when one failed (everything it created is removed)."})
public final class SelftestCommand implements Callable<Integer> {
  /** Looked up when used: picocli builds this command for every usage text, and a lookup starts logging. */
  private static Logger log() {
    return LoggerFactory.getLogger("warm.selftest");
  }

  @Mixin
  Cli.Common common;

  @Option(names = "--init-seconds", paramLabel = "N", defaultValue = "10",
      description = "seconds the sample app's first boot spends initialising an empty volume (default: ${DEFAULT-VALUE})")
  int initSeconds;

  @Option(names = "--keep-state", description = "keep the throwaway state directory (printed) for inspection")
  boolean keepState;

  private final PhaseTable phases = new PhaseTable("warm.selftest", () -> { });

  @Override
  public Integer call() throws Exception {
    if (initSeconds < 0 || initSeconds > 600) {
      throw WarmException.usage("--init-seconds must be between 0 and 600, got " + initSeconds);
    }
    WarmConfig base = common.config();
    Path root = Files.createTempDirectory("cc-ci-warm-selftest-");
    WarmConfig config = selftestConfig(base, root);
    ProcessRunner runner = ProcessRunner.system();
    WarmConfig cfg = config;
    Platform platform = phases.step("check Swarm", () -> Platforms.create(cfg), "active");
    String domain = Naming.coldDomain(config.domains().cold(), "sample", config.ciDomain());
    AppRef app = new AppRef("sample", domain);
    boolean ok = false;
    try (LockFile lock = new AppLocks(root).acquire("sample", "selftest", Duration.ofSeconds(5))) {
      phases.step("build image", () -> { SampleImage.ensure(runner, cfg.docker()); return null; }, SampleImage.NAME);
      Path recipe = phases.step("create recipe", () -> SampleRecipe.materialize(root.resolve("recipes/sample"), runner),
          String.join(", ", SampleRecipe.VERSIONS));
      phases.step("create app", () -> {
        platform.createApp(app);
        setInitSeconds(root.resolve("apps").resolve(domain + ".env"));
        platform.generateMissingSecrets(app);
        return null;
      }, domain);
      long coldMs = phases.timed("cold deploy 1.0.0+1.0", () -> platform.deploy(app, "1.0.0+1.0"),
          "first boot initialises the empty volume (" + initSeconds + " s)");
      DeployedVersion d = platform.deployed(app).orElseThrow(() -> fail("no deployment visible after deploy"));
      check("1.0.0+1.0".equals(d.version()) && !d.chaos(), "labels say version " + d.version() + ", chaos " + d.chaos());
      List<VolumeInfo> vols = platform.volumes(app);
      check(vols.size() == 1, "expected one volume, found " + vols);
      Path data = vols.get(0).mountpoint();
      String marker = "selftest " + System.nanoTime();
      Files.writeString(data.resolve("selftest-marker"), marker);
      phases.timed("undeploy (wait until gone)", () -> platform.undeploy(app), "volume kept");
      check(!platform.anythingRunning(app), "something of the stack still runs after undeploy");
      long warmMs = phases.timed("warm reattach 1.1.0+1.1", () -> platform.deploy(app, "1.1.0+1.1"), "reuses the volume");
      check(marker.equals(Files.readString(data.resolve("selftest-marker"))), "data written before undeploy is gone");
      check("1.1.0+1.1".equals(platform.deployed(app).orElseThrow().version()), "upgrade label not seen");
      Path checkout = root.resolve("pr-checkout");
      phases.step("prepare PR checkout", () -> {
        runner.run(warm.core.process.Command.of("git", "clone", "-q", recipe.toString(), checkout.toString())).requireSuccess();
        Path compose = checkout.resolve("compose.yml");
        Files.writeString(compose, Files.readString(compose).replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-head"));
        return null;
      }, "uncommitted change");
      phases.timed("chaos deploy", () -> platform.deployChaos(app, checkout), "the checkout as it is");
      DeployedVersion c = platform.deployed(app).orElseThrow();
      check(c.chaos() && c.chaosVersion() != null && c.chaosVersion().endsWith("+U"),
          "chaos labels wrong: " + c);
      phases.note("  labels", "version " + c.version() + ", chaos-version " + c.chaosVersion());
      phases.timed("remove app", () -> platform.removeApp(app), "volumes and secrets deleted");
      check(platform.volumes(app).isEmpty() && !platform.anythingRunning(app), "app not fully removed");
      phases.note("warm/cold deploy ratio", String.format("%.2f", warmMs / (double) Math.max(1, coldMs)));
      ok = true;
    } finally {
      if (!ok) {
        try {
          platform.removeApp(app);
        } catch (RuntimeException e) {
          log().error("cleanup of {} failed: {}", domain, e.getMessage());
        }
      }
      if (keepState) {
        log().info("state kept in {}", root);
      } else {
        runner.run(warm.core.process.Command.of("rm", "-rf", root.toString()));
      }
      print(ok);
    }
    return ExitCode.OK.code();
  }

  private void setInitSeconds(Path env) throws IOException {
    Files.writeString(env, Files.readString(env).replaceAll("(?m)^INIT_SECONDS=.*$", "INIT_SECONDS=" + initSeconds));
  }

  private static void check(boolean cond, String what) {
    if (!cond) {
      throw fail(what);
    }
  }

  private static WarmException fail(String what) {
    return WarmException.infra("selftest check failed: " + what);
  }

  private void print(boolean ok) {
    if (common.json) {
      ObjectMapper m = new ObjectMapper();
      ObjectNode o = m.createObjectNode();
      o.put("outcome", ok ? "pass" : "fail");
      phases.addTo(o.putArray("phases"));
      System.out.println(o.toString());
      return;
    }
    phases.print(System.out);
    System.out.println(ok ? "selftest: PASS" : "selftest: FAIL");
  }

  /**
   * The selftest's configuration: a throwaway state root; on an abra host the swarm adapter with no apps and no
   * alert channels (it needs no abra and touches nothing of the host's apps); docker, keycloak, timeouts kept.
   */
  static WarmConfig selftestConfig(WarmConfig base, Path root) {
    WarmConfig config = base.withStateRoot(root);
    return "swarm".equals(config.platform()) ? config : config.withPlatform("swarm").withApps(List.of(), List.of())
        .withSwarm(new SwarmSettings(null, null)).withNotify(List.of());
  }
}
