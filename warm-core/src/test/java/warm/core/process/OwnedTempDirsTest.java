package warm.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed run's scratch directory goes with the next one of its prefix; a running one's never, whoever runs it. */
class OwnedTempDirsTest {
  @TempDir
  Path tmp;

  private Path dir(String name, Instant written) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(name));
    Files.writeString(d.resolve("cold-web.json"), "{}");
    Files.setLastModifiedTime(d, FileTime.from(written));
    return d;
  }

  @Test
  void deadOwnersAndOldUnnamed_removed_liveOwnersYoungUnnamedAndOthers_kept() throws Exception {
    Instant now = Instant.now();
    Process exited = new ProcessBuilder("true").start();
    assertTrue(exited.waitFor(30, TimeUnit.SECONDS));
    Process running = new ProcessBuilder("sleep", "120").start();
    try {
      long me = ProcessHandle.current().pid();
      Instant myStart = ProcessHandle.current().info().startInstant().orElseThrow();
      dir("warm-nightly-" + exited.pid() + "-11", now);                          // its night was killed
      dir("warm-nightly-" + running.pid() + "-22", now);                         // another night, running
      dir("warm-nightly-" + me + "-33", now);                                    // this night
      dir("warm-nightly-" + me + "-44", myStart.minus(Duration.ofHours(1)));     // the pid, reused by this JVM
      dir("warm-nightly-5550001", now.minus(Duration.ofDays(8)));                // an older version's, long dead
      dir("warm-nightly-5550002", now.minus(Duration.ofDays(6)));                // an older version's, maybe running
      Files.writeString(tmp.resolve("warm-nightly-1-1"), "a file, not ours to judge");
      dir("warm-deploy-" + exited.pid() + "-77", now);                           // another prefix: not this maker's
      Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
      Files.writeString(elsewhere.resolve("keep"), "x");
      Files.createSymbolicLink(tmp.resolve("warm-nightly-" + exited.pid() + "-66"), elsewhere);

      List<Path> removed = new OwnedTempDirs(tmp, "warm-nightly-", Clock.systemUTC()).removeDead();

      assertEquals(Set.of("warm-nightly-" + exited.pid() + "-11", "warm-nightly-" + me + "-44",
          "warm-nightly-5550001"), removed.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
      assertEquals(new TreeSet<>(Set.of("elsewhere", "warm-nightly-" + running.pid() + "-22",
          "warm-nightly-" + me + "-33", "warm-nightly-5550002", "warm-nightly-1-1",
          "warm-nightly-" + exited.pid() + "-66", "warm-deploy-" + exited.pid() + "-77")), names());
      assertTrue(Files.exists(elsewhere.resolve("keep")), "a link is never followed");
      assertTrue(Files.isSymbolicLink(tmp.resolve("warm-nightly-" + exited.pid() + "-66")));
    } finally {
      running.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void create_namesTheDirectoryForThisProcess_andItIsKeptWhileItRuns() throws Exception {
    OwnedTempDirs dirs = new OwnedTempDirs(tmp, "warm-nightly-", Clock.systemUTC());
    Path d = dirs.create();
    assertTrue(d.getFileName().toString().startsWith("warm-nightly-" + ProcessHandle.current().pid() + "-"),
        d.toString());
    assertTrue(Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS));
    assertEquals(List.of(), dirs.removeDead());
    assertTrue(Files.isDirectory(d));
  }

  private Set<String> names() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void pidOf_readsOnlyItsOwnNames() {
    OwnedTempDirs dirs = new OwnedTempDirs(tmp, "warm-deploy-", Clock.systemUTC());
    assertEquals(4242, dirs.pidOf("warm-deploy-4242-123456"));
    assertEquals(0, dirs.pidOf("warm-deploy-1234567890123"), "an older version's name: no pid");
    for (String other : List.of("warm-deploy-", "warm-deploy-x", "warm-deploy-12-", "warm-deploy-12-3a",
        "warm-deploy--12", "warm-deploy-0-1", "warm-deploy-12345678901-1", "warm-deploy-1-2-3")) {
      assertEquals(-1, dirs.pidOf(other), other);
    }
  }
}
