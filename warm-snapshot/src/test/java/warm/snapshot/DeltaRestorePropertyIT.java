package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.TreeCopier;

/**
 * Property (issue 17): over random trees and random mutations — same-size rewrites with the mtime put back
 * ({@code touch -r}), truncation, renames, type changes file↔dir↔symlink, new hard links, chmod, chown, xattr edits,
 * deletions, additions in new directories — a delta restore yields the tree a full restore yields (manifest and
 * content hashes: owners, modes, mtimes, xattrs, hard links, link targets), on XFS (reflink) and ext4 (tar). Two
 * rounds per example: the first delta works from the record the snapshot wrote, the second from the one the first
 * restore wrote. Every restore must have been a delta (no fallback hides a wrong delta).
 */
@Tag("reflink")
@Tag("root")
class DeltaRestorePropertyIT {
  private static final NativeFs FS = NativeFs.platform();
  private static final int FIFO = 0010000;

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "ext4"})
  void deltaEqualsFull(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      int[] n = {0};
      qt().withExamples(Integer.getInteger("delta.examples", 40)).withShrinkCycles(0)
          .forAll(longs().all(), integers().between(1, 10), integers().between(1, 10))
          .checkAssert((seed, m1, m2) -> {
            try {
              example(work.resolve("e" + n[0]++), fsName, seed, m1, m2);
            } catch (Exception e) {
              throw new AssertionError("seed " + seed + " mutations " + m1 + "/" + m2 + ": " + e, e);
            }
          });
    } finally {
      TestBed.remove(work);
    }
  }

  private static void example(Path dir, String fsName, long seed, int m1, int m2) throws Exception {
    Random r = new Random(seed);
    Path vol = Files.createDirectories(dir.resolve("vol"));
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    try {
      buildTree(vol, r);
      SnapshotStore store = SnapshotStore.open(dir.resolve("store")).withDeltaLimit(Integer.MAX_VALUE, 1.0);
      SnapshotMeta kg = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
          SnapshotTag.of("seed", null), QuiescenceCheck.assumeQuiet(), Progress.none());
      assertEquals(fsName.equals("xfs") ? Method.REFLINK : Method.TAR, kg.method());
      for (int round : new int[] {m1, m2}) {
        List<String> did = mutate(vol, r, round);
        VerifyReport rep = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), true, Progress.none());
        assertTrue(rep.identical(), "mutations " + did);
        assertEquals(RestoreOutcome.DELTA, rep.restore().kind(), "mutations " + did + ": " + rep.restore());
        assertNull(rep.restore().fullReason());
      }
      // The same known-good restored in full into a fresh directory: the two trees are identical.
      VerifyReport full = SnapshotStore.open(dir.resolve("store")).restore(Map.of("data", scratch),
          QuiescenceCheck.assumeQuiet(), true, Progress.none());
      assertEquals(RestoreOutcome.FULL, full.restore().kind());
      ManifestScanner scanner = new ManifestScanner(FS);
      List<ManifestEntry> a = scanner.scan(vol, true).entries();
      List<ManifestEntry> b = scanner.scan(scratch, true).entries();
      ManifestComparer.Result diff = ManifestComparer.compare("data", b, a);
      assertEquals(0, diff.count(), "delta vs full: " + diff.listed());
      assertEquals(b.size(), a.size());
    } finally {
      TreeCopier.deleteTree(dir);
    }
  }

  static void buildTree(Path root, Random r) throws IOException {
    List<Path> dirs = new ArrayList<>(List.of(root));
    List<Path> files = new ArrayList<>();
    int n = 15 + r.nextInt(30);
    for (int i = 0; i < n; i++) {
      Path parent = dirs.get(r.nextInt(dirs.size()));
      int kind = r.nextInt(10);
      Path p;
      if (kind < 2) {
        p = Files.createDirectory(parent.resolve("d" + i));
        dirs.add(p);
      } else if (kind < 7) {
        p = parent.resolve("f" + i);
        Files.write(p, bytes(r, r.nextInt(8) == 0 ? 70_000 : r.nextInt(3000)));
        files.add(p);
      } else if (kind == 7) {
        p = parent.resolve("l" + i);
        Files.createSymbolicLink(p, Path.of(List.of("f1", "../x", "/etc/passwd", "d0/f3").get(r.nextInt(4))));
      } else if (kind == 8 && !files.isEmpty()) {
        p = Files.createLink(parent.resolve("h" + i), files.get(r.nextInt(files.size())));
      } else {
        p = parent.resolve("p" + i);
        FS.mknod(p, FIFO | 0644, 0);
      }
      decorate(p, r);
    }
    decorate(root, r);
  }

  /** Random owner, mode and xattr, like a volume's contents have. */
  private static void decorate(Path p, Random r) throws IOException {
    boolean link = Files.isSymbolicLink(p);
    if (r.nextInt(3) == 0) {
      FS.setOwner(p, List.of(0, 1000, 100000).get(r.nextInt(3)), List.of(0, 1000, 100000).get(r.nextInt(3)));
    }
    if (!link && r.nextInt(3) == 0) {
      FS.setMode(p, Files.isDirectory(p) ? 0750 : List.of(0600, 0644, 04755, 0640).get(r.nextInt(4)));
    }
    // user.* xattrs exist on regular files and directories only (xattr(7))
    if ((Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
        && r.nextInt(4) == 0) {
      FS.writeXattr(p, "user.k", bytes(r, 1 + r.nextInt(20)));
    }
  }

  /** Applies {@code count} random mutations; returns what was done (for the failure message). */
  static List<String> mutate(Path root, Random r, int count) throws IOException {
    List<String> did = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Path> all = entries(root);
      Path p = all.get(r.nextInt(all.size()));
      boolean isRoot = p.equals(root);
      boolean file = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
      boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      boolean link = Files.isSymbolicLink(p);
      int kind = r.nextInt(13);
      String what = kind + " " + root.relativize(p);
      switch (kind) {
        case 0 -> { // content rewrite, same size, mtime put back (touch -r): only ctime tells
          if (file && Files.size(p) > 0) {
            long mtime = FS.stat(p).mtimeNanos();
            byte[] b = Files.readAllBytes(p);
            for (int j = 0; j < b.length; j++) {
              b[j] = (byte) ~b[j];
            }
            Files.write(p, b);
            FS.setMtime(p, mtime);
            did.add("rewrite-touch-r " + what);
          }
        }
        case 1 -> {
          if (file) {
            try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
              ch.truncate(ch.size() / 2);
            }
            did.add("truncate " + what);
          }
        }
        case 2 -> {
          if (!isRoot) {
            Path to = all.stream().filter(q -> Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS) && !q.startsWith(p))
                .findAny().orElse(root).resolve("renamed" + r.nextInt(1000));
            if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
              Files.move(p, to);
              did.add("rename " + what + " -> " + root.relativize(to));
            }
          }
        }
        case 3 -> { // file -> dir
          if (file) {
            Files.delete(p);
            Files.createDirectory(p);
            Files.writeString(p.resolve("inner"), "was a file");
            did.add("file-to-dir " + what);
          }
        }
        case 4 -> { // dir or symlink -> file
          if ((dir || link) && !isRoot) {
            TreeCopier.deleteTree(p);
            Files.writeString(p, "was a " + (dir ? "dir" : "link"));
            did.add("to-file " + what);
          }
        }
        case 5 -> { // anything -> symlink
          if (!isRoot) {
            TreeCopier.deleteTree(p);
            Files.createSymbolicLink(p, Path.of("elsewhere-" + r.nextInt(9)));
            did.add("to-symlink " + what);
          }
        }
        case 6 -> {
          if (file) {
            Files.createLink(p.resolveSibling("newlink" + r.nextInt(1000)), p);
            did.add("hard-link " + what);
          }
        }
        case 7 -> {
          if (!link) {
            FS.setMode(p, FS.stat(p).mode() & 07777 ^ 0104);
            did.add("chmod " + what);
          }
        }
        case 8 -> {
          FS.setOwner(p, FS.stat(p).uid() + 1, FS.stat(p).gid());
          did.add("chown " + what);
        }
        case 9 -> {
          if (file || dir) {
            if (FS.readXattrs(p).containsKey("user.k") && r.nextBoolean()) {
              FS.removeXattr(p, "user.k");
              did.add("xattr-remove " + what);
            } else {
              FS.writeXattr(p, "user.k" + r.nextInt(2), bytes(r, 5));
              did.add("xattr-set " + what);
            }
          }
        }
        case 10 -> {
          if (!isRoot) {
            TreeCopier.deleteTree(p);
            did.add("delete " + what);
          }
        }
        case 11 -> {
          Path base = dir ? p : root;
          Path nd = base.resolve("new" + r.nextInt(1000)).resolve("deeper");
          Files.createDirectories(nd);
          Files.write(nd.resolve("added"), bytes(r, 100));
          did.add("add-in-new-dir " + root.relativize(nd));
        }
        default -> {
          if (file) {
            Files.write(p, bytes(r, 10), java.nio.file.StandardOpenOption.APPEND);
            did.add("append " + what);
          }
        }
      }
    }
    return did;
  }

  private static List<Path> entries(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
