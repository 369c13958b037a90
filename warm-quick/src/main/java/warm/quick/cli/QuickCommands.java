package warm.quick.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.recovery.JournalRecovery;
import warm.core.state.AtomicFiles;
import warm.core.state.StateStore;
import warm.quick.QuickLane;
import warm.quick.QuickLanes;
import warm.quick.QuickRequest;
import warm.quick.QuickResult;

/** The quick lane's commands: {@code run}, {@code prepare}, {@code finish}, {@code recover}. */
public final class QuickCommands {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** How long SIGTERM waits for the FAIL path (undeploy + restore) before the JVM exits anyway. */
  static final Duration ROLLBACK_BOUND = Duration.ofMinutes(15);

  private QuickCommands() {}

  /** Runs the lane with SIGTERM/SIGINT turned into the FAIL path, then reports the result. */
  static int runGuarded(Cli.Base common, Path jsonFile, Function<QuickLane, QuickResult> body) throws Exception {
    WarmConfig config = common.config();
    QuickLane lane = QuickLanes.create(config);
    CountDownLatch reported = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      lane.cancel();
      try {
        reported.await(ROLLBACK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "warm-quick-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      QuickResult r = body.apply(lane);
      report(r, jsonFile);
      return QuickLane.exitCode(r).code();
    } finally {
      reported.countDown();
    }
  }

  /** Writes the result JSON to the file ({@code -} = stdout) and one summary line to stderr. */
  static void report(QuickResult r, Path jsonFile) throws Exception {
    String text = JSON.writeValueAsString(r);
    if (jsonFile != null && jsonFile.toString().equals("-")) {
      System.out.println(text);
    } else if (jsonFile != null) {
      AtomicFiles.write(jsonFile, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String line = "quick " + r.outcome() + ": " + r.recipe() + (r.reason() == null ? "" : " — " + r.reason());
    if ("no-canonical".equals(r.outcome())) {
      System.err.println(line);
    } else {
      System.err.println(line + " (timings ms: " + r.timingsMillis() + ")");
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Test a PR head on the recipe's canonical, rolled back to its known-good on failure.",
          "Reattach the canonical at its known-good, chaos-deploy the PR checkout, run CMD with WARM_MODE=quick"
              + " WARM_RUN_ID WARM_DOMAIN WARM_STACK (and SSO variables), then keep (PASS) or restore (FAIL) the"
              + " known-good data.",
          "Exit 0 pass, 1 fail (rolled back), 2 usage, 3 no canonical, 4 infra."})
  public static final class Run implements Callable<Integer> {
    @Mixin Cli.Base common;
    @Option(names = "--recipe", required = true,
        description = "the enrolled recipe whose canonical tests the PR head") String recipe;
    @Option(names = "--checkout", required = true, paramLabel = "DIR",
        description = "the PR head's recipe checkout (a git work tree) to deploy on the canonical") Path checkout;
    @Option(names = "--sso", description = "create a per-run Keycloak realm and client (without it: when the recipe "
        + "is enrolled with sso: true)") boolean sso;
    @Option(names = "--json", paramLabel = "FILE", description = "write the result JSON to FILE ('-': stdout)") Path jsonFile;
    @Option(names = "--fallback", paramLabel = "cold", description = "only changes the no-canonical wording") String fallback;
    @Parameters(paramLabel = "CMD", arity = "1..*", description = "the runner's assertions (after --)") List<String> cmd;

    @Override
    public Integer call() throws Exception {
      if (fallback != null && !fallback.equals("cold")) {
        throw WarmException.usage("--fallback takes only 'cold'");
      }
      QuickRequest req = new QuickRequest(recipe, checkout, sso, cmd);
      int code = runGuarded(common, jsonFile, lane -> lane.run(req));
      if (code == ExitCode.NO_CANONICAL_OR_HELD.code() && "cold".equals(fallback)) {
        System.err.println("fallback: run the cold lane for " + recipe);
      }
      return code;
    }
  }

  @Command(name = "prepare", mixinStandardHelpOptions = true,
      description = {"Split mode, first half: deploy the PR on the canonical and leave it running for the assertions.",
          "Reattach, deploy the known-good, optional SSO realm, chaos-deploy the PR and leave it running; write the"
              + " assertion variables to --env-file (0600). Finish with 'finish'."})
  public static final class Prepare implements Callable<Integer> {
    @Mixin Cli.Base common;
    @Option(names = "--recipe", required = true,
        description = "the enrolled recipe whose canonical tests the PR head") String recipe;
    @Option(names = "--checkout", required = true, paramLabel = "DIR",
        description = "the PR head's recipe checkout (a git work tree) to deploy on the canonical") Path checkout;
    @Option(names = "--sso", description = "create a per-run Keycloak realm and client (without it: when the recipe "
        + "is enrolled with sso: true)") boolean sso;
    @Option(names = "--json", paramLabel = "FILE", description = "write the result JSON to FILE ('-': stdout)") Path jsonFile;
    @Option(names = "--env-file", required = true, paramLabel = "FILE",
        description = "where to write KEY=VALUE lines for the assertions (mode 0600; may hold the SSO client secret)")
    Path envFile;

    @Override
    public Integer call() throws Exception {
      QuickRequest req = new QuickRequest(recipe, checkout, sso, List.of());
      return runGuarded(common, jsonFile, lane -> {
        QuickResult r = lane.prepare(req);
        if ("prepared".equals(r.outcome())) {
          StringBuilder b = new StringBuilder();
          lane.preparedEnv().entrySet().stream().sorted(Map.Entry.comparingByKey())
              .forEach(e -> b.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
          AtomicFiles.write(envFile, b.toString().getBytes(StandardCharsets.UTF_8));
        }
        return r;
      });
    }
  }

  @Command(name = "finish", mixinStandardHelpOptions = true,
      description = "Split mode, second half: PASS keeps the volumes, FAIL restores the known-good.")
  public static final class Finish implements Callable<Integer> {
    @Mixin Cli.Base common;
    @Option(names = "--recipe", required = true,
        description = "the enrolled recipe whose canonical the prepared run was on") String recipe;
    @Option(names = "--run-id", required = true,
        description = "the run id 'prepare' wrote (WARM_RUN_ID in its --env-file)") String runId;
    @Option(names = "--outcome", required = true, paramLabel = "pass|fail",
        description = "the assertions' verdict: pass keeps the volumes, fail restores the known-good") String outcome;
    @Option(names = "--json", paramLabel = "FILE", description = "write the result JSON to FILE ('-': stdout)") Path jsonFile;

    @Override
    public Integer call() throws Exception {
      if (!outcome.equals("pass") && !outcome.equals("fail")) {
        throw WarmException.usage("--outcome must be 'pass' or 'fail', got '" + outcome + "'");
      }
      return runGuarded(common, jsonFile, lane -> lane.finish(recipe, runId, outcome.equals("pass")));
    }
  }

  @Command(name = "recover", mixinStandardHelpOptions = true,
      description = {"Finish or roll back what a killed operation left on the recipe's canonical, by its journal's kind.",
          "Exit 0 recovered or nothing to do, 2 bad name, 4 the recovery failed or the kind is unknown (journal kept)."})
  public static final class Recover implements Callable<Integer> {
    @Mixin Cli.Common common;
    @Option(names = "--recipe", required = true,
        description = "the recipe whose canonical to recover (by the journal under the state root)") String recipe;

    @Override
    public Integer call() {
      new StateStore(common.config().stateRoot()).appDir(recipe); // bad name: usage, nothing done
      return RecoverReport.run(common.config(), ServiceLoader.load(JournalRecovery.class),
          List.of(recipe), common.json);
    }
  }
}
