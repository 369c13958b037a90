package warm.quick;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alerts;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.platform.Platform;
import warm.core.process.ProcessRunner;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/** Split mode's second half refuses a run it cannot finish before the lock: nothing is created, nothing asked. */
class QuickLaneFinishTest {
  @TempDir Path dir;

  private QuickLane lane(WarmConfig c) {
    Platform platform = (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(),
        new Class<?>[] {Platform.class}, (proxy, m, args) -> {
          throw new AssertionError("platform asked: " + m.getName());
        });
    ProcessRunner noCommands = cmd -> {
      throw new AssertionError("command run: " + cmd);
    };
    return new QuickLane(c, platform, Alerts.fromConfig(c, noCommands), null, new Cancellation());
  }

  @Test
  void testFinish_noPreparedRun_exit2_noLockFile() {
    Path root = dir.resolve("state");
    WarmConfig c = ConfigLoader.parse("{\"stateRoot\": \"" + root + "\"}", "test");
    WarmException e = assertThrows(WarmException.class, () -> lane(c).finish("typo", "q1", false));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("no prepared quick run for typo"), e.getMessage());
    assertFalse(Files.exists(root), "nothing created, not even the state root (a lock file)");
  }

  @Test
  void testFinish_anotherRunsJournal_exit2_journalUntouched_noLockFile() throws Exception {
    Path root = dir.resolve("state");
    WarmConfig c = ConfigLoader.parse("{\"stateRoot\": \"" + root + "\"}", "test");
    StateStore store = new StateStore(root);
    store.write("sample", StateFile.JOURNAL, Journal.begin("quick", "q2", "sample", "prepared", Map.of()));
    byte[] before = Files.readAllBytes(store.path("sample", StateFile.JOURNAL));
    WarmException e = assertThrows(WarmException.class, () -> lane(c).finish("sample", "q1", true));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("not prepared run q1"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(store.path("sample", StateFile.JOURNAL)));
    assertFalse(Files.exists(root.resolve("locks")), "no lock file created");
  }
}
