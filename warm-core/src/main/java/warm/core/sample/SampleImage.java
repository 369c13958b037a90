package warm.core.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * The sample recipe's image, built offline: no registry is reachable on a CI host, so a rootfs holding Debian's
 * {@code busybox-static} is imported with {@code docker import}.
 */
public final class SampleImage {
  /** The image name the sample recipe deploys by default. */
  public static final String NAME = "warm-test/busybox:1";
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private SampleImage() {}

  /** Builds {@link #NAME} with the {@code docker} on {@code PATH} unless it exists. */
  public static void ensure(ProcessRunner runner) {
    ensure(runner, "docker");
  }

  /**
   * Builds {@link #NAME} unless it exists. Fails with a clear line when busybox-static is not installed.
   *
   * @param runner runs docker, tar and busybox
   * @param docker the docker executable (config key {@code docker}: a host's may be off {@code PATH})
   */
  public static void ensure(ProcessRunner runner, String docker) {
    if (runner.run(Command.of(docker, "image", "inspect", NAME)).ok()) {
      return;
    }
    if (!Files.isExecutable(BUSYBOX)) {
      throw WarmException.infra("cannot build " + NAME + ": " + BUSYBOX
          + " is missing (apt-get install busybox-static)");
    }
    Path root = null;
    try {
      root = Files.createTempDirectory("warm-rootfs-");
      for (String d : new String[] {"bin", "tmp", "data", "etc", "proc", "sys", "dev", "run"}) {
        Files.createDirectories(root.resolve(d));
      }
      Files.copy(BUSYBOX, root.resolve("bin/busybox"));
      ProcessResult list = runner.run(Command.of(BUSYBOX.toString(), "--list")).requireSuccess();
      for (String applet : list.stdout().split("\n")) {
        applet = applet.strip();
        if (!applet.isEmpty() && !applet.equals("busybox") && !applet.contains("/")) {
          Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
      }
      Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
      Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
      Path tar = Files.createTempFile("warm-rootfs-", ".tar");
      try {
        runner.run(Command.of("tar", "-C", root.toString(), "-cf", tar.toString(), ".")
            .withTimeout(Duration.ofMinutes(2))).requireSuccess();
        runner.run(Command.of(docker, "import", "-c", "CMD [\"/bin/sh\"]", tar.toString(), NAME)
            .withTimeout(Duration.ofMinutes(2))).requireSuccess();
      } finally {
        Files.deleteIfExists(tar);
      }
    } catch (IOException e) {
      throw WarmException.infra("cannot build " + NAME + ": " + e.getMessage(), e);
    } finally {
      if (root != null) {
        runner.run(Command.of("rm", "-rf", root.toString()));
      }
    }
  }
}
