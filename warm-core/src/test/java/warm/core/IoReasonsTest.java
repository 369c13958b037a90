package warm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.lock.AppLocks;
import warm.core.state.AtomicFiles;

/** A failed file operation says why in the operator's words: the file, then the kernel's reason; no Java names. */
class IoReasonsTest {
  @TempDir Path tmp;

  @Test
  void testLockFileThatIsADirectory_saysSo() throws Exception {
    AppLocks locks = new AppLocks(tmp);
    Path lock = Files.createDirectories(locks.path("app"));
    WarmException e = assertThrows(WarmException.class, () -> locks.tryAcquire("app", "test"));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertEquals("cannot lock " + lock + ": Is a directory", e.getMessage());
  }

  @Test
  void testStateWriteOverADirectory_saysWhy_noExceptionName() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("canonical.json"));
    Files.writeString(target.resolve("inside"), "x");
    WarmException e = assertThrows(WarmException.class, () -> AtomicFiles.write(target, new byte[] {1}));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertEquals("cannot write " + target + ": Is a directory", e.getMessage());
    assertEquals("x", Files.readString(target.resolve("inside")), "what was there is untouched");
  }
}
