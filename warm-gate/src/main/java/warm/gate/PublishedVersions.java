package warm.gate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The versions a recipe has published (its git tags), sorted, plus the tags that are not release versions.
 *
 * @param releases every tag that parses as a {@link RecipeVersion.Kind#RELEASE}, ascending, without duplicates
 * @param ignored every tag that does not (unparsable, or a bare hash), in input order; reported, never used
 */
public record PublishedVersions(List<RecipeVersion> releases, List<String> ignored) {
  /**
   * Validates and copies.
   *
   * @param releases see the record component
   * @param ignored see the record component
   */
  public PublishedVersions {
    releases = List.copyOf(releases);
    ignored = List.copyOf(ignored);
  }

  /**
   * Sorts tags into releases and ignored strings.
   *
   * @param tags tag names, e.g. from {@code git tag --list}; blank lines are skipped
   * @return the sorted releases and the ignored tags
   */
  public static PublishedVersions of(Collection<String> tags) {
    TreeSet<RecipeVersion> releases = new TreeSet<>();
    List<String> ignored = new ArrayList<>();
    for (String tag : tags) {
      if (tag == null || tag.isBlank()) {
        continue;
      }
      Optional<RecipeVersion> v = RecipeVersion.tryParse(tag);
      if (v.isPresent() && v.get().isRelease()) {
        releases.add(v.get());
      } else {
        ignored.add(tag);
      }
    }
    return new PublishedVersions(new ArrayList<>(releases), ignored);
  }

  /**
   * The newest stable release: pre-releases ({@code 2.0.0-rc.1+2.0}) are never picked for an unattended upgrade.
   *
   * @return the greatest release without a recipe pre-release, or empty when there is none
   */
  public Optional<RecipeVersion> latest() {
    for (int i = releases.size() - 1; i >= 0; i--) {
      if (!releases.get(i).isPreRelease()) {
        return Optional.of(releases.get(i));
      }
    }
    return Optional.empty();
  }
}
