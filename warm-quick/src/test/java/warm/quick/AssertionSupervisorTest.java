package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.process.ProcessRunner;

/** The assertion command's supervision on real child processes ({@code /bin/sh}). */
class AssertionSupervisorTest {
  private final AssertionSupervisor supervisor = new AssertionSupervisor(new Cancellation().guard(ProcessRunner.system()));

  @TempDir
  Path tmp;

  @Test
  void testRun_exitCodeAndEnvironment() throws Exception {
    Path seen = tmp.resolve("seen");
    AssertionExit ok = supervisor.run(List.of("sh", "-c", "echo \"$WARM_RUN_ID\" > " + seen),
        Map.of("WARM_RUN_ID", "q-test"), Duration.ofSeconds(30));
    assertEquals(new AssertionExit.Exited(0), ok);
    assertEquals(Optional.empty(), ok.failure());
    assertEquals("q-test", Files.readString(seen).strip());
    AssertionExit three = supervisor.run(List.of("sh", "-c", "exit 3"), Map.of(), Duration.ofSeconds(30));
    assertEquals(Optional.of("the runner's assertions failed (exit 3)"), three.failure());
  }

  /** A timed-out command is said to have timed out (not "exit 124"), and it and its children are killed. */
  @Test
  void testRun_timeout_killsTheTree_andSaysTimedOut() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    long t0 = System.nanoTime();
    AssertionExit r = supervisor.run(List.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"), Map.of(),
        Duration.ofSeconds(1));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "killed at the bound, not after 60 s");
    assertInstanceOf(AssertionExit.TimedOut.class, r);
    assertEquals(Optional.of("the runner's assertions timed out after 1 s (killed)"), r.failure());
    long child = Long.parseLong(Files.readString(pidFile).strip());
    assertTrue(deadWithin(child, Duration.ofSeconds(5)), "the grandchild is killed too");
  }

  /** Gone, or a zombie nobody reaped yet (in a container the reaper may be a shell that never waits). */
  private static boolean deadWithin(long pid, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      Path stat = Path.of("/proc/" + pid + "/stat");
      if (!Files.exists(stat)) {
        return true;
      }
      String s;
      try {
        s = Files.readString(stat);
      } catch (IOException gone) {
        return true;
      }
      if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void testRun_noCommand_orMissingExecutable_isUsage() {
    WarmException none = assertThrows(WarmException.class,
        () -> supervisor.run(List.of(), Map.of(), Duration.ofSeconds(1)));
    assertEquals(ExitCode.USAGE, none.exitCode());
    WarmException missing = assertThrows(WarmException.class,
        () -> supervisor.run(List.of(tmp.resolve("nope").toString()), Map.of(), Duration.ofSeconds(1)));
    assertEquals(ExitCode.USAGE, missing.exitCode());
    assertTrue(missing.getMessage().contains("cannot start the assertion command"), missing.getMessage());
  }

  /** A cancel that came first: the guarded runner refuses to start the assertions (the FAIL path follows). */
  @Test
  void testRun_afterACancel_isNotStarted() throws Exception {
    Cancellation c = new Cancellation();
    c.request();
    Path marker = tmp.resolve("started");
    WarmException e = assertThrows(WarmException.class, () -> new AssertionSupervisor(c.guard(ProcessRunner.system()))
        .run(List.of("/bin/sh", "-c", "touch " + marker), Map.of(), Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
    assertTrue(!Files.exists(marker), "the assertions never ran");
  }
}
