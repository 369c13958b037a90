package warm.core.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;

/**
 * The bundled sample recipe: a git repository with published versions {@code 1.0.0+1.0}, {@code 1.1.0+1.1} and
 * {@code 2.0.0+2.0}, {@code release/} notes (the 2.0.0 one demands a manual migration), a {@code .env.sample} and a
 * compose file whose {@code app} service keeps data in a named volume, has a healthcheck and initialises an empty
 * volume slowly. Used by {@code warm selftest}, the demo and the integration tests.
 */
public final class SampleRecipe {
  /** Versions published as git tags, oldest first. */
  public static final List<String> VERSIONS = List.of("1.0.0+1.0", "1.1.0+1.1", "2.0.0+2.0");
  private static final Duration GIT = Duration.ofSeconds(30);

  private SampleRecipe() {}

  /**
   * Creates the recipe as a git checkout at {@code dir} (which must not exist or be empty), one commit and tag per
   * version, and returns {@code dir}.
   */
  public static Path materialize(Path dir, ProcessRunner runner) {
    try {
      Files.createDirectories(dir);
      String compose = resource("compose.yml");
      Map<String, String> notes = new LinkedHashMap<>();
      for (String line : resource("release-notes.txt").split("\n")) {
        if (!line.isBlank()) {
          String[] kv = line.split("\t", 2);
          notes.put(kv[0], kv[1] + "\n");
        }
      }
      Files.writeString(dir.resolve(".env.sample"), resource("env.sample"));
      git(runner, dir, "init", "-q", "-b", "main");
      for (String v : VERSIONS) {
        Files.writeString(dir.resolve("compose.yml"), compose.replace("@VERSION@", v));
        if (notes.containsKey(v)) {
          Files.createDirectories(dir.resolve("release"));
          Files.writeString(dir.resolve("release").resolve(v), notes.get(v));
        }
        git(runner, dir, "add", "-A");
        git(runner, dir, "commit", "-q", "-m", "chore: publish " + v + " release");
        git(runner, dir, "tag", v);
      }
      return dir;
    } catch (IOException e) {
      throw WarmException.infra("cannot create the sample recipe in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Runs git in the checkout with a fixed identity (tests and demo machines have none configured). */
  public static void git(ProcessRunner runner, Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=cc-ci-warm",
        "-c", "user.email=cc-ci-warm@localhost", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
    argv.addAll(List.of(args));
    runner.run(Command.of(argv).withTimeout(GIT)).requireSuccess();
  }

  private static String resource(String name) {
    try (InputStream in = SampleRecipe.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("sample recipe resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
