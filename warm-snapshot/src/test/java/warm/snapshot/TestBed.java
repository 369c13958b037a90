package warm.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import warm.core.testing.Prereq;
import warm.snapshot.internal.TreeCopier;

/** Real parts of the test bed: skip with a reason on a developer box, fail under CI=true. */
final class TestBed {
  static final Path ROOT = Path.of(System.getenv().getOrDefault("WARM_TESTBED_DIR", "/var/tmp/cc-ci-warm-testbed"));

  private TestBed() {}

  static void require(boolean present, String reason) {
    Prereq.require(present, reason + " (run scripts/testbed.sh)");
  }

  /** A fresh work directory on the named loop mount ("xfs", "btrfs", "tiny") or on the root fs ("ext4"). */
  static Path workDir(String fs) throws IOException {
    Path base;
    if (fs.equals("ext4")) {
      base = Path.of("/var/tmp/warm-snapshot-tests");
      Files.createDirectories(base);
      require(probeFsType(base).equals("ext4"), "/var/tmp is not ext4");
    } else {
      base = ROOT.resolve(fs);
      require(isMountpoint(base), "test bed filesystem " + base + " is not mounted");
    }
    require(isRoot(), "tests need root (uids, setuid bits, device nodes)");
    return Files.createDirectory(base.resolve("t-" + UUID.randomUUID()));
  }

  static void remove(Path p) {
    try {
      TreeCopier.deleteTree(p);
    } catch (IOException e) {
      System.err.println("cleanup of " + p + " failed: " + e);
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static boolean isMountpoint(Path p) {
    return run(List.of("mountpoint", "-q", p.toString())) == 0;
  }

  static String probeFsType(Path p) {
    try {
      return Files.getFileStore(p).type();
    } catch (IOException e) {
      return "?";
    }
  }

  static int run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor();
    } catch (IOException e) {
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  static String output(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException(cmd + " failed (" + rc + "): " + out);
    }
    return out;
  }
}
