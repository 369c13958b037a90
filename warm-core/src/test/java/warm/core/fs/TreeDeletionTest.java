package warm.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.testing.Prereq;

/** Each mode on a real tree: links never followed, vanished files no failure, a failure named with its reason. */
class TreeDeletionTest {
  @TempDir
  Path tmp;

  private final List<Path> immutable = new ArrayList<>();

  @AfterEach
  void release() throws Exception {
    for (Path p : immutable) {
      chattr("-i", p); // or @TempDir cannot clean up either
    }
  }

  /** root/{a/{b/f, deep/g}, top, out -> outside dir, outfile -> outside file, dangling -> nowhere}. */
  private Path tree() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("a/b"));
    Files.createDirectories(root.resolve("a/deep"));
    Files.writeString(root.resolve("a/b/f"), "f");
    Files.writeString(root.resolve("a/deep/g"), "g");
    Files.writeString(root.resolve("top"), "t");
    Files.createSymbolicLink(root.resolve("out"), outside());
    Files.createSymbolicLink(root.resolve("outfile"), outside().resolve("keep"));
    Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nowhere"));
    return root;
  }

  private Path outside() throws IOException {
    Path o = tmp.resolve("outside");
    if (!Files.isDirectory(o)) {
      Files.createDirectories(o.resolve("sub"));
      Files.writeString(o.resolve("keep"), "k");
      Files.writeString(o.resolve("sub/keep2"), "k2");
    }
    return o;
  }

  private void assertOutsideIntact() {
    assertTrue(Files.isRegularFile(tmp.resolve("outside/keep")));
    assertTrue(Files.isRegularFile(tmp.resolve("outside/sub/keep2")));
  }

  private static boolean gone(Path p) {
    return !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean root() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  private static boolean chattr(String flag, Path p) throws Exception {
    try {
      Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
      return c.waitFor(30, TimeUnit.SECONDS) && c.exitValue() == 0;
    } catch (IOException noChattr) {
      return false;
    }
  }

  /**
   * A file under {@code root/a/b} that cannot be removed: immutable for root (whom permissions do not stop), in a
   * directory without write permission for anyone else.
   */
  private Path undeletable(Path root) throws Exception {
    Path f = root.resolve("a/b/f");
    if (root()) {
      Prereq.require(chattr("+i", f), "chattr +i on " + f + " (e2fsprogs; a filesystem with the immutable flag)");
      immutable.add(f);
    } else {
      Files.setPosixFilePermissions(f.getParent(), PosixFilePermissions.fromString("r-x------"));
    }
    return f;
  }

  @Test
  void bothModes_removeTheTree_linksAsLinks_neverTheirTargets() throws Exception {
    Path root = tree();
    TreeDeletion.deleteOrThrow(root);
    assertTrue(gone(root));
    assertOutsideIntact();

    root = tree();
    assertEquals(List.of(), TreeDeletion.deleteAll(root));
    assertTrue(gone(root));
    assertOutsideIntact();
  }

  @Test
  void rootThatIsALink_onlyTheLinkGoes() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("link"), outside());
    TreeDeletion.deleteOrThrow(link);
    assertTrue(gone(link));
    Path link2 = Files.createSymbolicLink(tmp.resolve("link2"), outside());
    assertEquals(List.of(), TreeDeletion.deleteAll(link2));
    assertTrue(gone(link2));
    assertOutsideIntact();
  }

  @Test
  void missingRoot_nothingToDo() throws Exception {
    TreeDeletion.deleteOrThrow(tmp.resolve("absent"));
    assertEquals(List.of(), TreeDeletion.deleteAll(tmp.resolve("absent")));
    Files.writeString(tmp.resolve("plain"), "x"); // a root that is a file: the file goes
    TreeDeletion.deleteOrThrow(tmp.resolve("plain"));
    assertTrue(gone(tmp.resolve("plain")));
  }

  @Test
  void deleteAll_removesWhatItCan_andNamesEveryFailureWithTheSystemsReason() throws Exception {
    Path root = tree();
    Path stuck = undeletable(root);

    List<TreeDeletion.Failure> failures = TreeDeletion.deleteAll(root);

    assertEquals(1, failures.size(), failures.toString()); // not also "directory not empty" for a/b, a and root
    assertEquals(stuck, failures.get(0).path());
    String said = failures.get(0).describe();
    assertTrue(said.startsWith(stuck + ": "), said);
    assertTrue(said.endsWith("Operation not permitted") || said.endsWith("Permission denied"), said);
    assertTrue(gone(root.resolve("a/deep")));
    assertTrue(gone(root.resolve("top")));
    assertTrue(gone(root.resolve("out")));
    assertTrue(Files.exists(stuck));
    assertOutsideIntact();
  }

  @Test
  void deleteOrThrow_stopsAtTheFirstFailure_namingItsPath() throws Exception {
    Path root = tree();
    Path stuck = undeletable(root);

    TreeDeletion.TreeDeletionException e = assertThrows(TreeDeletion.TreeDeletionException.class,
        () -> TreeDeletion.deleteOrThrow(root));

    assertEquals(stuck, e.path());
    assertTrue(e.getMessage().startsWith("cannot remove " + stuck + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    assertTrue(Files.exists(stuck));
    assertOutsideIntact();
  }

  @Test
  void deleteOrFail_isAnInfraFailureNamingTheTreeAndThePathThatStayed() throws Exception {
    Path root = tree();
    Path stuck = undeletable(root);

    WarmException e = assertThrows(WarmException.class, () -> TreeDeletion.deleteOrFail(root));

    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().startsWith("cannot remove " + root + ": " + stuck + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("cannot remove " + stuck), "the path is named once: " + e.getMessage());
    assertTrue(Files.exists(stuck));
    assertOutsideIntact();
    TreeDeletion.deleteOrFail(root.resolve("absent")); // a missing tree is nothing to do
  }

  @Test
  void unreadableSubdirectory_rootRemovesIt_anyoneElseIsToldWhich() throws Exception {
    Path root = tree();
    Path locked = root.resolve("a/deep");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      List<TreeDeletion.Failure> failures = TreeDeletion.deleteAll(root);
      if (root()) {
        // Permissions do not stop root: the tree goes whole, as the nightly (run as root) needs.
        assertEquals(List.of(), failures);
        assertTrue(gone(root));
      } else {
        assertEquals(1, failures.size(), failures.toString());
        assertEquals(locked, failures.get(0).path());
        assertTrue(failures.get(0).describe().endsWith("Permission denied"), failures.get(0).describe());
        assertTrue(gone(root.resolve("a/b")));
        assertTrue(gone(root.resolve("top")));
      }
    } finally {
      if (Files.exists(locked)) {
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
      }
    }
    assertOutsideIntact();
  }

  @Test
  void entriesThatVanishMeanwhile_areNoFailure_inEitherMode() throws Exception {
    for (boolean stopAtFirst : new boolean[] {true, false}) {
      Path root = Files.createDirectories(tmp.resolve("race-" + stopAtFirst));
      for (int i = 0; i < 20; i++) {
        Files.writeString(root.resolve("f" + i), "x");
        Files.createDirectories(root.resolve("d" + i + "/sub"));
        Files.writeString(root.resolve("d" + i + "/sub/g"), "y");
      }
      // The first removal finds its siblings listed already (one getdents reads a small directory whole), then
      // another remover takes all of them: every later visit meets a path that is no longer there.
      boolean[] raced = {false};
      TreeDeletion racing = new TreeDeletion(p -> {
        if (!raced[0]) {
          raced[0] = true;
          try (Stream<Path> s = Files.list(root)) {
            for (Path sibling : s.filter(x -> !x.equals(p) && !x.startsWith(p)).toList()) {
              new ProcessBuilder("rm", "-rf", sibling.toString()).start().waitFor(30, TimeUnit.SECONDS);
            }
          } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
          }
        }
      });

      assertEquals(List.of(), racing.delete(root, stopAtFirst));
      assertTrue(raced[0]);
      assertTrue(gone(root));
    }
  }
}
