package warm.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Upstream notes as files named by upstream version in one directory (an operator's mirror of the upstream's). */
final class DirectoryUpstreamNotes implements UpstreamNoteSource {
  /** The names a note may have; every one that exists is read, so a second file cannot hide a warning. */
  static final List<String> SUFFIXES = List.of("", ".md", ".txt", ".html");

  private final Path dir;

  DirectoryUpstreamNotes(Path dir) {
    this.dir = dir;
  }

  @Override
  public UpstreamRead lookup(String upstream) {
    String where = dir + "/" + upstream + "{,.md,.txt,.html}";
    if (!UpstreamRange.canNameNote(upstream)) {
      return new UpstreamRead(new NoteLookup.Unreadable("'" + RecipeVersion.printable(String.valueOf(upstream))
          + "' cannot name an upstream note"), where);
    }
    if (!Files.isDirectory(dir)) {
      return new UpstreamRead(new NoteLookup.Unreadable("the upstream notes directory " + dir
          + (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? " is not a directory" : " does not exist")), where);
    }
    List<String> texts = new ArrayList<>();
    List<String> read = new ArrayList<>();
    for (String suffix : SUFFIXES) {
      Path file = dir.resolve(upstream + suffix);
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
          return new UpstreamRead(new NoteLookup.Unreadable(file + (a.isSymbolicLink()
              ? " is a symbolic link (not followed)" : " is not a regular file") + "; its note was not read"),
              file.toString());
        }
        byte[] bytes = BoundedRead.read(file, ReleaseNoteSource.MAX_NOTE_BYTES);
        if (bytes.length > ReleaseNoteSource.MAX_NOTE_BYTES) {
          return new UpstreamRead(new NoteLookup.Unreadable(file + " is larger than "
              + (ReleaseNoteSource.MAX_NOTE_BYTES >> 20) + " MiB"), file.toString());
        }
        texts.add(new String(bytes, StandardCharsets.UTF_8));
        read.add(file.toString());
      } catch (NoSuchFileException e) {
        // this name does not exist; the next may
      } catch (IOException e) {
        return new UpstreamRead(new NoteLookup.Unreadable("cannot read " + file + ": " + e), file.toString());
      }
    }
    if (texts.isEmpty()) {
      return new UpstreamRead(NoteLookup.absent(), where);
    }
    return new UpstreamRead(new NoteLookup.Found(String.join("\n\n", texts), false), String.join(", ", read));
  }
}
