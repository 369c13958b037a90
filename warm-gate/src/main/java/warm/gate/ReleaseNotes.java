package warm.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the release notes {@code release/<full-version>} of every version v with from &lt; v ≤ to in a recipe
 * checkout. Every note file in that range counts, tagged or not (a missing tag must not hide a warning); a version
 * without a file simply has no note. Bounded and confined: at most {@link #MAX_NOTE_BYTES} per note, at most
 * {@link #MAX_ENTRIES} directory entries, symbolic links and non-regular files are never opened, so nothing outside
 * the checkout is read and a FIFO cannot block. Whatever could not be read in full is reported as a problem (which
 * the gate holds on).
 */
final class ReleaseNotes {
  /** 1 MiB: real notes are a few hundred bytes; the rest of a larger file is not read. */
  static final int MAX_NOTE_BYTES = 1 << 20;
  /** A {@code release/} folder with more entries than this is not a recipe's. */
  static final int MAX_ENTRIES = 10_000;

  private ReleaseNotes() {}

  /** One note's text; {@code truncated} when the file was longer than the bound. */
  record Note(RecipeVersion version, String text, boolean truncated) {}

  /** Something in range that could not be read in full. */
  record Problem(String version, String detail) {}

  /** What was found: notes in ascending version order, and problems. */
  record Collected(List<Note> notes, List<Problem> problems) {}

  static Collected between(Path checkout, RecipeVersion from, RecipeVersion to) {
    List<Note> notes = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Path release = checkout.resolve("release");
    BasicFileAttributes dirAttrs;
    try {
      dirAttrs = Files.readAttributes(release, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new Collected(notes, problems);
    } catch (IOException e) {
      problems.add(new Problem(null, "cannot read release/: " + e.getMessage()));
      return new Collected(notes, problems);
    }
    if (dirAttrs.isSymbolicLink() || !dirAttrs.isDirectory()) {
      problems.add(new Problem(null, "release/ is " + (dirAttrs.isSymbolicLink()
          ? "a symbolic link (not followed)" : "not a directory") + "; no note could be read"));
      return new Collected(notes, problems);
    }
    Map<RecipeVersion, Path> inRange = new TreeMap<>();
    int entries = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(release)) {
      for (Path p : dir) {
        if (++entries > MAX_ENTRIES) {
          problems.add(new Problem(null, "release/ has more than " + MAX_ENTRIES + " entries; stopped listing"));
          break;
        }
        Optional<RecipeVersion> v = RecipeVersion.tryParse(p.getFileName().toString());
        if (v.isPresent() && v.get().isRelease() && from.isBefore(v.get()) && !to.isBefore(v.get())) {
          inRange.put(v.get(), p);
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add(new Problem(null, "cannot list release/: " + e.getMessage()));
    }
    for (Map.Entry<RecipeVersion, Path> e : inRange.entrySet()) {
      read(e.getKey(), e.getValue(), notes, problems);
    }
    return new Collected(notes, problems);
  }

  private static void read(RecipeVersion v, Path file, List<Note> notes, List<Problem> problems) {
    String name = "release/" + v;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        problems.add(new Problem(v.toString(), name + " is a symbolic link; not followed, so its note was not read"));
        return;
      }
      if (!a.isRegularFile()) {
        problems.add(new Problem(v.toString(), name + " is not a regular file; its note was not read"));
        return;
      }
      // NOFOLLOW_LINKS again at open (O_NOFOLLOW): the entry may have been swapped for a link since the check.
      try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_NOTE_BYTES + 1L, Math.max(a.size() + 1, 4096)));
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
          if (buf.position() == buf.capacity() && buf.capacity() <= MAX_NOTE_BYTES) {
            // The file grew since stat; read on, still within the bound.
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(MAX_NOTE_BYTES + 1L, buf.capacity() * 2L));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
          }
        }
        boolean truncated = buf.position() > MAX_NOTE_BYTES;
        int length = Math.min(buf.position(), MAX_NOTE_BYTES);
        notes.add(new Note(v, NoteText.of(buf.array(), length), truncated));
        if (truncated) {
          problems.add(new Problem(v.toString(), name + " is larger than " + (MAX_NOTE_BYTES >> 20)
              + " MiB; only its first MiB was read"));
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add(new Problem(v.toString(), "cannot read " + name + ": " + e.getMessage()));
    }
  }
}
