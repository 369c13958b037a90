package warm.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Fetched upstream notes, one file per upstream version ({@code <dir>/<version>}): a first line naming the URL it
 * came from, a second with the answer's content type, then the body as fetched. A note is reused only for the same URL, so a changed template fetches anew.
 * Files are written as temp + fsync + rename + fsync(dir), 0600 in a 0700 directory; only a complete, successful
 * fetch is ever written, so a failed one cannot poison the cache.
 */
final class UpstreamCache {
  private static final String HEADER = "cc-ci-warm upstream note from ";
  /** The longest content type kept (its line, newline included). */
  private static final int MAX_TYPE = 256;
  private static final Set<StandardOpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final FileAttribute<?> FILE_0600 =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> DIR_0700 =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path dir;

  UpstreamCache(Path dir) {
    this.dir = dir;
  }

  /**
   * A fetched body and its content type.
   *
   * @param body the body as fetched
   * @param contentType the answer's Content-Type, or empty
   */
  record Entry(byte[] body, String contentType) {}

  /** The cached body fetched from {@code url}, if any; a cache that cannot be read is a miss. */
  Optional<Entry> read(String upstream, String url) {
    byte[] header = header(url);
    int most = header.length + MAX_TYPE + ReleaseNoteSource.MAX_NOTE_BYTES;
    Path file = dir.resolve(upstream);
    try {
      byte[] all = BoundedRead.read(file, most);
      if (all.length > most || !Arrays.equals(all, 0, Math.min(all.length, header.length), header, 0, header.length)) {
        return Optional.empty();
      }
      int eol = header.length;
      while (eol < all.length && all[eol] != '\n') {
        eol++;
      }
      if (eol >= all.length) {
        return Optional.empty();
      }
      String type = new String(all, header.length, eol - header.length, StandardCharsets.UTF_8);
      touch(file);
      return Optional.of(new Entry(Arrays.copyOfRange(all, eol + 1, all.length), type));
    } catch (IOException e) {
      return Optional.empty(); // not cached (or not readable): fetch
    }
  }

  /** Keeps a fetched body atomically: a reader sees the old file, or the new one whole. */
  void write(String upstream, String url, Entry entry) throws IOException {
    String type = entry.contentType().replaceAll("[\\r\\n]", " ");
    type = type.substring(0, Math.min(type.length(), MAX_TYPE - 1));
    Files.createDirectories(dir, DIR_0700); // gate-cache/ and gate-cache/<app>/ alike
    Path tmp = dir.resolve("." + upstream + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, CREATE_NEW, FILE_0600)) {
        ch.write(ByteBuffer.wrap(header(url)));
        ch.write(ByteBuffer.wrap((type + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.write(ByteBuffer.wrap(entry.body()));
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(upstream), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /**
   * Marks a note used now: {@code warm prune} removes notes unused for {@code prune.gateNoteAgeDays}, and the
   * filesystem's access time is not kept on most hosts (noatime, relatime). A cache that cannot be touched still
   * served its note; the worst is that prune removes it and the next gate fetches it again.
   */
  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // kept as it is: see above
    }
  }

  private static byte[] header(String url) {
    return (HEADER + url + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
