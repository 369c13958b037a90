package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link RawNames#c}: the NUL-terminated bytes of a path, by its ASCII fast path and by the exact one alike. */
class RawNamesCTest {

  @Test
  void c_isTheRawBytesWithOneNul_forAsciiUtf8AndLossyNames() {
    Path[] paths = {
      Path.of("/var/tmp/x/store/.tmp-snap-1/data/data/d0/f99"),
      Path.of("relative/name"),
      Path.of("/"),
      Path.of("/tmp/caf\u00e9/\u65e5\u672c"),
      RawNames.of(new byte[] {'/', 't', '/', (byte) 0xff, (byte) 0xfe, 'x'}), // not UTF-8: lossy as a String
      RawNames.of(new byte[] {'/', 'a', (byte) 0xc3}), // a truncated sequence at the end
    };
    for (Path p : paths) {
      byte[] raw = RawNames.bytes(p);
      byte[] c = RawNames.c(p);
      assertEquals(raw.length + 1, c.length, p.toString());
      assertEquals(0, c[c.length - 1], p + ": NUL-terminated");
      assertArrayEquals(raw, Arrays.copyOf(c, raw.length), p.toString());
    }
    assertArrayEquals("/tmp/caf\u00e9/\u65e5\u672c\0".getBytes(StandardCharsets.UTF_8),
        RawNames.c(Path.of("/tmp/caf\u00e9/\u65e5\u672c")));
    assertArrayEquals(new byte[] {'/', 't', '/', (byte) 0xff, (byte) 0xfe, 'x', 0},
        RawNames.c(RawNames.of(new byte[] {'/', 't', '/', (byte) 0xff, (byte) 0xfe, 'x'})));
  }
}
