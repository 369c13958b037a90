package warm.nightly.prune;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;

/** {@link Images} through the {@code docker} CLI; the data root's fullness from its filesystem on this host. */
final class DockerImages implements Images {
  private final ProcessRunner runner;
  private final String docker;
  private final Duration timeout;

  DockerImages(ProcessRunner runner, String docker, Duration timeout) {
    this.runner = runner;
    this.docker = docker;
    this.timeout = timeout;
  }

  @Override
  public OptionalDouble dataRootUsedPercent() {
    String root = run("info", "--format", "{{.DockerRootDir}}").strip();
    if (root.isEmpty() || !Files.isDirectory(Path.of(root))) {
      return OptionalDouble.empty();
    }
    try {
      FileStore fs = Files.getFileStore(Path.of(root));
      long total = fs.getTotalSpace();
      if (total <= 0) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(100.0 * (total - fs.getUnallocatedSpace()) / total);
    } catch (IOException e) {
      return OptionalDouble.empty();
    }
  }

  @Override
  public List<Dangling> dangling() {
    List<String> ids = run("image", "ls", "-q", "--no-trunc", "--filter", "dangling=true").lines().map(String::strip)
        .filter(l -> !l.isEmpty()).distinct().toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("image", "inspect", "--format", "{{.Id}} {{.Size}}"));
    args.addAll(ids);
    List<Dangling> out = new ArrayList<>();
    List<String> argv = new ArrayList<>(List.of(docker));
    argv.addAll(args);
    for (String line : runner.run(Command.of(argv).withTimeout(timeout)).stdout().lines().toList()) {
      String[] f = line.strip().split(" ");
      if (f.length == 2 && f[1].matches("[0-9]+")) {
        out.add(new Dangling(f[0], Long.parseLong(f[1])));
      }
    }
    return out;
  }

  @Override
  public void pruneDangling() {
    // Never --all (base images would be evicted: registry rate limits), never volumes (warm data, I8).
    run("image", "prune", "--force");
  }

  private String run(String... args) {
    List<String> argv = new ArrayList<>(List.of(docker));
    argv.addAll(List.of(args));
    return runner.run(Command.of(argv).withTimeout(timeout)).requireSuccess().stdout();
  }
}
