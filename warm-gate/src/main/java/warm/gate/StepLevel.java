package warm.gate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How large the step from the installed version to a note's version is (issue 14, round 15): the first number that
 * differs, in the recipe part and in the upstream part, whichever step is larger. Anything the gate cannot place —
 * a pre-release, an upstream part on one side only, an upstream part that is not dotted numbers, a step backwards —
 * is {@link #UNKNOWN}, which no tier treats as small (fail-safe).
 */
enum StepLevel {
  /** The first number differs: {@code 1.9.3 → 2.0.0}, {@code 26.6.2 → 27.0.0}. */
  MAJOR,
  /** The second number differs. */
  MINOR,
  /** A later number differs: {@code 0.13.2 → 0.13.3}, {@code 2.3.17 → 2.3.17.1}. */
  PATCH,
  /** Not placed: every hold stays. */
  UNKNOWN;

  /** An upstream part the step is read from: dotted numbers, a leading {@code v} allowed ({@code v0.8.6}). */
  private static final Pattern NUMBERED = Pattern.compile("v?(\\d{1,9}(?:\\.\\d{1,9}){0,9})");

  /**
   * @param from the installed version
   * @param to a version after it in the range (a note's version)
   * @return the larger of the recipe part's step and the upstream part's step, or {@link #UNKNOWN}
   */
  static StepLevel between(RecipeVersion from, RecipeVersion to) {
    if (!from.isRelease() || !to.isRelease() || from.isPreRelease() || to.isPreRelease()
        || from.upstream().isPresent() != to.upstream().isPresent()) {
      return UNKNOWN;
    }
    StepLevel recipe = step(from.recipePart(), to.recipePart());
    if (from.upstream().isEmpty()) {
      return recipe == null ? UNKNOWN : recipe;
    }
    Matcher f = NUMBERED.matcher(from.upstream().get());
    Matcher t = NUMBERED.matcher(to.upstream().get());
    if (!f.matches() || !t.matches()) {
      return UNKNOWN;
    }
    StepLevel upstream = step(f.group(1), t.group(1));
    if (recipe == UNKNOWN || upstream == UNKNOWN || recipe == null && upstream == null) {
      return UNKNOWN;
    }
    // the larger step: MAJOR before MINOR before PATCH
    return recipe == null ? upstream : upstream == null ? recipe : recipe.ordinal() < upstream.ordinal() ? recipe
        : upstream;
  }

  /** The step between two dotted number lists; null when equal, {@link #UNKNOWN} when it goes backwards. */
  private static StepLevel step(String from, String to) {
    String[] a = from.split("\\.");
    String[] b = to.split("\\.");
    for (int k = 0; k < Math.max(a.length, b.length); k++) {
      long x = k < a.length ? Long.parseLong(a[k]) : 0;
      long y = k < b.length ? Long.parseLong(b[k]) : 0;
      if (x != y) {
        return y < x ? UNKNOWN : k == 0 ? MAJOR : k == 1 ? MINOR : PATCH;
      }
    }
    return null;
  }
}
