package warm.nightly.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.naming.Naming;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.gate.AutoApply;
import warm.gate.GateDecision;
import warm.gate.GatePolicy;
import warm.gate.RecipeVersion;
import warm.gate.UpgradeGate;
import warm.gate.VersionFormatException;
import warm.nightly.gate.PlatformGate;
import warm.quick.cli.Cli;

/**
 * {@code warm gate}: decides whether the step from an installed recipe version to a target (or the latest tag) may be
 * applied unattended, and explains a hold. Exit 0 AUTO_APPLY/NO_OP, 3 HOLD, 2 bad input, 4 git or
 * the platform failed.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
    description = {"Decide whether an upgrade may be applied unattended, and explain why not.",
        "An unparsable or commit --from/--to is a hold (fail safe), not an error.", "",
        "Give the recipe as a checkout (--recipe-dir DIR) or as a recipe of the",
        "configured platform (--recipe NAME, read exactly as the reconciler reads it).", "",
        "Exit codes: 0 AUTO_APPLY or NO_OP; 3 HOLD;",
        "2 bad input (missing directory or one that is not a recipe (no compose.yml),",
        "  missing recipe or option, both --to and --latest,",
        "  with --latest not a git repository or no release tag, bad --ack, --marker",
        "  or --auto-apply);",
        "4 git or the platform failed."})
public final class GateCommand implements Callable<Integer> {
  @Mixin
  Cli.Common common;

  @Option(names = "--recipe-dir", paramLabel = "DIR",
      description = "a recipe checkout: notes are its release/<version> files, else the version's git tag; its tags "
          + "are the published versions")
  Path recipeDir;

  @Option(names = "--recipe", paramLabel = "NAME",
      description = "without --recipe-dir: the recipe of the configured platform (its versions and notes, and the "
          + "upstream notes of the infra app running it, as the reconciler reads them); with it: the name for "
          + "acknowledgements (default: the directory's name)")
  String recipe;

  @Option(names = "--from", required = true, paramLabel = "VERSION", description = "the installed version")
  String from;

  // Plain options checked in call(), not a picocli ArgGroup: its messages ("Error: --to=VERSION, --latest are
  // mutually exclusive …") would reach the operator as "error: Error: …".
  @Option(names = "--to", paramLabel = "VERSION", description = "the target version")
  String to;

  @Option(names = "--latest", description = "target the newest stable published release (the git tags)")
  boolean latest;

  @Option(names = "--marker", paramLabel = "TEXT",
      description = "extra phrase that marks a manual step in a note (literal, case-insensitive; repeatable), added "
          + "to the configured gate.markers")
  List<String> markers = new ArrayList<>();

  @Option(names = "--auto-apply", paramLabel = "LEVEL",
      description = "the largest recipe step the notes decide, for this run instead of the configured "
          + "gate.autoApply: minor (a major step holds) or patch (a minor step holds too)")
  String autoApply;

  @Option(names = "--explain",
      description = "also show how each sentence of each note was read: section, class, whether it holds, and why")
  boolean explain;

  @Option(names = "--ack", paramLabel = "VERSION",
      description = "a version whose manual step was done by hand: releases its note's hold, and the major bump "
          + "or the --auto-apply step's hold when it is the target (repeatable)")
  List<String> acks = new ArrayList<>();

  @Override
  public Integer call() {
    if (to != null && latest) {
      throw WarmException.usage("give either --to VERSION or --latest, not both");
    }
    if (to == null && !latest) {
      throw WarmException.usage("give the target: --to VERSION or --latest");
    }
    for (String m : markers) {
      if (m.isBlank()) {
        throw WarmException.usage("--marker must not be blank");
      }
    }
    AutoApply limit = null;
    if (autoApply != null) {
      try {
        limit = AutoApply.parse(autoApply);
      } catch (IllegalArgumentException e) {
        throw WarmException.usage("--auto-apply " + e.getMessage());
      }
    }
    Set<String> acked = new HashSet<>();
    for (String a : acks) {
      try {
        RecipeVersion.parse(a);
      } catch (VersionFormatException e) {
        throw WarmException.usage("--ack: " + e.getMessage());
      }
      acked.add(a);
    }
    if (recipeDir == null && recipe == null) {
      throw WarmException.usage("give the recipe: --recipe-dir DIR (a checkout) or --recipe NAME (of the configured "
          + "platform)");
    }
    String name = recipe != null ? recipe
        : String.valueOf(recipeDir.toAbsolutePath().normalize().getFileName());
    // The configured gate section (context, markers, autoApply) applies here exactly as in the reconciler.
    GatePolicy policy = PlatformGate.policy(common.config()).withExtraMarkers(markers).withAcknowledged(name, acked);
    if (limit != null) {
      policy = policy.withAutoApply(limit);
    }
    GateDecision d; // RecipeCheckoutException (bad input, exit 2) and GateException (exit 4): mapped by ExitCodes
    if (recipeDir == null) {
      Naming.requireRecipeName(name);
      // Exactly what the reconciler reads: the platform's tags and notes (abra's shared tree, or swarm recipesDir),
      // and the upstream notes of the infra app that runs this recipe, through the reconciler's own code path.
      WarmConfig config = common.config();
      Optional<InfraApp> app = infraAppOf(config, name);
      Platform platform = Platforms.create(config);
      platform.fetchRecipe(name);
      if (app.isPresent()) {
        d = PlatformGate.decide(platform, app.get(), config.stateRoot(), from, latest ? null : to, policy);
      } else {
        d = latest
            ? PlatformGate.decideLatest(platform, name, from, policy)
            : PlatformGate.decide(platform, name, from, to, policy);
      }
    } else {
      requireRecipeCheckout(recipeDir);
      // git bounded as every other git command of warm: timeouts.commandSeconds
      Duration git = common.config().timeouts().command();
      d = latest
          ? UpgradeGate.decideLatest(recipeDir, name, from, policy, git)
          : UpgradeGate.decide(recipeDir, name, from, to, policy, git);
    }
    System.out.print(common.json ? d.toJson(explain) + "\n" : d.toText(explain));
    System.out.flush();
    return d.isHold() ? ExitCode.NO_CANONICAL_OR_HELD.code() : ExitCode.OK.code();
  }

  /**
   * A directory that is not a recipe at all is bad input: without it, no notes and no tags read as "nothing in the
   * way" and the gate answered AUTO_APPLY for any directory. Every Co-op Cloud recipe deploys from its
   * {@code compose.yml} (abra's and the Swarm platform's default compose file), at every version. A missing directory
   * is left to the gate, which names it as missing.
   */
  static void requireRecipeCheckout(Path dir) {
    if (Files.isDirectory(dir) && !Files.isRegularFile(dir.resolve("compose.yml"))) {
      throw WarmException.usage("--recipe-dir " + dir + " is not a recipe checkout: it has no compose.yml (give a "
          + "recipe's checkout, e.g. ~/.abra/recipes/<recipe>, or --recipe NAME)");
    }
  }

  /**
   * The infra app whose recipe this is: the one of that name, else the only one running it. Two apps running the
   * recipe under other names are ambiguous (their upstream notes may differ): bad input.
   */
  static Optional<InfraApp> infraAppOf(WarmConfig config, String recipe) {
    List<InfraApp> running = config.infra().stream().filter(a -> a.recipe().equals(recipe)).toList();
    Optional<InfraApp> named = running.stream().filter(a -> a.name().equals(recipe)).findFirst();
    if (named.isPresent() || running.size() <= 1) {
      return named.isPresent() ? named : running.stream().findFirst();
    }
    throw WarmException.usage("recipe '" + recipe + "' is run by several infra apps ("
        + String.join(", ", running.stream().map(InfraApp::name).toList())
        + "); whose upstream notes apply is ambiguous");
  }
}
