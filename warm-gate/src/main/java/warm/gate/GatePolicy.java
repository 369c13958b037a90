package warm.gate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the operator configures about the gate.
 *
 * @param extraMarkers phrases that, in addition to the classifier, make a release note demand a manual step;
 *     matched literally and case-insensitively in each sentence, table row or code block (never blank)
 * @param acknowledged per recipe name, the versions an operator has handled by hand: a version listed here no longer
 *     holds for its note (manual migration, unreadable note), and a target version listed here no longer holds for
 *     a major bump or a step above {@code autoApply}. Versions are compared as exact strings.
 * @param context the platforms and integrations this deployment uses or does not: a note item about only unused
 *     ones does not hold
 * @param autoApply the largest recipe step the notes decide ({@code gate.autoApply}); a larger one holds
 */
public record GatePolicy(List<String> extraMarkers, Map<String, Set<String>> acknowledged,
    DeploymentContext context, AutoApply autoApply) {
  /**
   * Validates and copies.
   *
   * @param extraMarkers see the record component
   * @param acknowledged see the record component
   * @param context see the record component; null means {@link DeploymentContext#defaults()}
   * @param autoApply see the record component; null means {@link AutoApply#MINOR}, the default
   */
  public GatePolicy {
    context = context == null ? DeploymentContext.defaults() : context;
    autoApply = autoApply == null ? AutoApply.MINOR : autoApply;
    extraMarkers = List.copyOf(extraMarkers);
    for (String m : extraMarkers) {
      if (m.isBlank()) {
        throw new IllegalArgumentException("a gate marker must not be blank");
      }
    }
    Map<String, Set<String>> copy = new HashMap<>();
    acknowledged.forEach((recipe, versions) -> copy.put(Objects.requireNonNull(recipe), Set.copyOf(versions)));
    acknowledged = Map.copyOf(copy);
  }

  /**
   * The policy with the default step limit ({@link AutoApply#MINOR}).
   *
   * @param extraMarkers see the record component
   * @param acknowledged see the record component
   * @param context see the record component; null means {@link DeploymentContext#defaults()}
   */
  public GatePolicy(List<String> extraMarkers, Map<String, Set<String>> acknowledged, DeploymentContext context) {
    this(extraMarkers, acknowledged, context, AutoApply.MINOR);
  }

  /**
   * The policy in the default deployment context (Docker Swarm).
   *
   * @param extraMarkers see the record component
   * @param acknowledged see the record component
   */
  public GatePolicy(List<String> extraMarkers, Map<String, Set<String>> acknowledged) {
    this(extraMarkers, acknowledged, DeploymentContext.defaults());
  }

  /** @return the classifier alone, nothing acknowledged, the default deployment context */
  public static GatePolicy defaults() {
    return new GatePolicy(List.of(), Map.of());
  }

  /**
   * @param deployment the platforms and integrations this deployment uses or does not
   * @return a copy in that context
   */
  public GatePolicy withContext(DeploymentContext deployment) {
    return new GatePolicy(extraMarkers, acknowledged, deployment, autoApply);
  }

  /**
   * @param limit the largest recipe step the notes decide
   * @return a copy with that limit
   */
  public GatePolicy withAutoApply(AutoApply limit) {
    return new GatePolicy(extraMarkers, acknowledged, context, Objects.requireNonNull(limit, "limit"));
  }

  /**
   * @param phrases more marker phrases
   * @return a copy with the phrases added
   */
  public GatePolicy withExtraMarkers(List<String> phrases) {
    List<String> all = new ArrayList<>(extraMarkers);
    all.addAll(phrases);
    return new GatePolicy(all, acknowledged, context, autoApply);
  }

  /**
   * @param recipe recipe name, e.g. {@code keycloak}
   * @param versions versions the operator has handled by hand
   * @return a copy with the versions acknowledged for the recipe
   */
  public GatePolicy withAcknowledged(String recipe, Set<String> versions) {
    Map<String, Set<String>> all = new HashMap<>(acknowledged);
    Set<String> merged = new HashSet<>(all.getOrDefault(recipe, Set.of()));
    merged.addAll(versions);
    all.put(recipe, merged);
    return new GatePolicy(extraMarkers, all, context, autoApply);
  }

  /**
   * @param recipe recipe name
   * @return the versions acknowledged for it, possibly none
   */
  public Set<String> acknowledgedFor(String recipe) {
    return acknowledged.getOrDefault(recipe, Set.of());
  }
}
