package warm.nightly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import warm.core.ExitCode;
import warm.core.state.CanonicalRecord;
import warm.nightly.canonical.CanonicalSeed;
import warm.quick.cli.Cli;

/** {@code warm canonical seed}: the first known-good of a recipe's canonical at a release ({@code warm promote}'s path). */
@Command(name = "canonical", mixinStandardHelpOptions = true, description = "Canonicals of enrolled recipes.",
    subcommands = {CanonicalCommand.Seed.class})
public final class CanonicalCommand {

  // No mixinStandardHelpOptions here: its '-V, --version' (print the program version) clashed with the recipe
  // version and made even '--help' fail. Only -h/--help, so the old spelling '--version V' keeps working as an alias.
  @Command(name = "seed",
      description = {"Seed a canonical: its first known-good, from a cold deploy of a published release.",
          "Cold-deploy the release at the canonical's stable domain, run CHECK (optional, exit 0 required), undeploy,"
              + " snapshot its volumes as the known-good tagged (commit, version), write canonical.json.",
          "The promotion path on fresh volumes: a failure removes everything the seed made.",
          "Refuses when the canonical exists (replacing it is promotion: 'warm promote').",
          "Exit 0 seeded, 1 CHECK failed, 2 usage, 4 infra."})
  static final class Seed implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
    @Mixin Cli.Common common;
    @Option(names = "--recipe", required = true, description = "the enrolled recipe whose canonical to seed")
    String recipe;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Version version;
    @Parameters(paramLabel = "CHECK", arity = "0..*", description = "assertions the cold app must pass (after --)")
    List<String> check;

    /** The recipe version, under its name or (hidden, kept for scripts) its older spelling; exactly one. */
    static final class Version {
      @Option(names = "--recipe-version", required = true, paramLabel = "VERSION",
          description = "a published version (git tag) of the recipe")
      String version;

      @Option(names = "--version", required = true, paramLabel = "VERSION", hidden = true)
      String oldSpelling;

      String value() {
        return version != null ? version : oldSpelling;
      }
    }

    @Override
    public Integer call() throws Exception {
      CanonicalRecord rec = CanonicalSeed.create(common.config())
          .seed(recipe, version.value(), check == null ? List.of() : check);
      if (common.json) {
        System.out.println(new ObjectMapper().writeValueAsString(Map.of("recipe", rec.recipe(),
            "domain", rec.domain(), "version", rec.version(), "commit", rec.commit(), "snapshotId", rec.snapshotId())));
      } else {
        System.out.println("seeded " + rec.recipe() + " at " + rec.version() + " (" + rec.commit() + "), domain "
            + rec.domain() + ", known-good " + rec.snapshotId());
      }
      return ExitCode.OK.code();
    }
  }
}
