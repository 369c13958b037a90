package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.Stat;
import warm.snapshot.internal.TreeCopier;

/**
 * The reflink copy's directory descriptors (issue 15, rows 1–2, fifteenth round: each regular file opened and created
 * by its name relative to its directories, not by its path): a copy of more directories than it holds open at once is
 * exact, and every descriptor it opened is closed when it returns — after a copy that succeeded, one whose copy threads
 * failed (a name taken in the target) and one whose walk failed (a directory taken in the target).
 */
@Tag("reflink")
@Tag("root")
class DirectoryDescriptorsIT {

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void everyDirectoryDescriptorIsClosedAndTheCopyIsExact(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path src = Files.createDirectory(work.resolve("src"));
      for (int i = 0; i < 300; i++) { // more directories than the copy holds open at once (TreeCopier.MAX_OPEN_DIRS)
        Path d = Files.createDirectory(src.resolve("d" + i));
        for (int j = 0; j < 3; j++) {
          Files.writeString(d.resolve("f" + j), "file " + i + "/" + j);
        }
        if (i % 50 == 0) {
          Files.createSymbolicLink(d.resolve("up"), Path.of(".."));
          Files.createLink(d.resolve("again"), d.resolve("f0"));
          Files.setAttribute(d.resolve("f1"), "unix:mode", 04751);
        }
      }
      for (int j = 0; j < 70; j++) { // more than one batch in the root, so its files are copied on the pool
        Files.writeString(src.resolve("r" + j), "root " + j);
      }
      NativeFs fs = NativeFs.platform();
      TreeCopier copier = new TreeCopier(fs, Progress.none(), "copy");

      Path dst = work.resolve("dst");
      copier.copy(src, dst, false, TreeCopier.Mode.CLONE_STRICT);
      assertEquals(Set.of(), openDescriptors(work), "descriptors left open by a copy");
      assertSameTree(fs, src, dst);

      Path taken = Files.createDirectory(work.resolve("taken-name"));
      Files.writeString(taken.resolve("r33"), "in the way");
      assertThrows(IOException.class, () -> copier.copy(src, taken, true, TreeCopier.Mode.CLONE_STRICT));
      assertEquals(Set.of(), openDescriptors(work), "descriptors left open by a copy whose clone failed");
      assertEquals("in the way", Files.readString(taken.resolve("r33")));

      Path takenDir = Files.createDirectory(work.resolve("taken-dir"));
      Files.createDirectory(takenDir.resolve("d200"));
      assertThrows(IOException.class, () -> copier.copy(src, takenDir, true, TreeCopier.Mode.CLONE_STRICT));
      assertEquals(Set.of(), openDescriptors(work), "descriptors left open by a copy whose walk failed");
    } finally {
      TestBed.remove(work);
    }
  }

  /**
   * A source directory renamed while the walk lists it: its files are still cloned through the descriptor the walk
   * opened (the directory, not its path), and the copy then fails where it reads the directory's own metadata by its
   * path, which is gone — as by path it failed on the first file — leaving no descriptor open.
   */
  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void aDirectoryRenamedDuringTheWalkFailsTheCopy(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path src = Files.createDirectory(work.resolve("src"));
      for (int i = 0; i < 4; i++) {
        Path d = Files.createDirectory(src.resolve("d" + i));
        for (int j = 0; j < 100; j++) {
          Files.writeString(d.resolve("f" + j), "file " + i + "/" + j);
        }
      }
      RenamingFs fs = new RenamingFs(NativeFs.platform(), src);
      IOException e = assertThrows(IOException.class, () -> new TreeCopier(fs, Progress.none(), "copy")
          .copy(src, work.resolve("dst"), false, TreeCopier.Mode.CLONE_STRICT));
      assertTrue(fs.renamed != null, "the walk listed a directory through its descriptor");
      assertTrue(fs.clonedAt > 0, "files cloned relative to the descriptors");
      assertTrue(e.getMessage().contains(fs.renamed.getFileName().toString()), e.getMessage());
      assertEquals(Set.of(), openDescriptors(work), "descriptors left open by the failed copy");
    } finally {
      TestBed.remove(work);
    }
  }

  /**
   * The platform's descriptor calls, forwarded (ForwardingFs leaves them to the composed defaults, which go by path);
   * at the walk's first entry below the root, it renames that entry's directory away.
   */
  private static final class RenamingFs extends ForwardingFs {
    private final Path root;
    volatile Path renamed;
    volatile int clonedAt;

    RenamingFs(NativeFs real, Path root) {
      super(real);
      this.root = root;
    }

    @Override
    public int openDirectory(Path dir, Stat expected) {
      return real.openDirectory(dir, expected);
    }

    @Override
    public void closeDirectory(int fd) {
      real.closeDirectory(fd);
    }

    @Override
    public Stat statAt(int dir, byte[] name, Path path) throws IOException {
      Stat st = real.statAt(dir, name, path);
      Path parent = path.getParent();
      if (renamed == null && !parent.equals(root)) {
        renamed = parent;
        Files.move(parent, root.resolveSibling("moved-away"));
      }
      return st;
    }

    @Override
    public ClonedOwn cloneWithOwnXattrs(Path src, Path dst, At at, int uid, int gid, int perms, long mtimeNanos,
        boolean statAfter) throws IOException {
      if (at != null) {
        clonedAt++;
      }
      return real.cloneWithOwnXattrs(src, dst, at, uid, gid, perms, mtimeNanos, statAfter);
    }
  }

  /**
   * This process's open descriptors on anything below {@code work}, and what each names: every descriptor a copy there
   * opens (the JVM's own, which come and go on other threads, are not the copy's to close).
   */
  private static Set<String> openDescriptors(Path work) throws IOException {
    Set<String> out = new TreeSet<>();
    String under = work.toRealPath().toString();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(under)) {
            out.add(fd.getFileName() + " -> " + target);
          }
        } catch (IOException gone) {
          // vanished between the listing and the read
        }
      }
    }
    return out;
  }

  /** Same names, types, contents, link targets, owners, modes and mtimes (directories' too). */
  private static void assertSameTree(NativeFs fs, Path a, Path b) throws IOException {
    List<Path> names;
    try (Stream<Path> s = Files.walk(a)) {
      names = s.map(a::relativize).sorted().toList();
    }
    try (Stream<Path> s = Files.walk(b)) {
      assertEquals(names, s.map(b::relativize).sorted().toList());
    }
    assertTrue(names.size() > 1200, "tree of " + names.size());
    for (Path rel : names) {
      Path x = a.resolve(rel);
      Path y = b.resolve(rel);
      Stat sx = fs.stat(x);
      Stat sy = fs.stat(y);
      String what = rel.toString();
      assertEquals(sx.mode(), sy.mode(), what);
      assertEquals(sx.uid(), sy.uid(), what);
      assertEquals(sx.gid(), sy.gid(), what);
      assertEquals(sx.mtimeNanos(), sy.mtimeNanos(), what);
      assertEquals(sx.nlink(), sy.nlink(), what);
      if (Files.isSymbolicLink(x)) {
        assertEquals(Files.readSymbolicLink(x), Files.readSymbolicLink(y), what);
      } else if (Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)) {
        assertArrayEquals(Files.readAllBytes(x), Files.readAllBytes(y), what);
      }
    }
  }
}
