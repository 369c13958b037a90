package warm.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real parts of the test bed (DESIGN §7) a test can need, each with a probe run once per JVM. Uses the JDK and
 * JUnit only, so every module's tests can use the kit without depending on warm-core's main code.
 */
public enum RealPart {
  /** A Docker engine with an active single-node Swarm and the offline test image. */
  SWARM("a Docker engine with an active Swarm and the image warm-test/busybox:1") {
    @Override
    boolean probe() {
      return "active".equals(output("docker", "info", "--format", "{{.Swarm.LocalNodeState}}"))
          && output("docker", "image", "inspect", "-f", "ok", "warm-test/busybox:1").equals("ok");
    }
  },
  /** Root (owners, device nodes, mounts). */
  ROOT("root") {
    @Override
    boolean probe() {
      return "0".equals(output("id", "-u"));
    }
  },
  /** The loop-mounted XFS with reflink. */
  XFS("the test bed's XFS mount") {
    @Override
    boolean probe() {
      return mounted("xfs");
    }
  },
  /** The loop-mounted btrfs. */
  BTRFS("the test bed's btrfs mount") {
    @Override
    boolean probe() {
      return mounted("btrfs");
    }
  },
  /** The tiny (48 MB) ext4 that ENOSPC tests fill. */
  TINY_EXT4("the test bed's tiny ext4 mount") {
    @Override
    boolean probe() {
      return mounted("tiny");
    }
  },
  /** A Keycloak server tree prepared by scripts/keycloak.sh. */
  KEYCLOAK("a Keycloak home in WARM_KEYCLOAK_HOME (scripts/keycloak.sh prepare)") {
    @Override
    boolean probe() {
      String home = System.getenv("WARM_KEYCLOAK_HOME");
      return home != null && Files.isRegularFile(Path.of(home, "bin", "kc.sh"));
    }
  },
  /** The git executable. */
  GIT("git") {
    @Override
    boolean probe() {
      return !output("git", "--version").isEmpty();
    }
  };

  private static final Map<RealPart, Boolean> PRESENT = new ConcurrentHashMap<>();

  private final String description;

  RealPart(String description) {
    this.description = description;
  }

  abstract boolean probe();

  /** Whether the part is here (probed once per JVM). */
  public boolean present() {
    return PRESENT.computeIfAbsent(this, RealPart::probe);
  }

  public String description() {
    return description;
  }

  /** The test bed's directory: {@code WARM_TESTBED_DIR}, else scripts/testbed.sh's default. */
  public static Path testbed() {
    return Path.of(System.getenv().getOrDefault("WARM_TESTBED_DIR", "/var/tmp/cc-ci-warm-testbed"));
  }

  private static boolean mounted(String name) {
    return !output("mountpoint", testbed().resolve(name).toString()).isEmpty(); // exit 0: "… is a mountpoint"
  }

  /** A command's stripped stdout, or "" when it cannot run, fails or hangs. */
  private static String output(String... argv) {
    try {
      Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes(); // bounded: the probes print a line
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      return p.exitValue() == 0 ? new String(out).strip() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
