package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeFs#readHead}: the tar path's one-call read of a small file, native and JDK, byte for byte, and the file
 * as it was once read (what the tar snapshot checks and records).
 */
class ReadHeadTest {
  @TempDir
  Path dir;

  @Test
  void testReadHead_equalsTheFileOnBothImplementations() throws IOException {
    NativeFs jdk = new NativeFs.Unsupported();
    NativeFs platform = NativeFs.platform();
    Random r = new Random(15);
    for (int size : new int[] {0, 1, 4095, 10_240, 65_537, 1 << 20}) {
      byte[] data = new byte[size];
      r.nextBytes(data);
      Path f = Files.write(dir.resolve("f" + size), data);
      for (NativeFs fs : new NativeFs[] {jdk, platform}) {
        byte[] buf = new byte[(1 << 20) + 7];
        Arrays.fill(buf, (byte) 0x55);
        NativeFs.Head read = fs.readHead(f, buf, 3, size);
        int n = read.length();
        assertEquals(size, n, fs.getClass().getSimpleName() + " size " + size);
        assertEquals(fs.stat(f), read.after(), fs.getClass().getSimpleName() + " size " + size);
        assertArrayEquals(data, Arrays.copyOfRange(buf, 3, 3 + n), fs.getClass().getSimpleName() + " size " + size);
        assertArrayEquals(new byte[] {0x55, 0x55, 0x55}, Arrays.copyOf(buf, 3), "nothing written before the offset");
        assertEquals((byte) 0x55, buf[3 + size], "nothing written past the length asked for");
      }
    }
  }

  @Test
  void testReadHead_intoABufferEqualsTheFileOnBothImplementations() throws IOException {
    Random r = new Random(16);
    for (int size : new int[] {0, 1, 4095, 10_240, 65_537}) {
      byte[] data = new byte[size];
      r.nextBytes(data);
      Path f = Files.write(dir.resolve("f" + size), data);
      for (NativeFs fs : new NativeFs[] {new NativeFs.Unsupported(), NativeFs.platform()}) {
        for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.allocateDirect(size + 8), ByteBuffer.allocate(size + 8)}) {
          String what = fs.getClass().getSimpleName() + (b.isDirect() ? " direct" : " heap") + " size " + size;
          b.put(b.capacity() - 1, (byte) 0x66);
          b.put(new byte[] {0x55, 0x55, 0x55}).limit(3 + size);
          NativeFs.Head read = fs.readHead(f, b);
          assertEquals(size, read.length(), what);
          assertEquals(3 + size, b.position(), what + ": the position moves past what was read");
          assertEquals(fs.stat(f), read.after(), what);
          byte[] got = new byte[size];
          b.limit(b.capacity()).position(3);
          b.get(got);
          assertArrayEquals(data, got, what);
          assertEquals((byte) 0x55, b.get(2), what + ": nothing written before the position");
          assertEquals((byte) 0x66, b.get(b.capacity() - 1), what + ": nothing written past the limit");
        }
      }
    }
  }

  @Test
  void testOpenFile_givesTheXattrsAndDataOfThePathOnBothImplementations() throws IOException {
    NativeFs platform = NativeFs.platform();
    Random r = new Random(17);
    for (int size : new int[] {0, 1, 10_240, 65_537}) {
      byte[] data = new byte[size];
      r.nextBytes(data);
      Path f = Files.write(dir.resolve("o" + size), data);
      boolean xattrs = size % 2 == 1;
      if (xattrs) {
        try {
          platform.writeXattr(f, "user.warm.test", new byte[] {1, 2, (byte) size});
        } catch (IOException e) {
          xattrs = false; // a filesystem without user xattrs: the data part still holds
        }
      }
      for (NativeFs fs : new NativeFs[] {new NativeFs.Unsupported(), platform}) {
        String what = fs.getClass().getSimpleName() + " size " + size;
        ByteBuffer b = ByteBuffer.allocateDirect(size + 8);
        b.put(new byte[] {0x55, 0x55}).limit(2 + size);
        NativeFs.Head read;
        Map<String, byte[]> got;
        try (NativeFs.OpenFile o = fs.openFile(f)) {
          got = o.xattrs();
          read = o.read(b);
        }
        assertEquals(keys(fs.readXattrs(f)), keys(got), what);
        if (xattrs && fs == platform) {
          assertArrayEquals(new byte[] {1, 2, (byte) size}, got.get("user.warm.test"), what);
        }
        assertEquals(size, read.length(), what);
        assertEquals(2 + size, b.position(), what);
        assertEquals(fs.stat(f), read.after(), what);
        byte[] back = new byte[size];
        b.position(2);
        b.get(back);
        assertArrayEquals(data, back, what);
      }
    }
    assertThrows(IOException.class, () -> platform.openFile(dir.resolve("missing")));
  }

  private static Map<String, String> keys(Map<String, byte[]> xattrs) {
    Map<String, String> out = new TreeMap<>();
    xattrs.forEach((k, v) -> out.put(k, Arrays.toString(v)));
    return out;
  }

  @Test
  void testReadHead_shorterFileReturnsWhatIsThere() throws IOException {
    Path f = Files.write(dir.resolve("short"), new byte[] {1, 2, 3});
    for (NativeFs fs : new NativeFs[] {new NativeFs.Unsupported(), NativeFs.platform()}) {
      byte[] buf = new byte[100];
      assertEquals(3, fs.readHead(f, buf, 0, 100).length(), fs.getClass().getSimpleName());
      assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(buf, 3));
    }
  }

  @Test
  void testReadHead_missingFileFails() {
    for (NativeFs fs : new NativeFs[] {new NativeFs.Unsupported(), NativeFs.platform()}) {
      IOException e = assertThrows(IOException.class, () -> fs.readHead(dir.resolve("missing"), new byte[8], 0, 8));
      assertEquals(true, e instanceof NoSuchFileException || e.getMessage().contains("missing"), e.toString());
    }
  }
}
