package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

class CancellationTest {
  private final List<String> ran = new ArrayList<>();
  private final ProcessRunner recorder = c -> {
    ran.add(String.join(" ", c.argv()));
    return new ProcessResult(c, 0, "", "", Duration.ZERO, false);
  };

  @Test
  void testGuard_runsUntilCancelled_thenRefuses() {
    Cancellation c = new Cancellation();
    ProcessRunner guarded = c.guard(recorder);
    guarded.run(Command.of("docker", "service", "ls"));
    c.request();
    WarmException e = assertThrows(WarmException.class, () -> guarded.run(Command.of("docker", "stack", "deploy")));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().contains("cancelled (SIGTERM)"), e.getMessage());
    assertEquals(List.of("docker service ls"), ran, "the refused command never reached the delegate");
    assertTrue(c.requested());
  }

  @Test
  @SuppressWarnings("try") // closes the shield explicitly on purpose: closing twice must be harmless
  void testGuard_shielded_runsAfterCancel_untilTheShieldCloses() {
    Cancellation c = new Cancellation();
    ProcessRunner guarded = c.guard(recorder);
    c.request();
    try (Cancellation.Shield outer = c.shield()) {
      try (Cancellation.Shield inner = c.shield()) {
        guarded.run(Command.of("docker", "stack", "rm"));
      }
      guarded.run(Command.of("docker", "volume", "ls")); // still inside the outer shield
      outer.close();
      outer.close(); // idempotent: must not drop a shield it does not own
      assertThrows(WarmException.class, () -> guarded.run(Command.of("docker", "info")));
    }
    assertEquals(List.of("docker stack rm", "docker volume ls"), ran);
  }

  @Test
  void testRequest_stopsRunningChildren_butNotWhileShielded() throws Exception {
    Cancellation c = new Cancellation();
    Process shielded = new ProcessBuilder("sleep", "30").start();
    try {
      try (Cancellation.Shield s = c.shield()) {
        c.request();
        assertFalse(shielded.waitFor(300, TimeUnit.MILLISECONDS), "a rollback's command is left running");
      }
    } finally {
      shielded.destroyForcibly();
    }
    Cancellation forward = new Cancellation();
    Process deploy = new ProcessBuilder("sleep", "30").start();
    try {
      forward.request();
      assertTrue(deploy.waitFor(10, TimeUnit.SECONDS), "the forward step's command was stopped");
      assertEquals(143, deploy.exitValue(), "stopped by SIGTERM");
    } finally {
      deploy.destroyForcibly();
    }
  }
}
