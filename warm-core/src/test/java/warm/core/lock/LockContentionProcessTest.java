package warm.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;

/** Two real processes contend for one app lock; the kernel frees it when the holder is SIGKILLed. */
class LockContentionProcessTest {
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path root;

  @Test
  void testOtherProcessHolds_weRefuseAndWait_thenKillFreesIt() throws Exception {
    AppLocks locks = new AppLocks(root);
    try (ChildJvm child = ChildJvm.start(LockChild.class, "hold", root.toString(), "keycloak", "reconcile")) {
      assertEquals("LOCKED " + child.pid(), child.readLine(START));

      // non-blocking try refuses
      assertTrue(locks.tryAcquire("keycloak", "quick").isEmpty());
      // the holder is visible, with its pid and operation
      LockHolder h = locks.holder("keycloak").orElseThrow();
      assertEquals(child.pid(), h.pid());
      assertEquals("reconcile", h.operation());
      // a bounded wait gives up with a message naming the app and the holder
      WarmException e = assertThrows(WarmException.class,
          () -> locks.acquire("keycloak", "nightly", Duration.ofMillis(250)));
      assertTrue(e.getMessage().contains("app 'keycloak' is busy")
          && e.getMessage().contains("pid " + child.pid() + " (operation reconcile)"), e.getMessage());

      // a longer wait succeeds as soon as the holder dies by SIGKILL (no cleanup code runs in it)
      CompletableFuture<LockFile> waiter = CompletableFuture.supplyAsync(
          () -> locks.acquire("keycloak", "nightly", Duration.ofSeconds(30)));
      Thread.sleep(200);
      assertFalse(waiter.isDone());
      long killedAt = System.nanoTime();
      child.kill();
      try (LockFile got = waiter.get(10, TimeUnit.SECONDS)) {
        long ms = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("lock taken " + ms + " ms after the holder was SIGKILLed");
        assertEquals(ProcessHandle.current().pid(), locks.holder("keycloak").orElseThrow().pid());
        assertTrue(got.isHeld());
      }
    }
  }

  @Test
  void testWeHold_otherProcessRefused_thenFreeAfterRelease() throws Exception {
    AppLocks locks = new AppLocks(root);
    try (LockFile held = locks.tryAcquire("app", "quick").orElseThrow()) {
      try (ChildJvm child = ChildJvm.start(LockChild.class, "try", root.toString(), "app")) {
        assertEquals("BUSY", child.readLine(START));
        assertEquals(0, child.waitFor(START));
      }
      assertTrue(held.isHeld());
    }
    try (ChildJvm child = ChildJvm.start(LockChild.class, "try", root.toString(), "app")) {
      assertEquals("FREE", child.readLine(START));
      assertEquals(0, child.waitFor(START));
    }
  }
}
