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
 * Lists a recipe checkout's git tags with {@code git -C DIR tag --list}: the recipe's published versions. Runs git
 * directly (the gate depends on no other warm module), with a timeout, both streams drained concurrently so a full
 * stderr pipe can never block the child.
 */
final class GitTags {
  private static final Logger LOG = LoggerFactory.getLogger("warm.proc.git");
  /** Listing tags is local and fast; 30 s means a wedged filesystem or a hung git, not a big repo. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** More than 8 MiB of tag names is not a recipe; refuse rather than hold it all in memory. */
  static final int MAX_OUTPUT_BYTES = 8 << 20;

  private GitTags() {}

  /**
   * @param dir the recipe checkout
   * @return the tag names, one per line of git's output
   * @throws RecipeCheckoutException when {@code dir} is not a git repository
   * @throws GateException when git is missing, times out or fails otherwise
   */
  static List<String> list(Path dir) {
    List<String> argv = List.of("git", "-C", dir.toString(), "tag", "--list", "--no-column");
    LOG.debug("running {}", argv);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("LC_ALL", "C");
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
    Drain out = new Drain(p.getInputStream());
    Drain err = new Drain(p.getErrorStream());
    out.start();
    err.start();
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroy();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        throw new GateException("'git tag --list' in " + dir + " did not finish within " + TIMEOUT.toSeconds() + " s");
      }
      out.join(TimeUnit.SECONDS.toMillis(5));
      err.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new GateException("interrupted while listing the tags of " + dir, e);
    }
    String stderr = err.text().strip();
    if (p.exitValue() != 0) {
      String msg = "'git tag --list' in " + dir + " failed (exit " + p.exitValue() + "): " + tail(stderr);
      if (stderr.contains("not a git repository")) {
        throw new RecipeCheckoutException(dir + " is not a git repository (the recipe's tags are its versions)");
      }
      throw new GateException(msg);
    }
    if (out.overflowed()) {
      throw new GateException("'git tag --list' in " + dir + " printed more than " + MAX_OUTPUT_BYTES + " bytes");
    }
    List<String> tags = new ArrayList<>();
    for (String line : out.text().split("\n")) {
      if (!line.isBlank()) {
        tags.add(line.strip());
      }
    }
    return tags;
  }

  private static String tail(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 300 ? "…" + one.substring(one.length() - 300) : one;
  }

  /** Reads a stream to its end on its own thread, keeping at most {@link #MAX_OUTPUT_BYTES}. */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean overflowed;

    Drain(InputStream in) {
      super("git-drain");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (kept) {
            int room = MAX_OUTPUT_BYTES - kept.size();
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

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
