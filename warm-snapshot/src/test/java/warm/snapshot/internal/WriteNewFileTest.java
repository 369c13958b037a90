package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeFs#writeNewFile}: the tar restore's one-call creation of a regular file with its data and metadata —
 * native (on the descriptor it created) and JDK, same result; never over an existing name, never through a symlink.
 */
class WriteNewFileTest {
  @TempDir
  Path dir;

  @Test
  void testWriteNewFile_dataAndMetadataOnBothImplementations() throws IOException {
    Random r = new Random(15);
    NativeFs platform = NativeFs.platform();
    boolean xattrs = platform.cloneAvailable(); // JNA on Linux: xattrs are read and written
    int uid = Integer.getInteger("warm.test.uid", 4242); // as root; else the owner stays and the test says so below
    for (NativeFs fs : new NativeFs[] {new NativeFs.Unsupported(), platform}) {
      for (int size : new int[] {0, 1, 10_240, 300_000}) {
        byte[] data = new byte[size + 5];
        r.nextBytes(data);
        Path f = dir.resolve(fs.getClass().getSimpleName() + size);
        Map<String, byte[]> x = xattrs && fs == platform ? Map.of("user.k", new byte[] {0, 1, (byte) 0xff})
            : Map.of();
        boolean root = "root".equals(System.getProperty("user.name"));
        fs.writeNewFile(f, data, size, root ? uid : platform.stat(dir).uid(), root ? 77 : platform.stat(dir).gid(),
            04751, x, 1_700_000_000_123_456_789L);
        String what = fs.getClass().getSimpleName() + " size " + size;
        assertArrayEquals(Arrays.copyOf(data, size), Files.readAllBytes(f), what);
        Stat st = platform.stat(f);
        assertEquals(root ? 04751 : st.perms(), st.perms(), what); // setuid kept: mode set after the owner
        assertEquals(1_700_000_000_123_456_789L, st.mtimeNanos(), what);
        if (root) {
          assertEquals(uid, st.uid(), what);
          assertEquals(77, st.gid(), what);
        }
        if (!x.isEmpty()) {
          assertArrayEquals(x.get("user.k"), platform.readXattrs(f).get("user.k"), what);
        }
      }
    }
  }

  @Test
  void testWriteNewFile_neverOverAnExistingNameNorThroughASymlink() throws IOException {
    Path outside = Files.writeString(dir.resolve("outside"), "keep");
    for (NativeFs fs : new NativeFs[] {new NativeFs.Unsupported(), NativeFs.platform()}) {
      Path link = Files.createSymbolicLink(dir.resolve("planted-" + fs.getClass().getSimpleName()), outside);
      Path dangling = Files.createSymbolicLink(dir.resolve("dangling-" + fs.getClass().getSimpleName()),
          dir.resolve("nowhere"));
      for (Path target : new Path[] {outside, link, dangling}) {
        assertThrows(IOException.class, () -> fs.writeNewFile(target, new byte[] {1}, 1, 0, 0, 0644, Map.of(), 0),
            fs.getClass().getSimpleName() + " " + target);
      }
      assertEquals("keep", Files.readString(outside));
      assertTrue(Files.notExists(dir.resolve("nowhere")));
    }
  }
}
