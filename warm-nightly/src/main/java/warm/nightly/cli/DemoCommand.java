package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.DomainTemplates;
import warm.core.config.SwarmSettings;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.sample.SampleRecipe;
import warm.core.state.CanonicalRecord;
import warm.nightly.canonical.CanonicalSeed;
import warm.quick.QuickLane;
import warm.quick.QuickLanes;
import warm.quick.QuickRequest;
import warm.quick.QuickResult;
import warm.quick.cli.Cli;
import warm.snapshot.SnapshotException;
import warm.snapshot.SnapshotStore;
import warm.snapshot.VerifyReport;
import warm.nightly.sweep.ColdRun;

/**
 * {@code warm demo}: the whole warm-data cycle on the local Swarm with the bundled sample recipe and a throwaway state
 * directory — cold run(s) of a fresh app whose first boot initialises its data slowly, seeding the canonical, quick
 * runs of a good PR (PASS) and of a broken PR (FAIL, known-good restored), proof that the known-good is byte-identical
 * and boots healthy with its data, then a table of phases with cold-vs-quick wall times. Everything it created is
 * removed, whatever happens. With {@code --cycles N} it is also the benchmark (medians and ratios).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Show the warm-data cycle on the local Swarm with the bundled sample recipe (throwaway state).",
        "Cold run, seed the canonical, quick run of a good PR (PASS), quick run of a broken PR (FAIL -> restored),"
            + " proof the known-good is byte-identical and boots healthy; prints phases and wall times, cold vs quick.",
        "Exit 0 when every step behaved as expected, 4 otherwise (everything it created is removed)."})
public final class DemoCommand implements Callable<Integer> {
  /** Looked up when used: picocli builds this command for every usage text, and a lookup starts logging. */
  private static Logger log() {
    return LoggerFactory.getLogger("warm.demo");
  }
  static final String RECIPE = "sample";
  /** The canonical is seeded at this release; the PRs are the recipe's head (2.0.0+2.0) with a change. */
  static final String KNOWN_GOOD_VERSION = "1.1.0+1.1";
  /** Docker work inside a quick run; the rest of its wall time is warm's own overhead. */
  private static final List<String> DOCKER_PHASES =
      List.of("deploy known-good", "deploy PR", "test", "undeploy", "rollback undeploy");

  @Mixin
  Cli.Common common;

  @Option(names = "--init-seconds", paramLabel = "N", defaultValue = "20",
      description = "seconds the sample app's first boot spends initialising an empty volume (default: ${DEFAULT-VALUE})")
  int initSeconds;

  @Option(names = "--cycles", paramLabel = "N", defaultValue = "1",
      description = "cold runs and good-PR quick runs to measure (medians reported; default: ${DEFAULT-VALUE})")
  int cycles;

  @Option(names = "--data-mib", paramLabel = "N", defaultValue = "0",
      description = "MiB of data the sample app's first boot writes into its volume, across --data-files files "
          + "(default: ${DEFAULT-VALUE}: only index.html)")
  int dataMib;

  @Option(names = "--data-files", paramLabel = "N", defaultValue = "1000",
      description = "number of files --data-mib is spread over, 1000 per directory (default: ${DEFAULT-VALUE})")
  int dataFiles;

  @Option(names = "--volumes-dir", paramLabel = "DIR",
      description = {"put the throwaway state and every app's volume under DIR (local-driver volumes bound to "
          + "directories there); on a reflink filesystem (XFS, btrfs) snapshot and restore are reflink copies"})
  Path volumesDir;

  @Option(names = "--keep-state", description = "keep the throwaway state directory (printed) for inspection")
  boolean keepState;

  /** The docker CLI of the configuration. */
  private String docker = "docker";
  private final PhaseTable phases = new PhaseTable("warm.demo", this::checkCancelled);
  /** Set by SIGTERM/SIGINT: the demo stops at the next step and cleans up before the JVM exits. */
  private volatile boolean cancelled;
  private volatile QuickLane lane;
  private final ObjectMapper json = new ObjectMapper();
  private final ObjectNode report = json.createObjectNode();

  @Override
  public Integer call() throws Exception {
    if (initSeconds < 0 || initSeconds > 600) {
      throw WarmException.usage("--init-seconds must be between 0 and 600, got " + initSeconds);
    }
    if (cycles < 1 || cycles > 50) {
      throw WarmException.usage("--cycles must be between 1 and 50, got " + cycles);
    }
    if (dataMib < 0 || dataMib > 65_536) {
      throw WarmException.usage("--data-mib must be between 0 and 65536, got " + dataMib);
    }
    if (dataFiles < 1 || dataFiles > 1_000_000 || (dataMib > 0 && dataFiles > dataMib * 1024)) {
      throw WarmException.usage("--data-files must be between 1 and 1000000 and at most 1024 per MiB of --data-mib "
          + "(files of at least 1 KiB), got " + dataFiles);
    }
    if (volumesDir != null && !Files.isDirectory(volumesDir)) {
      throw WarmException.usage("--volumes-dir " + volumesDir + " is not an existing directory");
    }
    WarmConfig base = common.config();
    docker = base.docker();
    dockerMissing(docker, System.getenv().getOrDefault("PATH", "")).ifPresent(m -> {
      throw WarmException.infra(m);
    });
    Path root = volumesDir == null ? Files.createTempDirectory("cc-ci-warm-demo-")
        : Files.createTempDirectory(volumesDir.toAbsolutePath(), "cc-ci-warm-demo-");
    // Unique names: other demos and tests share the Swarm. The canonical gets its own domain in this run.
    String hex = Naming.randomHex();
    WarmConfig config = demoConfig(base, root, hex);
    ProcessRunner runner = ProcessRunner.system();
    List<AppRef> created = new ArrayList<>();
    ArrayNode stacks = report.putArray("stacks");
    report.put("stateDir", root.toString()).put("initSeconds", initSeconds).put("cycles", cycles)
        .put("dataMib", dataMib).put("dataFiles", dataMib > 0 ? dataFiles : 0)
        .put("volumesDir", volumesDir == null ? "docker" : root.resolve("volumes").toString());
    boolean ok = false;
    Platform platform = null;
    Thread main = Thread.currentThread();
    Thread hook = new Thread(() -> {
      cancelled = true;
      QuickLane l = lane;
      if (l != null) {
        l.cancel();
      }
      try {
        main.join(Duration.ofMinutes(5).toMillis()); // the finally below removes what the demo created
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "warm-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      platform = phases.step("check Swarm", () -> Platforms.create(config, runner), "swarm adapter, state " + root);
      Platform p = platform;
      phases.step("build image", () -> { SampleImage.ensure(runner, docker); return null; }, SampleImage.NAME + " (offline, busybox-static)");
      Path recipe = phases.step("create recipe", () -> SampleRecipe.materialize(root.resolve("recipes").resolve(RECIPE), runner),
          String.join(", ", SampleRecipe.VERSIONS));
      Path check = writeScript(root.resolve("assert-initialised.sh"), """
          #!/bin/sh
          # The runner's assertion: the app serves the data its first boot initialised.
          c=$(docker ps -q --filter "label=com.docker.swarm.service.name=${WARM_STACK}_app" | head -n 1)
          [ -n "$c" ] || { echo "no running container of ${WARM_STACK}_app" >&2; exit 1; }
          docker exec "$c" wget -qO- http://127.0.0.1:8080/ | grep -q initialised
          """);
      List<String> checkCmd = List.of(check.toString());

      // 1. Cold: a fresh app (new domain), empty volume, slow first boot, assertions, removal.
      List<Long> coldMs = new ArrayList<>();
      ArrayNode coldJson = report.putArray("cold");
      coldMs.add(coldRun(1, config, p, runner, root, created, stacks, checkCmd, coldJson));

      // 2. Seed the canonical at the known-good release (itself a cold deploy with the slow first boot).
      AppRef canonical = new AppRef(RECIPE, config.canonicalDomain(RECIPE));
      created.add(canonical);
      stacks.add(canonical.stack());
      CanonicalRecord rec = phases.step("seed canonical " + KNOWN_GOOD_VERSION, () -> {
        p.createApp(canonical);
        prepareApp(canonical, root, runner);
        return CanonicalSeed.create(config).seed(RECIPE, KNOWN_GOOD_VERSION, checkCmd);
      }, "cold deploy + assertions + undeploy + snapshot");
      long seedMs = phases.phases().get(phases.phases().size() - 1).millis();
      phases.note("  known-good", rec.snapshotId() + " at " + rec.domain());
      String method = SnapshotStore.forApp(root, RECIPE).knownGood().map(m -> m.method().toString()).orElse("none");
      phases.note("  method", method.toLowerCase(java.util.Locale.ROOT));
      report.putObject("seed").put("domain", rec.domain()).put("version", rec.version())
          .put("snapshotId", rec.snapshotId()).put("method", method.toLowerCase(java.util.Locale.ROOT))
          .put("millis", seedMs);

      // 3. PR checkouts: the recipe's head with a harmless change, and one that corrupts the data on boot.
      Path good = phases.step("prepare PR checkouts", () -> {
        Path g = prCheckout(runner, recipe, root.resolve("pr-good"), "SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good");
        prCheckout(runner, recipe, root.resolve("pr-broken"), "        echo \"boot ",
            "        echo \"corrupted by the broken PR\" > /data/www/index.html\n        echo \"boot ");
        return g;
      }, "good: version string; broken: overwrites /data/www/index.html");
      Path broken = root.resolve("pr-broken");

      // 4. Quick runs of the good PR: PASS expected each time. With --cycles N, cold run i+1 and quick run i+1
      // alternate after the first pair, so each quick/cold ratio is a pair measured under the same load.
      lane = QuickLanes.create(config);
      List<Long> quickMs = new ArrayList<>();
      List<Long> overheadMs = new ArrayList<>();
      ArrayNode quickJson = report.putArray("quick");
      for (int i = 1; i <= cycles; i++) {
        if (i > 1) {
          coldMs.add(coldRun(i, config, p, runner, root, created, stacks, checkCmd, coldJson));
        }
        long t0 = System.nanoTime();
        checkCancelled();
        QuickResult r = lane.run(new QuickRequest(RECIPE, good, false, checkCmd));
        long total = (System.nanoTime() - t0) / 1_000_000;
        long overhead = total - dockerMillis(r);
        quickMs.add(total);
        overheadMs.add(overhead);
        quickJson.add(resultJson(r, total, overhead));
        phases.add("quick run, good PR" + (cycles > 1 ? " #" + i : ""), total,
            r.outcome().toUpperCase() + "; " + timings(r) + "; warm's own " + seconds(overhead));
        check("pass".equals(r.outcome()), "the good PR's quick run ended " + r.outcome() + ": " + r.reason());
      }

      // 5. Quick run of the broken PR: FAIL expected, known-good restored.
      long t0 = System.nanoTime();
      checkCancelled();
      QuickResult bad = lane.run(new QuickRequest(RECIPE, broken, false, checkCmd));
      long badMs = (System.nanoTime() - t0) / 1_000_000;
      report.set("broken", resultJson(bad, badMs, badMs - dockerMillis(bad)));
      phases.add("quick run, broken PR", badMs, bad.outcome().toUpperCase()
          + (bad.restored() ? " -> restored" : "") + "; " + timings(bad));
      check("fail".equals(bad.outcome()) && bad.restored(),
          "the broken PR's quick run ended " + bad.outcome() + " (restored " + bad.restored() + "): " + bad.reason());

      // 6. Proof: the volumes are byte-identical to the known-good, and it boots healthy with its data.
      Map<String, Path> vols = new LinkedHashMap<>();
      for (VolumeInfo v : p.volumes(canonical)) {
        vols.put(v.name(), v.mountpoint());
      }
      VerifyReport vr = phases.step("verify known-good", () -> SnapshotStore.forApp(root, RECIPE).verify(vols, true),
          "content hashes of every file");
      phases.note("  identical", vr.identical() + " (" + vr.entriesCompared() + " entries, snapshot "
          + vr.snapshotId() + ")");
      report.putObject("verify").put("identical", vr.identical()).put("entriesCompared", vr.entriesCompared())
          .put("differences", vr.differenceCount());
      check(vr.identical(), "the restored volumes differ from the known-good: " + vr.differences());
      String index = phases.step("boot known-good", () -> {
        p.deploy(canonical, rec.version());
        ProcessResult r = runCheck(runner, checkCmd, canonical, "quick");
        check(r.ok(), "the restored canonical failed its assertions (exit " + r.exitCode() + "): " + r.outputTail());
        String served = Files.readString(vols.values().iterator().next().resolve("www/index.html")).strip();
        p.undeploy(canonical);
        return served;
      }, "deploy " + rec.version() + ", healthy, assertions pass");
      phases.note("  data", "index.html: " + index);
      report.put("knownGoodBoots", true).put("knownGoodIndex", index);
      check(index.startsWith("initialised by"), "the known-good serves '" + index + "'");

      // 7. Cleanup of the canonical, proven.
      phases.step("remove canonical", () -> { p.removeApp(canonical); return null; }, "stack, volume, secrets");
      check(p.volumes(canonical).isEmpty() && !p.anythingRunning(canonical), "canonical not fully removed");
      created.remove(canonical);

      summary(coldMs, quickMs, overheadMs);
      ok = true;
    } catch (WarmException | SnapshotException e) {
      log().error("{}", e.getMessage());
      report.put("error", e.getMessage());
    } finally {
      Thread.interrupted(); // a SIGTERM interrupt must not stop the cleanup
      cleanup(platform, created, root, runner);
      report.put("outcome", ok ? "pass" : "fail");
      print(ok);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // SIGTERM: the hook is waiting for this thread, which is done now
      }
    }
    return ok ? ExitCode.OK.code() : ExitCode.INFRA.code();
  }

  /** Cold run number {@code i}: a fresh app, its slow first boot, the assertions, its removal; the wall time. */
  private long coldRun(int i, WarmConfig config, Platform p, ProcessRunner runner, Path root, List<AppRef> created,
      ArrayNode stacks, List<String> checkCmd, ArrayNode coldJson) {
    checkCancelled();
    AppRef app = new AppRef(RECIPE, Naming.coldDomain(config.domains().cold(), RECIPE, config.ciDomain()));
    created.add(app);
    stacks.add(app.stack());
    ColdRun.Result cold = new ColdRun(p, runner, Duration.ofMinutes(2), new AppLocks(config.stateRoot())).run(app,
        KNOWN_GOOD_VERSION, checkCmd, a -> prepareApp(a, root, runner));
    check(cold.passed(), "the cold app " + app.domain() + " failed its assertions (exit " + cold.checkExit() + ")");
    long deploy = cold.deployMillis();
    long assertMs = cold.checkMillis();
    long remove = cold.removeMillis();
    created.remove(app);
    dropVolumeDir(app, root, runner);
    long total = cold.totalMillis();
    phases.add("cold run" + (cycles > 1 ? " #" + i : ""), total, String.format(
        "new app, first boot %d s%s: deploy %.1f s, assertions %.1f s, removal %.1f s", initSeconds,
        dataMib > 0 ? " + " + dataMib + " MiB" : "", deploy / 1000.0, assertMs / 1000.0, remove / 1000.0));
    coldJson.addObject().put("domain", app.domain()).put("millis", total).put("deployMillis", deploy)
        .put("assertMillis", assertMs).put("removeMillis", remove);
    return total;
  }

  private void summary(List<Long> cold, List<Long> quick, List<Long> overhead) {
    long c = median(cold);
    long q = median(quick);
    long o = median(overhead);
    double ratio = q / (double) Math.max(1, c);
    // Pair i: cold run i and quick run i, run one after the other (the machine's load drifts between pairs).
    List<Double> pairs = new ArrayList<>();
    for (int i = 0; i < Math.min(cold.size(), quick.size()); i++) {
      pairs.add(quick.get(i) / (double) Math.max(1, cold.get(i)));
    }
    List<Double> sorted = pairs.stream().sorted().toList();
    String n = cycles > 1 ? "median of " + cycles : "1 run";
    phases.add("cold (" + n + ")", c, "fresh app, first boot " + initSeconds + " s");
    phases.add("quick (" + n + ")", q, "reattach + deploy known-good + deploy PR + assertions + undeploy");
    phases.note("quick / cold", String.format("%.2f (goal <= 0.35 for a 20 s first boot); pairs min %.2f, max %.2f",
        ratio, sorted.get(0), sorted.get(sorted.size() - 1)));
    phases.add("warm's own overhead", o, "quick minus Docker deploys/undeploy/assertions (goal <= 2 s)");
    report.putObject("summary").put("coldMedianMillis", c).put("quickMedianMillis", q)
        .put("ratio", Math.round(ratio * 1000) / 1000.0).put("overheadMedianMillis", o);
    ArrayNode pr = ((ObjectNode) report.get("summary")).putArray("pairRatios");
    pairs.forEach(x -> pr.add(Math.round(x * 1000) / 1000.0));
  }

  static long median(List<Long> xs) {
    List<Long> s = xs.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Wall time of the Docker work inside a quick run (deploys, undeploy, the assertions themselves). */
  static long dockerMillis(QuickResult r) {
    long sum = 0;
    for (String phase : DOCKER_PHASES) {
      sum += r.timingsMillis().getOrDefault(phase, 0L);
    }
    return sum;
  }

  private ObjectNode resultJson(QuickResult r, long total, long overhead) {
    ObjectNode o = json.createObjectNode();
    o.put("outcome", r.outcome()).put("restored", r.restored()).put("millis", total).put("overheadMillis", overhead);
    if (r.reason() != null) {
      o.put("reason", r.reason());
    }
    o.set("timingsMillis", json.valueToTree(r.timingsMillis()));
    return o;
  }

  private static String timings(QuickResult r) {
    List<String> parts = new ArrayList<>();
    r.timingsMillis().forEach((k, v) -> {
      if (v >= 50) {
        parts.add(k + " " + seconds(v));
      }
    });
    return String.join(", ", parts);
  }

  private static String seconds(long ms) {
    return String.format("%.1f s", ms / 1000.0);
  }

  private ProcessResult runCheck(ProcessRunner runner, List<String> cmd, AppRef app, String mode) {
    return runner.run(warm.core.process.Command.of(cmd).withTimeout(Duration.ofMinutes(2))
        .withEnv(Map.of("WARM_MODE", mode, "WARM_DOMAIN", app.domain(), "WARM_STACK", app.stack(), "WARM_RECIPE", RECIPE)));
  }

  private static Path prCheckout(ProcessRunner runner, Path recipe, Path dir, String from, String to) throws IOException {
    runner.run(warm.core.process.Command.of("git", "clone", "-q", recipe.toString(), dir.toString())).requireSuccess();
    Path compose = dir.resolve("compose.yml");
    String text = Files.readString(compose);
    if (!text.contains(from)) {
      throw WarmException.infra("the sample recipe's compose.yml no longer contains '" + from.strip() + "'");
    }
    Files.writeString(compose, text.replace(from, to));
    return dir;
  }

  private static Path writeScript(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /**
   * Sets the app's first-boot knobs in its env file and, with {@code --volumes-dir}, creates its volume before the
   * first deploy as a local-driver volume bound to a directory under the state root, labelled as the stack's (the
   * deploy then uses it as it is, and the platform finds its data in that directory).
   */
  private void prepareApp(AppRef app, Path root, ProcessRunner runner) {
    Path env = root.resolve("apps").resolve(app.domain() + ".env");
    try {
      String text = Files.readString(env).replaceAll("(?m)^INIT_SECONDS=.*$", "INIT_SECONDS=" + initSeconds)
          .replaceAll("(?m)^DATA_(MIB|FILES)=.*\\R", "");
      Files.writeString(env, text + (text.endsWith("\n") ? "" : "\n") + "DATA_MIB=" + dataMib + "\nDATA_FILES="
          + dataFiles + "\n");
    } catch (IOException e) {
      throw WarmException.infra("cannot set the first-boot knobs in " + env + ": " + e.getMessage(), e);
    }
    if (volumesDir != null) {
      String volume = app.stack() + "_data";
      Path device = root.resolve("volumes").resolve(volume);
      try {
        Files.createDirectories(device);
      } catch (IOException e) {
        throw WarmException.infra("cannot create " + device + ": " + e.getMessage(), e);
      }
      runner.run(warm.core.process.Command.of(docker, "volume", "create", "--driver", "local", "--opt", "type=none",
          "--opt", "o=bind", "--opt", "device=" + device, "--label", "com.docker.stack.namespace=" + app.stack(),
          volume)).requireSuccess();
    }
  }

  /** A removed cold app's bound volume directory: its data would otherwise stay on disk until the demo ends. */
  private void dropVolumeDir(AppRef app, Path root, ProcessRunner runner) {
    if (volumesDir != null) {
      runner.run(warm.core.process.Command.of("rm", "-rf", root.resolve("volumes").resolve(app.stack() + "_data")
          .toString()));
    }
  }

  /**
   * The demo's first promise is a clear line when Docker is missing, rather than a process error: the configured
   * docker (config key {@code docker}: a name looked up on {@code path}, or a path of its own), not a {@code docker}
   * on {@code PATH} that the demo would never run.
   *
   * @return the line to fail with, empty when the executable is there
   */
  static Optional<String> dockerMissing(String docker, String path) {
    if (docker.contains("/")) {
      return Files.isExecutable(Path.of(docker)) ? Optional.empty() : Optional.of("the docker executable '" + docker
          + "' (config key 'docker') is not an executable file: install Docker or fix the key");
    }
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, docker))) {
        return Optional.empty();
      }
    }
    return Optional.of("no '" + docker + "' on PATH: install Docker from Debian ('apt-get install docker.io "
        + "busybox-static git'), start it ('systemctl start docker') and run 'docker swarm init'");
  }

  /** Removes every app still listed and the state directory; records what could not be removed. */
  private void cleanup(Platform platform, List<AppRef> apps, Path root, ProcessRunner runner) {
    ArrayNode left = report.putArray("leftovers");
    if (platform != null) {
      for (AppRef app : List.copyOf(apps)) {
        try {
          platform.removeApp(app);
          if (!platform.volumes(app).isEmpty() || platform.anythingRunning(app)) {
            left.add(app.stack());
          }
        } catch (RuntimeException e) {
          log().error("cleanup of {} failed: {}", app.domain(), e.getMessage());
          left.add(app.stack());
        }
      }
    }
    if (keepState) {
      log().info("state kept in {}", root);
    } else {
      runner.run(warm.core.process.Command.of("rm", "-rf", root.toString()));
      report.put("stateRemoved", !Files.exists(root));
    }
  }

  private void checkCancelled() {
    if (cancelled) {
      throw WarmException.infra("cancelled (SIGTERM/SIGINT); removing what the demo created");
    }
  }

  private static void check(boolean cond, String what) {
    if (!cond) {
      throw WarmException.infra("demo step did not behave as expected: " + what);
    }
  }

  private void print(boolean ok) {
    if (common.json) {
      phases.addTo(report.putArray("phases"));
      System.out.println(report.toString());
      return;
    }
    phases.print(System.out);
    if (report.has("error")) {
      System.out.println("error: " + report.get("error").asText());
    }
    System.out.println(ok ? "demo: every step behaved as expected" : "demo: FAILED (everything created was removed)");
  }

  /**
   * The demo's configuration: the operator's, on the swarm adapter with a throwaway state root, no enrolled apps or
   * alert channels, and a canonical domain unique to this run; everything else (docker, keycloak, timeouts) kept.
   */
  static WarmConfig demoConfig(WarmConfig base, Path root, String hex) {
    return base.withStateRoot(root).withPlatform("swarm")
        .withDomains(new DomainTemplates("warm-{recipe}-" + hex + ".{ciDomain}", DomainTemplates.DEFAULT_COLD))
        .withApps(List.of(), List.of()).withSwarm(new SwarmSettings(null, null)).withNotify(List.of());
  }
}
