package warm.nightly.prune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Apparent size of a file tree, links not followed. Reflinked snapshots share blocks, so what a removal frees on disk
 * can be less; the report says "bytes" as counted here.
 */
final class Sizes {
  private Sizes() {}

  /** The sum of the regular files' sizes under {@code p} (or of {@code p}); 0 when it is gone or unreadable. */
  static long of(Path p) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.mapToLong(Sizes::size).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private static long size(Path f) {
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() ? a.size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
