package warm.core.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;

class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void testWrite_replacesWithOwnerOnlyPermissions() throws Exception {
    Path f = dir.resolve("a/b/x.json");
    AtomicFiles.write(f, "one".getBytes());
    AtomicFiles.write(f, "two".getBytes());
    assertEquals("two", Files.readString(f));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));
  }

  @Test
  void testWrite_tightensNothingItDidNotCreate_butFileIsAlways0600() throws Exception {
    Path f = dir.resolve("open.json");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    AtomicFiles.write(f, "new".getBytes());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
        "the replacement is a new 0600 inode");
  }

  @Test
  void testWrite_cleansLeftoversOfDeadWritersOnly() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long dead = p.pid();
    long alive = ProcessHandle.current().parent().orElseThrow().pid();
    Path deadTemp = dir.resolve(".x.json." + dead + ".0123456789ab.tmp");
    Path liveTemp = dir.resolve(".x.json." + alive + ".0123456789ab.tmp");
    Path ownTemp = dir.resolve(".x.json." + ProcessHandle.current().pid() + ".0123456789ab.tmp");
    Path foreign = dir.resolve(".unrelated.tmp");
    for (Path t : new Path[] {deadTemp, liveTemp, ownTemp, foreign}) {
      Files.writeString(t, "{\"half");
    }
    AtomicFiles.write(dir.resolve("x.json"), "{}".getBytes());
    assertFalse(Files.exists(deadTemp), "a dead writer's leftover is garbage");
    assertTrue(Files.exists(liveTemp), "a live writer's temp file may be renamed any moment");
    assertTrue(Files.exists(ownTemp), "another thread of ours may be writing it");
    assertTrue(Files.exists(foreign), "not ours to delete");
  }

  @Test
  void testWrite_failureNamesTheFileAndKeepsTheOld() throws Exception {
    Path blocker = dir.resolve("notadir");
    Files.writeString(blocker, "x");
    WarmException e = assertThrows(WarmException.class,
        () -> AtomicFiles.write(blocker.resolve("f.json"), "x".getBytes()));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().contains(blocker.toString()), e.getMessage());

    Path f = dir.resolve("ro/f.json");
    AtomicFiles.write(f, "old".getBytes());
    Files.setPosixFilePermissions(f.getParent(), PosixFilePermissions.fromString("r-x------"));
    try {
      if (Files.isWritable(f.getParent())) {
        return; // running as root: permissions do not stop us, nothing to prove here
      }
      WarmException w = assertThrows(WarmException.class, () -> AtomicFiles.write(f, "new".getBytes()));
      assertTrue(w.getMessage().startsWith("cannot write " + f), w.getMessage());
      assertEquals("old", Files.readString(f));
    } finally {
      Files.setPosixFilePermissions(f.getParent(), PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void testReadDeleteMove() throws Exception {
    Path f = dir.resolve("out/a.json");
    assertEquals(Optional.empty(), AtomicFiles.readIfExists(f));
    AtomicFiles.write(f, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, AtomicFiles.readIfExists(f).orElseThrow());
    Path moved = AtomicFiles.moveInto(f, dir.resolve("sent"));
    assertEquals(dir.resolve("sent/a.json"), moved);
    assertFalse(Files.exists(f));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sent"))));
    assertTrue(AtomicFiles.delete(moved));
    assertFalse(AtomicFiles.delete(moved));
  }
}
