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
 * @param extraMarkers phrases that, in addition to the built-in markers, make a release note demand a manual step;
 *     matched literally and case-insensitively on each line (never blank)
 * @param acknowledged per recipe name, the versions an operator has handled by hand: a version listed here no longer
 *     holds for its note (manual migration, unreadable note), and a target version listed here no longer holds for
 *     a major bump. Versions are compared as exact strings.
 */
public record GatePolicy(List<String> extraMarkers, Map<String, Set<String>> acknowledged) {
  /**
   * Validates and copies.
   *
   * @param extraMarkers see the record component
   * @param acknowledged see the record component
   */
  public GatePolicy {
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

  /** @return the built-in markers only, nothing acknowledged */
  public static GatePolicy defaults() {
    return new GatePolicy(List.of(), Map.of());
  }

  /**
   * @param phrases more marker phrases
   * @return a copy with the phrases added
   */
  public GatePolicy withExtraMarkers(List<String> phrases) {
    List<String> all = new ArrayList<>(extraMarkers);
    all.addAll(phrases);
    return new GatePolicy(all, acknowledged);
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
    return new GatePolicy(extraMarkers, all);
  }

  /**
   * @param recipe recipe name
   * @return the versions acknowledged for it, possibly none
   */
  public Set<String> acknowledgedFor(String recipe) {
    return acknowledged.getOrDefault(recipe, Set.of());
  }
}
