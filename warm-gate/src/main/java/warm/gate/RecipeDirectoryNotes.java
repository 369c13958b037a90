package warm.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ReleaseNoteSource#recipeDirectory(Path)}: a recipe checkout's notes as the platform serves them — the
 * working tree's {@code release/<version>} when that entry exists, otherwise the note committed in the version's tag.
 * Bounded and confined: at most {@link ReleaseNoteSource#MAX_NOTE_BYTES} per note, at most {@link #MAX_ENTRIES}
 * directory entries listed; symbolic links and non-regular entries (in the tree or in a tag) are never opened, so
 * nothing outside the checkout is read and a FIFO cannot block.
 */
final class RecipeDirectoryNotes implements ReleaseNoteSource {
  /** A {@code release/} folder with more entries than this is not a recipe's. */
  static final int MAX_ENTRIES = 10_000;
  /** One {@code git ls-tree} line for one path. */
  private static final int MAX_LS_TREE_BYTES = 64 * 1024;

  private final Path dir;
  private final Duration gitTimeout;
  /** The checkout's tags; null until first needed, empty when the directory is not a git repository. */
  private Set<String> tags;

  /** @param gitTimeout how long each git command may take */
  RecipeDirectoryNotes(Path dir, Duration gitTimeout) {
    this.dir = dir;
    this.gitTimeout = gitTimeout;
  }

  /** @param tags the checkout's tags, already listed by the caller (saves a second {@code git tag --list}) */
  RecipeDirectoryNotes(Path dir, Set<String> tags, Duration gitTimeout) {
    this.dir = dir;
    this.gitTimeout = gitTimeout;
    this.tags = Set.copyOf(tags);
  }

  @Override
  public List<String> listedVersions() {
    Path release = dir.resolve("release");
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(release, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new GateException("cannot read release/: " + e.getMessage(), e);
    }
    if (!a.isDirectory()) {
      return List.of(); // each lookup reports it, per version
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(release)) {
      for (Path p : entries) {
        if (names.size() == MAX_ENTRIES) {
          throw new GateException("release/ has more than " + MAX_ENTRIES + " entries; stopped listing");
        }
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw new GateException("cannot list release/: " + e.getMessage(), e);
    }
    return names;
  }

  @Override
  public NoteLookup lookup(String version) {
    Optional<RecipeVersion> v = RecipeVersion.tryParse(version).filter(RecipeVersion::isRelease);
    if (v.isEmpty()) {
      // Only a release version is a safe single file name under release/ and a tag name that is not an option.
      return new NoteLookup.Unreadable("'" + RecipeVersion.printable(String.valueOf(version))
          + "' is not a release version; its note was not looked up");
    }
    Path release = dir.resolve("release");
    String name = "release/" + version;
    try {
      BasicFileAttributes r = Files.readAttributes(release, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (r.isSymbolicLink()) {
        return new NoteLookup.Unreadable("release/ is a symbolic link (not followed); no note could be read");
      }
      if (!r.isDirectory()) {
        return new NoteLookup.Unreadable("release/ is not a directory; no note could be read");
      }
    } catch (NoSuchFileException e) {
      return atTag(version);
    } catch (IOException e) {
      return new NoteLookup.Unreadable("cannot read release/: " + e.getMessage());
    }
    Path file = release.resolve(version);
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        return new NoteLookup.Unreadable(name + " is a symbolic link; not followed, so its note was not read");
      }
      if (!a.isRegularFile()) {
        return new NoteLookup.Unreadable(name + " is not a regular file; its note was not read");
      }
      return readFile(file, a.size());
    } catch (NoSuchFileException e) {
      return atTag(version);
    } catch (IOException e) {
      return new NoteLookup.Unreadable("cannot read " + name + ": " + e.getMessage());
    }
  }

  private static NoteLookup readFile(Path file, long size) throws IOException {
    // NOFOLLOW_LINKS again at open (O_NOFOLLOW): the entry may have been swapped for a link since the check.
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_NOTE_BYTES + 1L, Math.max(size + 1, 4096)));
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
      return new NoteLookup.Found(new String(buf.array(), 0, length, StandardCharsets.UTF_8), truncated);
    }
  }

  /** The note as committed in the version's own tag; absent when there is no such tag or the tag has no note. */
  private NoteLookup atTag(String version) {
    String name = "release/" + version;
    try {
      if (!tags().contains(version)) {
        return NoteLookup.absent();
      }
      Git.Result entry = Git.run(dir, gitTimeout, MAX_LS_TREE_BYTES, "ls-tree", "refs/tags/" + version + "^{commit}", "--", name);
      if (!entry.ok() || entry.overflowed()) {
        return new NoteLookup.Unreadable("cannot look up " + name + " in tag " + version + ": "
            + Git.tail(entry.stderr()));
      }
      String line = entry.text().strip();
      if (line.isEmpty()) {
        return NoteLookup.absent();
      }
      // "<mode> <type> <object>\t<path>": 100644/100755 are regular files, 120000 a symlink, 040000 a tree.
      String[] f = line.split("\\s+", 4);
      if (f.length < 4) {
        return new NoteLookup.Unreadable("cannot look up " + name + " in tag " + version + ": unexpected '"
            + Git.tail(line) + "'");
      }
      if (f[0].equals("120000")) {
        return new NoteLookup.Unreadable(name + " in tag " + version
            + " is a symbolic link; not followed, so its note was not read");
      }
      if (!f[0].startsWith("100") || !f[1].equals("blob")) {
        return new NoteLookup.Unreadable(name + " in tag " + version + " is not a regular file; its note was not read");
      }
      Git.Result blob = Git.run(dir, gitTimeout, MAX_NOTE_BYTES, "cat-file", "blob", f[2]);
      if (!blob.ok()) {
        return new NoteLookup.Unreadable("cannot read " + name + " in tag " + version + ": " + Git.tail(blob.stderr()));
      }
      return new NoteLookup.Found(blob.text(), blob.overflowed());
    } catch (GateException e) {
      return new NoteLookup.Unreadable("cannot read " + name + " from git: " + e.getMessage());
    }
  }

  private Set<String> tags() {
    if (tags == null) {
      try {
        tags = Set.copyOf(GitTags.list(dir, gitTimeout));
      } catch (RecipeCheckoutException e) {
        tags = Set.of(); // not a git repository: only the working tree has notes
      }
    }
    return tags;
  }
}
