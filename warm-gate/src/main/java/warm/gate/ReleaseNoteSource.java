package warm.gate;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the gate reads a recipe's release notes: the platform that serves them (the reconciler's), or a recipe
 * checkout and its git tags ({@link #recipeDirectory(Path)}, {@code warm gate --recipe-dir}). The gate asks for the
 * note of every published version in range, of the target, and of every version {@link #listedVersions() listed}
 * here; a note that exists but cannot be read in full must be reported as {@link NoteLookup.Unreadable}, never as
 * absent, because the gate holds on it.
 */
public interface ReleaseNoteSource {
  /**
   * 1 MiB: the most a source reads of one note (real notes are a few hundred bytes); a longer note is reported
   * {@link NoteLookup.Found#truncated() truncated} or {@link NoteLookup.Unreadable unreadable}, and the gate holds.
   */
  int MAX_NOTE_BYTES = 1 << 20;

  /**
   * The note of one version.
   *
   * @param version a release version, exactly as published (e.g. {@code 10.7.1+26.6.2})
   * @return the note, its absence, or why it could not be read; a runtime exception counts as unreadable
   */
  NoteLookup lookup(String version);

  /**
   * Versions this source has a note for even when no tag publishes them (a working tree's {@code release/} files):
   * a missing tag must not hide a warning. Names that are not versions are ignored by the gate.
   *
   * @return version strings; none by default
   * @throws GateException when the notes cannot be listed (the gate holds)
   */
  default List<String> listedVersions() {
    return List.of();
  }

  /**
   * The notes of a recipe checkout as the platform serves them: {@code release/<version>} of the working tree when
   * that entry exists, otherwise the note committed in the version's own git tag (abra leaves its shared recipe tree
   * checked out at the deployed tag, so newer notes are often only in their tags). Bounded to 1 MiB per note; a
   * symbolic link or other non-regular entry (in the tree or in the tag) is never followed and is unreadable.
   *
   * @param dir the recipe checkout; need not be a git repository (then only the working tree counts)
   * @return the source
   */
  static ReleaseNoteSource recipeDirectory(Path dir) {
    return new RecipeDirectoryNotes(dir, Git.DEFAULT_TIMEOUT);
  }
}
