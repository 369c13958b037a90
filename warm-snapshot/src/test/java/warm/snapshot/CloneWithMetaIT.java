package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.Stat;

/**
 * {@link NativeFs#cloneWithMeta}: the reflink copy's one call per regular file (clone, owner, mode, xattrs, mtime,
 * then the source and the copy as they are after the clone), native on the two open descriptors and composed from
 * the single calls, on XFS and btrfs: both give the same copy and the same answer.
 */
@Tag("reflink")
@Tag("root")
class CloneWithMetaIT {

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void cloneWithMeta_setsEverythingAndReportsTheSourceAsCloned(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      byte[] data = new byte[70_001];
      new Random(15).nextBytes(data);
      Path src = Files.write(work.resolve("src"), data);
      NativeFs platform = NativeFs.platform();
      int n = 0;
      for (NativeFs fs : new NativeFs[] {platform, new Composed(platform)}) {
        Path dst = work.resolve("dst" + n++);
        // setuid + an odd owner: chown after chmod would clear the bit, so the order is under test too
        NativeFs.Cloned c = fs.cloneWithMeta(src, dst, 1234, 5678, 04751,
            Map.of("user.warm", new byte[] {1, 2, 3}), 1_000_000_000_123_456_789L, true);
        String which = fs.getClass().getSimpleName();
        assertArrayEquals(data, Files.readAllBytes(dst), which);
        Stat d = platform.stat(dst);
        assertEquals(1234, d.uid(), which);
        assertEquals(5678, d.gid(), which);
        assertEquals(04751, d.mode() & 07777, which + ": mode " + Integer.toOctalString(d.mode()));
        assertEquals(1_000_000_000_123_456_789L, d.mtimeNanos(), which);
        assertArrayEquals(new byte[] {1, 2, 3}, platform.readXattrs(dst).get("user.warm"), which);
        assertEquals(data.length, c.copiedSize(), which);
        Stat s = platform.stat(src);
        assertEquals(s, c.sourceAfter(), which + ": the source as lstat sees it");
        // A restore does not ask for the stats: the same copy, and nothing looked at after it.
        Path quiet = work.resolve("quiet" + n);
        NativeFs.Cloned q = fs.cloneWithMeta(src, quiet, 1234, 5678, 04751, Map.of(), 7L, false);
        assertArrayEquals(data, Files.readAllBytes(quiet), which);
        assertEquals(04751, platform.stat(quiet).mode() & 07777, which);
        assertEquals(7L, platform.stat(quiet).mtimeNanos(), which);
        assertEquals(NativeFs.Cloned.UNSTATED, q, which + ": no stat asked for, none made");
      }
    } finally {
      TestBed.remove(work);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void cloneWithMeta_existingTargetOrMissingSourceFailsAndChangesNothing(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path src = Files.writeString(work.resolve("src"), "source");
      Path taken = Files.writeString(work.resolve("taken"), "keep me");
      NativeFs fs = NativeFs.platform();
      IOException e = assertThrows(IOException.class,
          () -> fs.cloneWithMeta(src, taken, 0, 0, 0644, Map.of(), 0, true));
      assertTrue(e.getMessage().contains("taken"), e.getMessage());
      assertEquals("keep me", Files.readString(taken));
      Path dst = work.resolve("dst");
      e = assertThrows(IOException.class, () -> fs.cloneWithMeta(work.resolve("gone"), dst, 0, 0, 0644, Map.of(), 0, true));
      assertTrue(e.getMessage().contains("gone"), e.getMessage());
      assertFalse(Files.exists(dst, LinkOption.NOFOLLOW_LINKS), "nothing created for a missing source");
    } finally {
      TestBed.remove(work);
    }
  }

  /** The interface's composition of single calls over the real filesystem (the reference the native call matches). */
  private static final class Composed extends ForwardingFs {
    Composed(NativeFs real) {
      super(real);
    }
  }
}
