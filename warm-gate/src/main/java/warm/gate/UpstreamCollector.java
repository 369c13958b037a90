package warm.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the upstream notes an upgrade crosses ({@link UpstreamRange}) from an app's {@link UpstreamNoteSource}. They
 * enter the decision as extra notes labelled {@code upstream <version>}, classified like the recipe's own notes.
 */
final class UpstreamCollector {
  /** The label of an upstream version's note, in the decision and its quotes. */
  static String label(String upstream) {
    return "upstream " + upstream;
  }

  /**
   * One upstream note read.
   *
   * @param label {@code upstream <version>}
   * @param text the note
   * @param releasedBy the recipe versions that bring it: acknowledging one of them releases its hold
   */
  record Note(String label, String text, List<String> releasedBy) {}

  /**
   * Something the gate must say, and hold on unless released.
   *
   * @param label the upstream note's label, or the recipe version whose upstream part is unusable
   * @param detail one sentence
   * @param releasedBy the recipe versions whose acknowledgement releases it
   * @param unreachable true for a note that could not be reached (configurable), false for an unusable version
   */
  record Problem(String label, String detail, List<String> releasedBy, boolean unreachable) {}

  /**
   * Everything read.
   *
   * @param notes the notes found, in upstream order
   * @param problems unreachable notes and unusable upstream parts
   * @param sources label → where it was looked up
   */
  record Collected(List<Note> notes, List<Problem> problems, Map<String, String> sources) {}

  private UpstreamCollector() {}

  static Collected collect(UpstreamNoteSource source, RecipeVersion from, RecipeVersion to,
      PublishedVersions published) {
    UpstreamRange range = UpstreamRange.of(from, to, published);
    List<Note> notes = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (UpstreamRange.Problem p : range.problems()) {
      problems.add(new Problem(p.version(), p.detail(), List.of(p.version()), false));
    }
    for (UpstreamRange.Step step : range.steps()) {
      String label = label(step.upstream());
      UpstreamRead read;
      try {
        read = source.lookup(step.upstream());
      } catch (RuntimeException e) {
        read = new UpstreamRead(new NoteLookup.Unreadable("cannot read the upstream note " + step.upstream() + ": "
            + e), "(failed)");
      }
      if (read == null) {
        read = new UpstreamRead(new NoteLookup.Unreadable("the upstream note source gave no answer for "
            + step.upstream()), "(no answer)");
      }
      NoteLookup found = read.result();
      if (found instanceof NoteLookup.Found text) {
        sources.put(label, read.from());
        notes.add(new Note(label, text.text(), step.recipeVersions()));
        if (text.truncated()) {
          problems.add(new Problem(label, "the upstream note " + step.upstream() + " is larger than "
              + (ReleaseNoteSource.MAX_NOTE_BYTES >> 20) + " MiB", step.recipeVersions(), true));
        }
      } else if (found instanceof NoteLookup.Unreadable u) {
        sources.put(label, read.from() + " (unreachable)");
        problems.add(new Problem(label, u.detail(), step.recipeVersions(), true));
      } else {
        sources.put(label, read.from() + " (no note)");
      }
    }
    return new Collected(notes, problems, sources);
  }
}
