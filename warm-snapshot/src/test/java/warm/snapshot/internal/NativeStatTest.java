package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JnaNativeFs}'s struct stat and xattr calls (primitive arguments, the stat read as 8-byte words) against the
 * JDK's {@code unix:} view of the same objects, field by field.
 */
class NativeStatTest {
  @TempDir
  Path dir;

  @Test
  void testStat_equalsTheJdkViewForEveryObjectType() throws Exception {
    NativeFs jna = JnaNativeFs.INSTANCE;
    assertNotNull(jna, "libc binds through JNA on this Linux");
    Path file = Files.write(dir.resolve("file"), new byte[12_345]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x--x"));
    Files.setLastModifiedTime(file, FileTime.from(1_234_567_890_123_456_789L, TimeUnit.NANOSECONDS));
    Files.createLink(dir.resolve("second-name"), file);
    Path sub = Files.createDirectory(dir.resolve("dir"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("points/nowhere"));
    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, mkfifo.waitFor());
    Path empty = Files.createFile(dir.resolve("empty"));
    Path device = dir.resolve("device");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      jna.setOwner(empty, 12_345, 54_321); // ids above 16 bits, each in its own half of a stat word
      jna.setMode(empty, 06755);
      jna.mknod(device, Stat.S_IFCHR | 0640, (1 << 8) | 3); // /dev/null's numbers
    }
    Path[] objects = root ? new Path[] {file, sub, link, fifo, empty, device} : new Path[] {file, sub, link, fifo};
    for (Path p : objects) {
      Stat mine = jna.stat(p);
      Stat jdk = Stat.of(p);
      assertEquals(new Stat(jdk.mode(), jdk.uid(), jdk.gid(), jdk.ino(), jdk.dev(), jdk.nlink(), jdk.rdev(),
          jdk.size(), jdk.mtimeNanos(), jdk.ctimeNanos(), mine.blocks()), mine, p.toString());
      assertTrue(mine.blocks() >= 0, p + " blocks " + mine.blocks());
    }
    assertEquals(2, jna.stat(file).nlink());
    assertEquals(1_234_567_890_123_456_789L, jna.stat(file).mtimeNanos());
    assertTrue(jna.stat(file).blocks() * 512 >= 12_345, "a dense file's blocks hold its bytes");
    if (root) {
      assertEquals((1 << 8) | 3, jna.stat(device).rdev());
      assertEquals(12_345, jna.stat(empty).uid());
      assertEquals(54_321, jna.stat(empty).gid());
    }
  }

  @Test
  void testStat_missingIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> JnaNativeFs.INSTANCE.stat(dir.resolve("missing")));
  }

  @Test
  void testXattrs_readBackAsWritten() throws IOException {
    Path file = Files.createFile(dir.resolve("x"));
    UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    try {
      view.write("warm.one", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("no user xattrs on " + dir + ": " + e);
    }
    NativeFs jna = JnaNativeFs.INSTANCE;
    jna.writeXattr(file, "user.warm.two", new byte[300]);
    Map<String, byte[]> x = jna.readXattrs(file);
    assertEquals(2, x.size(), x.keySet().toString());
    assertArrayEquals(new byte[] {1, 2, 3}, x.get("user.warm.one"));
    assertArrayEquals(new byte[300], x.get("user.warm.two"));
    jna.removeXattr(file, "user.warm.one");
    assertEquals(1, jna.readXattrs(file).size());
    assertEquals(Map.of(), jna.readXattrs(Files.createFile(dir.resolve("none"))));
  }
}
