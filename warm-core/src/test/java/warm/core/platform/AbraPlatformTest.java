package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.AbraSettings;
import warm.core.config.Timeouts;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/** Where the adapter looks for abra's state must be where abra keeps it. */
class AbraPlatformTest {
  @Test
  void testAbraDirFor_configuredThenEnvironmentThenHome() {
    assertEquals(Path.of("/x"), abraDir(Path.of("/x")).abraDirFor("/y"));
    assertEquals(Path.of("/y"), abraDir(null).abraDirFor("/y"));
    assertEquals(Path.of(System.getProperty("user.home"), ".abra"), abraDir(null).abraDirFor(" "));
    assertEquals(Path.of(System.getProperty("user.home"), ".abra"), abraDir(null).abraDirFor(null));
  }

  private static AbraSettings abraDir(Path configured) {
    return new AbraSettings("abra", configured, "default", true, List.of());
  }

  /**
   * With no {@code abra.abraDir} configured, abra is still told the directory the adapter reads: abra's own default
   * is {@code $HOME/.abra}, and the NixOS quick launcher starts the lane with no {@code HOME} at all ({@code env -i}),
   * so without it abra would create the app's env file where {@link AbraPlatform#envFile} never looks.
   */
  @Test
  void testAbraCommands_carryTheAbraDirTheAdapterReads_alsoWhenNoneIsConfigured(@TempDir Path dir) {
    List<Command> ran = new ArrayList<>();
    ProcessRunner runner = c -> {
      ran.add(c);
      return new ProcessResult(c, 0, "", "", Duration.ZERO, false);
    };
    AbraSettings unset = new AbraSettings("abra", null, "default", true, List.of());
    AbraPlatform p = new AbraPlatform(unset, runner, new DockerCli(runner, "docker", Duration.ofSeconds(5)),
        new Timeouts(null, null, null, null, null, null), RecipeProbes.none());
    AppRef app = new AppRef("sample", "abradir-unit.ci.localhost");
    p.createApp(app);
    assertEquals(1, ran.size(), ran.toString());
    assertEquals("app new sample --server default --domain abradir-unit.ci.localhost -n",
        String.join(" ", ran.get(0).argv().subList(1, ran.get(0).argv().size())));
    Path expected = unset.abraDirFor(System.getenv("ABRA_DIR"));
    assertEquals(expected.toString(), ran.get(0).env().get("ABRA_DIR"));
    assertEquals(expected.resolve("servers/default/abradir-unit.ci.localhost.env"), p.envFile(app));

    ran.clear();
    AbraSettings configured = new AbraSettings("abra", dir.resolve("abra"), "default", true, List.of());
    new AbraPlatform(configured, runner, new DockerCli(runner, "docker", Duration.ofSeconds(5)),
        new Timeouts(null, null, null, null, null, null), RecipeProbes.none()).createApp(app);
    assertEquals(dir.resolve("abra").toString(), ran.get(0).env().get("ABRA_DIR"));
  }
}
