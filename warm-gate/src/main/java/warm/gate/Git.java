package warm.gate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code git -C DIR …} in a recipe checkout: directly (the gate depends on no other warm module), with a
 * timeout, both streams drained concurrently so a full stderr pipe can never block the child, and stdout kept only up
 * to a bound (the rest is read and dropped, so a huge blob costs no memory).
 */
final class Git {
  private static final Logger LOG = LoggerFactory.getLogger("warm.proc.git");
  /**
   * The bound without a configuration (the library's own entry points); {@code warm gate} passes
   * {@code timeouts.commandSeconds}, as every other git command of warm. Reading tags and blobs is local and fast:
   * running into the bound means a wedged filesystem or a hung git, not a big repo.
   */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** stderr is only for the error message. */
  private static final int MAX_STDERR_BYTES = 64 * 1024;

  private Git() {}

  /**
   * What git did.
   *
   * @param exit its exit code
   * @param stdout at most the requested number of bytes of its stdout
   * @param overflowed whether stdout had more than that
   * @param stderr its stderr, stripped
   */
  record Result(int exit, byte[] stdout, boolean overflowed, String stderr) {
    boolean ok() {
      return exit == 0;
    }

    String text() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * @param dir the checkout
   * @param timeout how long git may take
   * @param maxStdout stdout bytes to keep
   * @param args git's arguments after {@code -C DIR}
   * @return the result, whatever the exit code
   * @throws GateException when git cannot be started, times out, or the wait is interrupted
   */
  static Result run(Path dir, Duration timeout, int maxStdout, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    LOG.debug("running {}", argv);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("LC_ALL", "C");
    // Like the platform: a checkout owned by another user (a CI runner's, abra's) must still be readable by root.
    pb.environment().put("GIT_CONFIG_COUNT", "1");
    pb.environment().put("GIT_CONFIG_KEY_0", "safe.directory");
    pb.environment().put("GIT_CONFIG_VALUE_0", "*");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new GateException("cannot run git (is it installed and on PATH?): " + e.getMessage(), e);
    }
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      LOG.debug("closing git stdin", e);
    }
    Drain out = new Drain(p.getInputStream(), maxStdout);
    Drain err = new Drain(p.getErrorStream(), MAX_STDERR_BYTES);
    out.start();
    err.start();
    String what = "'git " + String.join(" ", args) + "' in " + dir;
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroy();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        throw new GateException(what + " did not finish within " + timeout.toSeconds() + " s");
      }
      out.join(TimeUnit.SECONDS.toMillis(5));
      err.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new GateException("interrupted while running " + what, e);
    }
    return new Result(p.exitValue(), out.bytes(), out.overflowed(), new String(err.bytes(), StandardCharsets.UTF_8)
        .strip());
  }

  /** One line, at most the last 300 characters: enough to say why git failed. */
  static String tail(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 300 ? "…" + one.substring(one.length() - 300) : one;
  }

  /** Reads a stream to its end on its own thread, keeping at most {@code max} bytes. */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean overflowed;

    Drain(InputStream in, int max) {
      super("git-drain");
      setDaemon(true);
      this.in = in;
      this.max = max;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (kept) {
            int room = max - kept.size();
            if (n > room) {
              overflowed = true;
            }
            kept.write(buf, 0, Math.max(0, Math.min(n, room)));
          }
        }
      } catch (IOException e) {
        LOG.debug("reading git output", e);
      }
    }

    boolean overflowed() {
      return overflowed;
    }

    byte[] bytes() {
      synchronized (kept) {
        return kept.toByteArray();
      }
    }
  }
}
