package warm.core.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import warm.core.WarmException;

/** An app's {@code .env} file (Docker env_file syntax: {@code KEY=VALUE}, {@code #} comments, optional quotes). */
final class EnvFile {
  private EnvFile() {}

  static Map<String, String> read(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("export ")) {
          line = line.substring(7).strip();
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        int hash = value.startsWith("\"") || value.startsWith("'") ? -1 : value.indexOf(" #");
        if (hash >= 0) {
          value = value.substring(0, hash).strip();
        }
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        out.put(key, value);
      }
    } catch (IOException e) {
      throw WarmException.infra("cannot read env file " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Secret name → version from {@code SECRET_<NAME>_VERSION} keys (name lower-cased, as recipes name them). */
  static Map<String, String> secretVersions(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("SECRET_") && k.endsWith("_VERSION") && k.length() > "SECRET__VERSION".length()) {
        out.put(k.substring(7, k.length() - 8).toLowerCase(Locale.ROOT), v);
      }
    });
    return out;
  }
}
