package warm.nightly.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import warm.core.ExitCode;
import warm.nightly.sweep.ColdResultFile;
import warm.nightly.sweep.ReleaseColdRun;
import warm.quick.cli.Cli;

/** {@code warm cold}: one cold run of a published release, its result as the JSON {@code warm promote} takes. */
@Command(name = "cold", mixinStandardHelpOptions = false,
    description = {"Cold-run a published release of a recipe (the latest unless --recipe-version).",
        "A fresh app at a per-run domain, first boot, CHECK (after --; none: the healthy deploy is the test), then"
            + " the app removed with its volumes and secrets. Writes the cold-result JSON (docs/promote.md) to"
            + " --result.",
        "Exit 0 pass, 1 the assertions failed, 2 bad input, 4 the run could not be made (deploy failed)."})
public final class ColdCommand implements Callable<Integer> {
  // No mixinStandardHelpOptions: its -V/--version would clash with a recipe version option's old spelling.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Mixin Cli.Common common;

  @Option(names = "--recipe", required = true, paramLabel = "R", description = "the recipe")
  String recipe;

  @Option(names = "--recipe-version", paramLabel = "VERSION", description = "a published version (default: latest)")
  String version;

  @Option(names = "--result", paramLabel = "FILE", description = "where to write the cold-result JSON")
  Path result;

  @Parameters(paramLabel = "CHECK", arity = "0..*", description = "assertions the cold app must pass (after --)")
  List<String> check;

  @Override
  public Integer call() {
    ColdResultFile r = ReleaseColdRun.create(common.config()).run(recipe, version, check == null ? List.of() : check);
    if (result != null) {
      r.write(result);
    }
    if (common.json) {
      System.out.println(r.json());
    } else {
      System.out.println("cold " + r.recipe() + " " + r.version() + " (" + r.commit() + "): " + r.outcome()
          + (r.reason() == null ? "" : " — " + r.reason()) + ", " + r.millis() + " ms");
    }
    System.out.flush();
    return switch (r.outcome()) {
      case "pass" -> ExitCode.OK.code();
      case "fail" -> ExitCode.TEST_FAILED.code();
      default -> ExitCode.INFRA.code();
    };
  }
}
