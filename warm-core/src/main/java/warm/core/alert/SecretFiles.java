package warm.core.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import warm.core.WarmException;

/**
 * A webhook's {@code urlFile} and {@code headersFile}: secrets kept out of the configuration (which the NixOS module
 * puts in the world-readable store), read when the channel is built. Errors name the file and the line, never its
 * content (I10).
 */
final class SecretFiles {
  private SecretFiles() {}

  /** The URL in {@code file}: its one non-blank line, trimmed. */
  static String url(Path file) {
    List<String> lines = read("urlFile", file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.size() != 1) {
      throw WarmException.usage("notify urlFile " + file + ": must hold exactly one non-blank line (the URL), found "
          + lines.size());
    }
    return lines.get(0);
  }

  /** {@code inline} plus the {@code Name: value} lines of {@code file} (blank lines and {@code #} comments skipped). */
  static Map<String, String> headers(Map<String, String> inline, Path file) {
    if (file == null) {
      return inline;
    }
    Map<String, String> all = new LinkedHashMap<>(inline);
    List<String> lines = read("headersFile", file);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int colon = l.indexOf(':');
      if (colon <= 0 || !l.substring(0, colon).strip().matches("[A-Za-z0-9-]+")) {
        throw WarmException.usage("notify headersFile " + file + " line " + (i + 1)
            + ": expected 'Name: value' (a header name of letters, digits and '-')");
      }
      all.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
    }
    return all;
  }

  private static List<String> read(String what, Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw WarmException.usage("notify " + what + " " + file + ": file does not exist");
    } catch (IOException e) {
      throw WarmException.usage("notify " + what + " " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }
}
