package warm.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The nightly rebuild → sweep ({@code warm nightly}).
 *
 * @param coldCommand the cold run of one recipe, as an argv template: {@code {recipe}} is replaced by the recipe and
 *     {@code {file}} by the path of the cold-result JSON the command must write (e.g. cc-ci's
 *     {@code run_recipe_ci.py --recipe {recipe} --cold --result {file}}, or {@code warm cold --recipe {recipe}
 *     --result {file}}); empty means not configured, and {@code warm nightly} refuses to run
 * @param recipeTimeoutSeconds bound on one recipe's cold command
 * @param maxTests most recipes swept in one night (the rest are reported as not reached); null means all
 * @param waitSeconds how long the sweep waits for a recipe's in-flight run (its app lock) before skipping it
 * @param rebuildCommand the rebuild step as an argv (e.g. {@code nixos-rebuild switch}); empty means the nightly
 *     reconciles the infra apps itself
 */
public record NightlySettings(List<String> coldCommand, Integer recipeTimeoutSeconds, Integer maxTests,
    Integer waitSeconds, List<String> rebuildCommand) {
  public NightlySettings {
    coldCommand = coldCommand == null ? List.of() : List.copyOf(coldCommand);
    recipeTimeoutSeconds = recipeTimeoutSeconds == null ? 3600 : recipeTimeoutSeconds;
    waitSeconds = waitSeconds == null ? 3600 : waitSeconds;
    rebuildCommand = rebuildCommand == null ? List.of() : List.copyOf(rebuildCommand);
  }

  /** Nothing configured: every default, no cold command. */
  public static NightlySettings none() {
    return new NightlySettings(null, null, null, null, null);
  }

  public Duration recipeTimeout() {
    return Duration.ofSeconds(recipeTimeoutSeconds);
  }

  public Duration waitForRuns() {
    return Duration.ofSeconds(waitSeconds);
  }
}
