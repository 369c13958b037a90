package warm.nightly.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution ({@code warm-nightly/target/dist/lib}, made by {@code package}) run as a child process,
 * exactly as an operator or the CI runner runs it: {@code java -p lib -m <module> ...} or {@code bin/warm}.
 */
public final class Distribution {
  private Distribution() {}

  public record Run(int exit, String out, String err) {
    public List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Root of this checkout: Surefire/Failsafe set WARM_REPO_ROOT (root pom); else found from the working dir. */
  public static Path repoRoot() {
    String env = System.getenv("WARM_REPO_ROOT");
    Path start = env != null && !env.isBlank() ? Path.of(env) : Path.of("").toAbsolutePath();
    for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("warm-nightly")) && Files.isRegularFile(d.resolve("bin/warm"))) {
        return d;
      }
    }
    throw new AssertionError("repository root not found from " + start);
  }

  public static Path lib() {
    Path lib = repoRoot().resolve("warm-nightly/target/dist/lib");
    assertTrue(Files.isRegularFile(lib.resolve("warm-nightly-0.1.0-SNAPSHOT.jar")),
        "no distribution at " + lib + ": these ITs run in 'verify', after 'package' built it");
    return lib;
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java -p lib -m module args...}, bounded by two minutes. */
  public static Run module(String module, Map<String, String> env, String... args) throws Exception {
    return module(Duration.ofMinutes(2), module, env, args);
  }

  /** {@code java -p lib -m module args...} with its own bound. */
  public static Run module(Duration timeout, String module, Map<String, String> env, String... args)
      throws Exception {
    List<String> argv = new ArrayList<>(List.of(java(), "-p", lib().toString(), "-m", module));
    argv.addAll(List.of(args));
    return run(argv, env, timeout);
  }

  /** {@code bin/warm args...}, the launcher script. */
  public static Run binWarm(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(repoRoot().resolve("bin/warm").toString()));
    argv.addAll(List.of(args));
    return run(argv, Map.of("JAVA", java()), Duration.ofMinutes(2));
  }

  /**
   * {@code bin/<launcher> args...} ({@code warm} or {@code warm-quick}) with extra environment (e.g. {@code WARM_LIB},
   * {@code JAVA}, {@code WARM_JAVA_OPTS}); {@code JAVA} defaults to this JVM.
   */
  public static Run launcher(String launcher, Map<String, String> env, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(repoRoot().resolve("bin").resolve(launcher).toString()));
    argv.addAll(List.of(args));
    Map<String, String> all = new java.util.HashMap<>(Map.of("JAVA", java()));
    all.putAll(env);
    return run(argv, all, Duration.ofMinutes(2));
  }

  static Run run(List<String> argv, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    // The child must see only the configuration a test gives it.
    pb.environment().remove("WARM_CONFIG");
    pb.environment().remove("JOURNAL_STREAM");
    pb.environment().remove("WARM_LIB");
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Path out = Files.createTempFile("warm-dist-out", ".txt");
    Path err = Files.createTempFile("warm-dist-err", ".txt");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        // SIGTERM first: commands clean up (undeploy, restore) on a normal JVM shutdown.
        p.destroy();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
        fail("timed out after " + timeout.toSeconds() + " s: " + argv);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
