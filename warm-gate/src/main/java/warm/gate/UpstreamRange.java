package warm.gate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The upstream versions an upgrade crosses: the upstream parts of the published recipe releases v with
 * installed &lt; v ≤ target, plus the target's, kept when they lie in (installed upstream, target upstream]. The same
 * upstream carried by several recipe releases is one step, read once.
 *
 * @param steps the upstream versions to read, in upstream order
 * @param problems recipe versions whose upstream part is missing or cannot name a note: the gate holds on them
 */
record UpstreamRange(List<Step> steps, List<Problem> problems) {
  /**
   * An upstream part used as a file name and a URL path segment: letters and digits first, never {@code ..}. The
   * recipe-version grammar allows more ({@code ..}, a leading {@code -}); those cannot name a note safely.
   */
  /** Natural upstream order; its ties (v3.1 and V3.1) are different notes, so the string breaks them. */
  private static final Comparator<String> ORDER =
      ((Comparator<String>) UpstreamOrder::compare).thenComparing(Comparator.naturalOrder());
  private static final Pattern NOTE_NAME = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._~+-]{0,199}");

  /**
   * One upstream version to read.
   *
   * @param upstream the upstream version, e.g. {@code 26.5.0}
   * @param recipeVersions the recipe releases in range that carry it (acknowledging one releases its note)
   */
  record Step(String upstream, List<String> recipeVersions) {
    Step {
      recipeVersions = List.copyOf(recipeVersions);
    }
  }

  /**
   * A recipe version whose upstream part the gate cannot use.
   *
   * @param version the recipe version
   * @param detail one sentence
   */
  record Problem(String version, String detail) {}

  UpstreamRange {
    steps = List.copyOf(steps);
    problems = List.copyOf(problems);
  }

  static UpstreamRange of(RecipeVersion from, RecipeVersion to, PublishedVersions published) {
    List<Problem> problems = new ArrayList<>();
    Optional<String> lower = usable(from, "installed", problems);
    Optional<String> upper = usable(to, "target", problems);
    TreeSet<RecipeVersion> candidates = new TreeSet<>();
    for (RecipeVersion v : published.releases()) {
      if (from.isBefore(v) && v.isBefore(to)) {
        candidates.add(v);
      }
    }
    Map<String, List<String>> byUpstream = new TreeMap<>(ORDER);
    for (RecipeVersion v : candidates) {
      Optional<String> u = usable(v, "published", problems);
      if (u.isPresent() && lower.isPresent() && upper.isPresent() && inInterval(u.get(), lower.get(), upper.get())) {
        byUpstream.computeIfAbsent(u.get(), k -> new ArrayList<>()).add(v.toString());
      }
    }
    if (lower.isPresent() && upper.isPresent() && inInterval(upper.get(), lower.get(), upper.get())) {
      byUpstream.computeIfAbsent(upper.get(), k -> new ArrayList<>()).add(to.toString());
    }
    List<Step> steps = new ArrayList<>();
    byUpstream.forEach((u, vs) -> steps.add(new Step(u, vs)));
    return new UpstreamRange(steps, problems);
  }

  /** Whether {@code s} can name an upstream note (a file name, a URL path segment). */
  static boolean canNameNote(String s) {
    return s != null && NOTE_NAME.matcher(s).matches() && !s.contains("..");
  }

  private static boolean inInterval(String u, String lower, String upper) {
    return UpstreamOrder.compare(u, lower) > 0 && UpstreamOrder.compare(u, upper) <= 0;
  }

  private static Optional<String> usable(RecipeVersion v, String role, List<Problem> problems) {
    Optional<String> u = v.upstream();
    if (u.isEmpty()) {
      problems.add(new Problem(v.toString(), "the " + role + " version " + v
          + " has no upstream part (<recipe-semver>+<upstream>), so the upstream notes it brings are unknown"));
      return Optional.empty();
    }
    if (!canNameNote(u.get())) {
      problems.add(new Problem(v.toString(), "the upstream part '" + u.get() + "' of the " + role + " version "
          + v + " cannot name an upstream note (letters, digits and . _ ~ + -, starting with a letter or digit,"
          + " no '..')"));
      return Optional.empty();
    }
    return u;
  }
}
