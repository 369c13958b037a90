package warm.nightly.canonical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.platform.Platform;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleRecipe;

/** The release a promotion moves to, read from the recipe's tags with the configured command bound. */
class PromoteTargetTest {
  @TempDir Path root;

  @Test
  void testTagCommit_readWithTheConfiguredCommandTimeout() throws Exception {
    ProcessRunner system = ProcessRunner.system();
    Path dir = SampleRecipe.materialize(root.resolve("sample"), system);
    String tagged = system.run(Command.of("git", "-C", dir.toString(), "rev-parse", "refs/tags/2.0.0+2.0^{commit}"))
        .requireSuccess().stdout().strip();
    Platform platform = (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(),
        new Class<?>[] {Platform.class}, (proxy, m, args) -> switch (m.getName()) {
          case "fetchRecipe" -> dir;
          case "publishedVersions" -> SampleRecipe.VERSIONS;
          default -> throw new AssertionError("platform asked: " + m.getName());
        });
    List<Command> ran = new ArrayList<>();
    ProcessRunner recording = c -> {
      ran.add(c);
      return system.run(c);
    };
    Duration bound = Duration.ofSeconds(7);
    assertEquals(new PromoteTarget("2.0.0+2.0", tagged),
        PromoteTarget.latest(platform, recording, bound, "sample", Optional.empty(), Optional.empty()));
    assertEquals(new PromoteTarget("2.0.0+2.0", tagged),
        PromoteTarget.published(platform, recording, bound, "sample", "2.0.0+2.0"));
    assertFalse(ran.isEmpty());
    for (Command c : ran) {
      assertEquals(bound, c.timeout(), "timeouts.commandSeconds, not the runner's default: " + c);
    }
  }
}
