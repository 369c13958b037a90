package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Work started on a daemon thread while the caller goes on; its result or its failure comes back at join. */
class BackgroundTest {
  @Test
  void runsOnItsOwnDaemonThreadWhileTheCallerWorks() throws Exception {
    CountDownLatch callerWorked = new CountDownLatch(1);
    Thread caller = Thread.currentThread();
    Background<Thread> b = Background.start("warm-test", () -> {
      // Finishes only once the caller did its own part after start(): the two run at once, not one after the other.
      assertTrue(callerWorked.await(30, TimeUnit.SECONDS), "the caller's work did not happen meanwhile");
      return Thread.currentThread();
    });
    callerWorked.countDown();
    Thread ran = b.join();
    assertNotSame(caller, ran);
    assertTrue(ran.isDaemon(), "background work must never keep the JVM alive");
    assertEquals("warm-test", ran.getName());
  }

  @Test
  void joinThrowsWhatTheWorkThrew() {
    IOException io = new IOException("disk gone");
    assertSame(io, assertThrows(IOException.class, () -> Background.start("t", () -> {
      throw io;
    }).join()));
    IllegalStateException state = new IllegalStateException("bad");
    assertSame(state, assertThrows(IllegalStateException.class, () -> Background.start("t", () -> {
      throw state;
    }).join()));
    Exception other = new Exception("checked");
    assertSame(other, assertThrows(IOException.class, () -> Background.start("t", () -> {
      throw other;
    }).join()).getCause());
  }
}
