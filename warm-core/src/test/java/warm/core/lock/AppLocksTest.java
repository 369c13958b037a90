package warm.core.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.Durations;
import warm.core.ExitCode;
import warm.core.WarmException;

/** Locks within one JVM: threads contend through the registry, the file records the holder. */
class AppLocksTest {
  @TempDir
  Path root;

  @Test
  void testTryAcquire_heldThenFreed() {
    AppLocks locks = new AppLocks(root);
    LockFile first = locks.tryAcquire("keycloak", "reconcile").orElseThrow();
    assertTrue(first.isHeld());
    assertEquals(root.resolve("locks/keycloak.lock"), first.path());
    assertTrue(locks.tryAcquire("keycloak", "nightly").isEmpty(), "second acquire in the same JVM");
    assertTrue(locks.tryAcquire("traefik", "nightly").isPresent(), "other apps are independent");
    first.close();
    first.close(); // idempotent
    assertFalse(first.isHeld());
    try (LockFile again = locks.tryAcquire("keycloak", "nightly").orElseThrow()) {
      assertEquals("nightly", again.holder().operation());
    }
  }

  @Test
  void testTryAcquire_otherThreadRefused() throws Exception {
    AppLocks locks = new AppLocks(root);
    try (LockFile held = locks.tryAcquire("app", "quick").orElseThrow()) {
      Optional<LockFile> other = CompletableFuture.supplyAsync(() -> locks.tryAcquire("app", "x")).get(5, TimeUnit.SECONDS);
      assertTrue(other.isEmpty());
      assertTrue(held.isHeld());
    }
  }

  @Test
  void testHolder_recordsPidOperationSince() throws Exception {
    AppLocks locks = new AppLocks(root);
    assertTrue(locks.holder("app").isEmpty(), "no lock file yet");
    try (LockFile held = locks.tryAcquire("app", "promote").orElseThrow()) {
      LockHolder h = locks.holder("app").orElseThrow();
      assertEquals(ProcessHandle.current().pid(), h.pid());
      assertEquals("promote", h.operation());
      assertTrue(h.describe().matches("pid \\d+ \\(operation promote\\) since .*Z"), h.describe());
      // the file says the same, for an operator with cat
      String text = Files.readString(held.path());
      assertTrue(text.contains("\"operation\" : \"promote\""), text);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(held.path())));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(held.path().getParent())));
      assertTrue(held.isHeld(), "probing the holder must not drop our own lock");
    }
    assertTrue(locks.holder("app").isEmpty(), "released: nobody holds it");
    assertEquals("", Files.readString(root.resolve("locks/app.lock")), "the record is cleared on release");
  }

  @Test
  void testAcquire_timesOutNamingAppHolderAndWait() {
    AppLocks locks = new AppLocks(root);
    try (LockFile held = locks.tryAcquire("keycloak", "reconcile").orElseThrow()) {
      long start = System.nanoTime();
      WarmException e = assertThrows(WarmException.class,
          () -> locks.acquire("keycloak", "nightly", Duration.ofMillis(300)));
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs >= 290, "waited " + waitedMs + " ms");
      assertEquals(ExitCode.INFRA, e.exitCode());
      assertTrue(e.getMessage().startsWith("app 'keycloak' is busy: "), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid() + " (operation reconcile)"),
          e.getMessage());
      assertTrue(e.getMessage().matches(".*gave up waiting after \\d+ ms"), e.getMessage());
      assertTrue(held.isHeld());
    }
  }

  @Test
  void testAcquire_waitsForRelease() throws Exception {
    AppLocks locks = new AppLocks(root);
    LockFile held = locks.tryAcquire("app", "quick").orElseThrow();
    CompletableFuture<LockFile> waiter = CompletableFuture.supplyAsync(
        () -> locks.acquire("app", "nightly", Duration.ofSeconds(20)));
    Thread.sleep(300);
    assertFalse(waiter.isDone(), "must wait while held");
    held.close();
    try (LockFile got = waiter.get(5, TimeUnit.SECONDS)) {
      assertEquals("nightly", got.holder().operation());
    }
  }

  @Test
  void testPath_rejectsBadAppNames() {
    AppLocks locks = new AppLocks(root);
    for (String bad : new String[] {"../etc", "a/b", "..", "", "UPPER", "x y"}) {
      WarmException e = assertThrows(WarmException.class, () -> locks.tryAcquire(bad, "x"), bad);
      assertEquals(ExitCode.USAGE, e.exitCode());
    }
    assertFalse(Files.exists(root.resolve("locks")), "bad input changes nothing");
  }

  @Test
  void testHuman() {
    assertEquals("850 ms", Durations.human(Duration.ofMillis(850)));
    assertEquals("30 s", Durations.human(Duration.ofSeconds(30)));
    assertEquals("2 min 5 s", Durations.human(Duration.ofSeconds(125)));
    assertEquals("3 min", Durations.human(Duration.ofMinutes(3)));
    assertEquals("3 h 10 min", Durations.human(Duration.ofMinutes(190)));
    assertEquals("2 h", Durations.human(Duration.ofHours(2)));
  }
}
