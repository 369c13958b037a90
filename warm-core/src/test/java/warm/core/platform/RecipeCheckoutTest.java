package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import warm.core.config.Timeouts;
import warm.core.process.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleRecipe;

/** Release notes survive abra moving its shared recipe tree to an older tag; committed symlinks are not followed. */
class RecipeCheckoutTest {
  private final ProcessRunner runner = ProcessRunner.system();
  @TempDir Path root;

  /** The platforms bound their git commands by timeouts.commandSeconds, not a fixed 60 s of their own. */
  @Test
  void testGitCommandsOfThePlatform_boundedByTheConfiguredCommandTimeout() throws Exception {
    SampleRecipe.materialize(root.resolve("recipes/sample"), runner);
    List<Command> ran = new ArrayList<>();
    ProcessRunner recording = c -> {
      ran.add(c);
      return runner.run(c);
    };
    Timeouts timeouts = new Timeouts(null, null, null, null, 7, null);
    SwarmPlatform p = new SwarmPlatform(root.resolve("recipes"), root.resolve("apps"), recording,
        new DockerCli(recording, "docker", timeouts.command()), timeouts, RecipeProbes.none());
    assertTrue(p.publishedVersions("sample").contains("2.0.0+2.0"));
    assertTrue(p.releaseNote("sample", "2.0.0+2.0").isPresent());
    assertFalse(ran.isEmpty());
    for (Command c : ran) {
      assertEquals("git", c.argv().get(0), c.toString());
      assertEquals(Duration.ofSeconds(7), c.timeout(), c.toString());
    }
  }

  @Test
  void testReleaseNote_readFromTheTagWhenTheTreeIsAtAnOlderVersion() throws Exception {
    Path dir = SampleRecipe.materialize(root.resolve("sample"), runner);
    SampleRecipe.git(runner, dir, "-c", "advice.detachedHead=false", "checkout", "-q", "refs/tags/1.0.0+1.0");
    assertFalse(Files.exists(dir.resolve("release/2.0.0+2.0")));
    RecipeCheckout co = new RecipeCheckout(dir, runner, Duration.ofSeconds(60));
    assertTrue(co.releaseNote("2.0.0+2.0").orElseThrow().startsWith("ATTENTION"));
    assertEquals("Bump busybox image. Add healthcheck interval.\n", co.releaseNote("1.1.0+1.1").orElseThrow());
    assertTrue(co.releaseNote("1.0.0+1.0").isEmpty(), "no note was published for 1.0.0");
    assertTrue(co.releaseNote("9.9.9+none").isEmpty(), "no such tag");
    assertTrue(co.releaseNote("--output=x").isEmpty(), "never an option to git");
  }

  @Test
  void testReleaseNote_committedSymlinkIsNotFollowed() throws Exception {
    Path dir = SampleRecipe.materialize(root.resolve("sample"), runner);
    Path secret = Files.writeString(root.resolve("outside.txt"), "not a release note");
    Files.createSymbolicLink(dir.resolve("release/3.0.0+3.0"), secret);
    SampleRecipe.git(runner, dir, "add", "-A");
    SampleRecipe.git(runner, dir, "commit", "-q", "-m", "hostile note");
    SampleRecipe.git(runner, dir, "tag", "3.0.0+3.0");
    RecipeCheckout co = new RecipeCheckout(dir, runner, Duration.ofSeconds(60));
    WarmException tree = assertThrows(WarmException.class, () -> co.releaseNote("3.0.0+3.0"),
        "symlink in the working tree: a note that cannot be read is not 'no note'");
    assertTrue(tree.getMessage().contains("symbolic link (not followed)"), tree.getMessage());
    SampleRecipe.git(runner, dir, "-c", "advice.detachedHead=false", "checkout", "-q", "refs/tags/1.0.0+1.0");
    WarmException tag = assertThrows(WarmException.class, () -> co.releaseNote("3.0.0+3.0"),
        "symlink committed in the tag");
    assertTrue(tag.getMessage().contains("in tag 3.0.0+3.0 is a symbolic link"), tag.getMessage());
    assertFalse(tag.getMessage().contains("not a release note"));
  }

  @Test
  void testReleaseNote_largerThanTheBound_fails() throws Exception {
    Path dir = SampleRecipe.materialize(root.resolve("sample"), runner);
    Files.writeString(dir.resolve("release/3.0.0+3.0"), "x".repeat(RecipeCheckout.MAX_NOTE_BYTES) + "\nATTENTION\n");
    SampleRecipe.git(runner, dir, "add", "-A");
    SampleRecipe.git(runner, dir, "commit", "-q", "-m", "huge note");
    SampleRecipe.git(runner, dir, "tag", "3.0.0+3.0");
    RecipeCheckout co = new RecipeCheckout(dir, runner, Duration.ofSeconds(60));
    assertTrue(assertThrows(WarmException.class, () -> co.releaseNote("3.0.0+3.0")).getMessage()
        .contains("larger than 1 MiB"), "in the working tree");
    SampleRecipe.git(runner, dir, "-c", "advice.detachedHead=false", "checkout", "-q", "refs/tags/1.0.0+1.0");
    assertTrue(assertThrows(WarmException.class, () -> co.releaseNote("3.0.0+3.0")).getMessage()
        .contains("in tag 3.0.0+3.0 is larger than 1 MiB"), "in the tag");
  }
}
