package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The clone calls relative to directory descriptors ({@link NativeFs.At}, fifteenth round): the same copy and the
   * same answer as by path; a directory is never opened through a symlink nor when it is not the inode the caller
   * looked at; the name's own component is treated as by path (a symlink is stat-ed, not followed; an existing name,
   * even a dangling symlink, is never written through); and a descriptor holds its directory, not its path. The
   * composed default (test doubles) opens no descriptor, so they keep seeing the single calls by path.
   */
  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void cloneAt_directoryDescriptors_sameCopyAsByPathAndNoSymlinkFollowed(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    NativeFs fs = NativeFs.platform();
    List<Integer> open = new ArrayList<>();
    try {
      Path srcDir = Files.createDirectory(work.resolve("s"));
      Path f = Files.writeString(srcDir.resolve("f"), "the first f");
      fs.writeXattr(f, "user.a", new byte[] {4, 5});
      Path link = Files.createSymbolicLink(srcDir.resolve("l"), Path.of("f"));
      Path t1 = Files.createDirectory(work.resolve("t1"));
      Path t2 = Files.createDirectory(work.resolve("t2"));
      Path t3 = Files.createDirectory(work.resolve("t3"));
      Path viaLink = Files.createSymbolicLink(work.resolve("sl"), srcDir.getFileName());

      assertEquals(-1, fs.openDirectory(viaLink, null), "a symlink to a directory is not opened");
      assertEquals(-1, fs.openDirectory(viaLink, fs.stat(srcDir)), "not even when it leads to the expected one");
      assertEquals(-1, fs.openDirectory(t1, fs.stat(srcDir)), "another directory than the one looked at");
      assertEquals(-1, fs.openDirectory(f, null), "a regular file");
      assertEquals(-1, new Composed(fs).openDirectory(srcDir, null), "the composed default has none");
      int s = fs.openDirectory(srcDir, fs.stat(srcDir));
      open.add(s);
      int d1 = fs.openDirectory(t1, null);
      open.add(d1);
      int d2 = fs.openDirectory(t2, fs.stat(t2));
      open.add(d2);
      int d3 = fs.openDirectory(t3, null);
      open.add(d3);
      assertTrue(s >= 0 && d1 >= 0 && d2 >= 0 && d3 >= 0, "descriptors " + open);

      assertEquals(fs.stat(f), fs.statAt(s, cName("f"), f));
      Stat l = fs.statAt(s, cName("l"), link);
      assertEquals(fs.stat(link), l);
      assertEquals(0120000, l.mode() & 0170000, "the symlink itself, not followed");
      assertThrows(NoSuchFileException.class, () -> fs.statAt(s, cName("gone"), srcDir.resolve("gone")));

      NativeFs.ClonedOwn own = fs.cloneWithOwnXattrs(f, t1.resolve("f"), new NativeFs.At(s, d1, cName("f")), 1234,
          5678, 04750, 5_000_000_003L, true);
      Stat c = fs.stat(t1.resolve("f"));
      assertEquals("the first f", Files.readString(t1.resolve("f")));
      assertEquals(1234, c.uid());
      assertEquals(5678, c.gid());
      assertEquals(04750, c.mode() & 07777);
      assertEquals(5_000_000_003L, c.mtimeNanos());
      assertXattrs(fs.readXattrs(f), fs.readXattrs(t1.resolve("f")), "set on the copy");
      assertXattrs(fs.readXattrs(f), own.xattrs(), "reported");
      assertEquals(fs.stat(f), own.cloned().sourceAfter());
      assertEquals(Files.size(f), own.cloned().copiedSize());

      NativeFs.Created made = fs.cloneWithMetaDescribed(f, t2.resolve("f"), new NativeFs.At(s, d2, cName("f")), 0, 0,
          0600, null, 7L);
      assertEquals(fs.stat(t2.resolve("f")), made.stat(), "the description is the copy's stat");
      assertXattrs(fs.readXattrs(f), made.xattrs(), "described");
      assertEquals("the first f", Files.readString(t2.resolve("f")));

      // An existing target name, here a dangling symlink, is neither replaced nor written through.
      Path outside = work.resolve("outside");
      Files.createSymbolicLink(t3.resolve("f"), outside);
      assertThrows(IOException.class, () -> fs.cloneWithOwnXattrs(f, t3.resolve("f"),
          new NativeFs.At(s, d3, cName("f")), 0, 0, 0644, 1L, true));
      assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS), "nothing created through the symlink");
      assertTrue(Files.isSymbolicLink(t3.resolve("f")));

      // The descriptor holds the directory it opened: moved away and replaced at its path, the clone still reads it.
      Files.move(srcDir, work.resolve("s-moved"));
      Files.createDirectory(srcDir);
      Files.writeString(srcDir.resolve("f"), "an impostor");
      Files.delete(t1.resolve("f"));
      fs.cloneWithOwnXattrs(srcDir.resolve("f"), t1.resolve("f"), new NativeFs.At(s, d1, cName("f")), 0, 0, 0644, 1L,
          false);
      assertEquals("the first f", Files.readString(t1.resolve("f")));
    } finally {
      for (int fd : open) {
        if (fd >= 0) {
          fs.closeDirectory(fd);
        }
      }
      TestBed.remove(work);
    }
  }

  /** One name component, NUL-terminated, as {@link NativeFs.At} takes it. */
  private static byte[] cName(String name) {
    return (name + "\0").getBytes(StandardCharsets.UTF_8);
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
