package warm.nightly.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import warm.core.WarmException;

/**
 * What the CI runner writes after a cold run and hands to {@code warm promote --cold-result FILE}:
 * {@code {"recipe": R, "version": V, "commit": SHA, "mode": "cold", "outcome": "pass"}} (other fields are ignored).
 * Only a green cold run may promote (DESIGN I1), so anything else is refused before the canonical is touched.
 *
 * @param recipe the recipe the cold run tested
 * @param version the recipe version it deployed
 * @param commit the recipe commit it deployed
 * @param mode {@code cold} (a quick result never promotes)
 * @param outcome {@code pass} when green
 */
record ColdResult(String recipe, String version, String commit, String mode, String outcome) {
  /** Larger than any result the runner writes; a bigger file is not one. */
  private static final long MAX_BYTES = 1 << 20;

  /** Reads the file; a missing, unreadable, oversized or malformed one is bad input (exit 2). */
  static ColdResult read(Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw WarmException.usage("cold result " + file + " is not a regular file");
    }
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw WarmException.usage("cold result " + file + " is larger than " + MAX_BYTES + " bytes");
      }
      JsonNode n = new ObjectMapper().readTree(file.toFile());
      if (n == null || !n.isObject()) {
        throw WarmException.usage("cold result " + file + " is not a JSON object");
      }
      return new ColdResult(text(n, "recipe", file), text(n, "version", file), text(n, "commit", file),
          text(n, "mode", file), text(n, "outcome", file));
    } catch (IOException e) {
      throw WarmException.usage("cold result " + file + " is not readable JSON: " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String field, Path file) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw WarmException.usage("cold result " + file + " has no '" + field + "' (a non-empty string)");
    }
    return v.asText();
  }

  /**
   * Refuses (exit 2) unless this is a green cold run of {@code expectedRecipe}: mode {@code cold}, outcome
   * {@code pass}. The version and commit are compared with the release by {@link PromoteTarget}.
   */
  void requireGreenColdRunOf(String expectedRecipe) {
    if (!recipe.equals(expectedRecipe)) {
      throw WarmException.usage("the cold result is of recipe '" + clean(recipe) + "', not " + expectedRecipe);
    }
    if (!mode.equals("cold")) {
      throw WarmException.usage("the result is of a '" + clean(mode) + "' run: only a green cold run promotes");
    }
    if (!outcome.equals("pass")) {
      throw WarmException.usage("the cold run of " + expectedRecipe + " was not green (outcome '" + clean(outcome)
          + "'): nothing promoted");
    }
  }

  /** A value from a file, safe to print in one line. */
  private static String clean(String s) {
    String one = s.replaceAll("\\p{Cntrl}", "?");
    return one.length() > 80 ? one.substring(0, 80) + "…" : one;
  }
}
