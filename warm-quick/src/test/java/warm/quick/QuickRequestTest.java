package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;

class QuickRequestTest {
  @TempDir Path dir;

  @Test
  void testCheckout_withGitDirectoryOrGitFile_accepted() throws Exception {
    Files.createDirectories(dir.resolve("repo/.git"));
    new QuickRequest("sample", dir.resolve("repo"), false, List.of("true"));
    Files.createDirectories(dir.resolve("worktree"));
    Files.writeString(dir.resolve("worktree/.git"), "gitdir: /somewhere/.git/worktrees/w\n");
    new QuickRequest("sample", dir.resolve("worktree"), false, List.of("true"));
  }

  @Test
  void testCheckout_notGit_usageErrorNamingIt() throws Exception {
    Files.writeString(dir.resolve("compose.yml"), "services: {}\n");
    WarmException e = assertThrows(WarmException.class, () -> new QuickRequest("sample", dir, false, List.of("true")));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains(dir + " is not a git checkout"), e.getMessage());
  }

  @Test
  void testCheckout_missing_usageError() {
    WarmException e = assertThrows(WarmException.class,
        () -> new QuickRequest("sample", dir.resolve("nope"), false, List.of("true")));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
  }

  @Test
  void testReservedNames_usageError() {
    for (String name : List.of("alerts", "locks", "recipes", "apps", "gate-cache")) {
      WarmException e = assertThrows(WarmException.class, () -> new QuickRequest(name, null, false, List.of()));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("'" + name + "' is reserved"), e.getMessage());
    }
  }
}
