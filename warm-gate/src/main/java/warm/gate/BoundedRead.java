package warm.gate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads at most a bound of a file without following a symbolic link, even one swapped in after a check. */
final class BoundedRead {
  private BoundedRead() {}

  /**
   * @return the first {@code max + 1} bytes at most: more than {@code max} means the file is larger than the bound
   */
  static byte[] read(Path file, int max) throws IOException {
    try (InputStream in = Channels.newInputStream(
        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      return in.readNBytes(max + 1);
    }
  }
}
