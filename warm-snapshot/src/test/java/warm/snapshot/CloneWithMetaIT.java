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

  /**
   * The native call sets owner and mode only where the created inode lacks them (as cp does): each case below needs
   * a different subset — none (the process's own ids, a mode the umask keeps), the mode only (group write, which the
   * umask strips; setuid and setgid), the owner only, both, and an owner that a setgid directory's group changed.
   */
  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void cloneWithMeta_setsOnlyWhatTheCreateDidNotGiveAndEndsExact(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path src = Files.writeString(work.resolve("src"), "data");
      Path setgidDir = Files.createDirectory(work.resolve("g"));
      Files.setAttribute(setgidDir, "unix:gid", 4321);
      Files.setAttribute(setgidDir, "unix:mode", 02775);
      NativeFs fs = NativeFs.platform();
      int[][] cases = {{0, 0, 0644}, {0, 0, 0664}, {0, 0, 06755}, {0, 0, 01700}, {1234, 5678, 0644},
          {1234, 5678, 04755}, {0, 4321, 02750}};
      int n = 0;
      for (int[] c : cases) {
        for (Path dir : new Path[] {work, setgidDir}) {
          String what = fsName + " " + dir.getFileName() + " " + c[0] + ":" + c[1] + " " + Integer.toOctalString(c[2]);
          Path dst = dir.resolve("dst" + n++);
          fs.cloneWithMeta(src, dst, c[0], c[1], c[2], Map.of(), 5_000_000_007L, true);
          Stat d = fs.stat(dst);
          assertEquals(c[0], d.uid(), what);
          assertEquals(c[1], d.gid(), what);
          assertEquals(c[2], d.mode() & 07777, what + ": mode " + Integer.toOctalString(d.mode()));
          Path described = dir.resolve("dst" + n++);
          NativeFs.Created made = fs.cloneWithMetaDescribed(src, described, c[0], c[1], c[2], Map.of(), 5_000_000_007L);
          assertEquals(fs.stat(described), made.stat(), what + ": the description is the copy's stat");
          assertEquals(c[0], made.stat().uid(), what);
          assertEquals(c[1], made.stat().gid(), what);
          assertEquals(c[2], made.stat().mode() & 07777, what);
          assertEquals(5_000_000_007L, made.stat().mtimeNanos(), what);
        }
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
  /**
   * The clone calls that read the source's own xattrs (a snapshot's {@code cloneWithOwnXattrs}, a restore's
   * {@code cloneWithMetaDescribed} with none given): native on the source's descriptor and composed by path, the
   * same xattrs set on the copy and reported, for a source with several (one of them empty-valued) and one with none.
   */
  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void cloneWithOwnXattrs_carriesAndReportsTheSourcesXattrs(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      NativeFs platform = NativeFs.platform();
      Path with = Files.writeString(work.resolve("with"), "with xattrs");
      platform.writeXattr(with, "user.a", new byte[] {7, 0, 9});
      platform.writeXattr(with, "user.empty", new byte[0]);
      Path without = Files.writeString(work.resolve("without"), "none");
      int n = 0;
      for (NativeFs fs : new NativeFs[] {platform, new Composed(platform)}) {
        String which = fs.getClass().getSimpleName();
        for (Path src : new Path[] {with, without}) {
          Map<String, byte[]> expected = platform.readXattrs(src);
          Path dst = work.resolve("own" + n++);
          NativeFs.ClonedOwn own = fs.cloneWithOwnXattrs(src, dst, 0, 0, 0640, 5_000_000_003L, true);
          assertXattrs(expected, own.xattrs(), which + " " + src + ": reported");
          assertXattrs(expected, platform.readXattrs(dst), which + " " + src + ": set on the copy");
          assertEquals(platform.stat(src), own.cloned().sourceAfter(), which);
          assertEquals(Files.size(src), own.cloned().copiedSize(), which);
          assertEquals(5_000_000_003L, platform.stat(dst).mtimeNanos(), which);
          NativeFs.ClonedOwn quiet = fs.cloneWithOwnXattrs(src, work.resolve("own" + n++), 0, 0, 0640, 3L, false);
          assertEquals(NativeFs.Cloned.UNSTATED, quiet.cloned(), which);
          assertXattrs(expected, quiet.xattrs(), which);
          Path described = work.resolve("own" + n++);
          NativeFs.Created made = fs.cloneWithMetaDescribed(src, described, 0, 0, 0640, null, 3L);
          assertXattrs(expected, platform.readXattrs(described), which + " " + src + ": described copy");
          assertXattrs(expected, made.xattrs(), which + " " + src + ": described");
        }
      }
      assertEquals(2, platform.readXattrs(with).size(), "the test's source has its two xattrs");
    } finally {
      TestBed.remove(work);
    }
  }

  private static void assertXattrs(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), actual.get(e.getKey()), what + " " + e.getKey());
    }
  }

  private static final class Composed extends ForwardingFs {
    Composed(NativeFs real) {
      super(real);
    }
  }
}
