package warm.core.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;

/**
 * {@link ProcessRunner} on {@link ProcessBuilder}. Both output streams are drained concurrently (a child that fills
 * the stderr pipe while we read stdout would block forever), and a timeout kills the whole process tree: abra
 * spawns docker, and killing only abra would leave docker running.
 */
final class SystemProcessRunner implements ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger("warm.proc");
  /** How long a process gets between SIGTERM and SIGKILL after its timeout. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  /** Output kept per stream; more is dropped from the middle's end so memory stays bounded. */
  private static final int MAX_CAPTURE = 8 * 1024 * 1024;
  /** How long the output pumps get to reach end-of-stream once the child has exited. */
  private static final Duration STREAM_END_WAIT = Duration.ofSeconds(3);

  @Override
  public ProcessResult run(Command command) {
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    pb.environment().putAll(command.env());
    if (command.dir() != null) {
      pb.directory(command.dir().toFile());
    }
    if (command.stdin() == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    if (command.output() == Command.Output.PASS_THROUGH) {
      pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
    } else if (command.output() == Command.Output.TO_STDERR) {
      // The JVM opens the redirect target itself: /proc/self/fd/2 is this process's stderr (Linux).
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/proc/self/fd/2")))
          .redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    LOG.debug("run: {}", command.display());
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new WarmException(ExitCode.INFRA, "cannot start '" + command.display() + "': " + e.getMessage(), e);
    }
    Capture out = command.passOutput() ? Capture.none() : drain(p.getInputStream());
    Capture err = command.passOutput() ? Capture.none() : drain(p.getErrorStream());
    if (command.stdin() != null) {
      CompletableFuture.runAsync(() -> feed(p.getOutputStream(), command.stdin()), Drainers.POOL);
    }
    boolean timedOut = false;
    try {
      if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        LOG.warn("'{}' is running too long ({} s): killing its process tree", command.display(),
            command.timeout().toSeconds());
        killTree(p);
      }
    } catch (InterruptedException e) {
      killTree(p);
      Thread.currentThread().interrupt();
      throw new WarmException(ExitCode.INFRA, "interrupted while running '" + command.display() + "'", e);
    }
    long streamsDeadline = System.nanoTime() + STREAM_END_WAIT.toNanos();
    String stdout = join(out, streamsDeadline);
    String stderr = join(err, streamsDeadline);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    int exit = timedOut ? -1 : p.exitValue();
    LOG.debug("exit {} after {} ms: {}", exit, elapsed.toMillis(), command.display());
    return new ProcessResult(command, exit, stdout, stderr, elapsed, timedOut);
  }

  /** SIGTERM to the process and all descendants, a grace period, then SIGKILL to whatever is left. */
  static void killTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.add(p.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + KILL_GRACE.toNanos();
    for (ProcessHandle h : tree) {
      long left = deadline - System.nanoTime();
      try {
        h.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // still alive after the grace period: killed below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // Descendants spawned during the grace period are caught here too.
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    tree.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Capture drain(InputStream in) {
    Capture c = new Capture();
    c.done = CompletableFuture.runAsync(() -> {
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) >= 0) {
          c.append(chunk, n);
        }
      } catch (IOException e) {
        // the stream closes when the process is killed; keep what was read
      }
    }, Drainers.POOL);
    return c;
  }

  /** What one output stream delivered so far; readable while its pump still runs. */
  private static final class Capture {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CompletableFuture<Void> done;

    /** For a stream passed through: nothing to capture. */
    static Capture none() {
      Capture c = new Capture();
      c.done = CompletableFuture.completedFuture(null);
      return c;
    }

    synchronized void append(byte[] chunk, int n) {
      if (buf.size() < MAX_CAPTURE) {
        buf.write(chunk, 0, Math.min(n, MAX_CAPTURE - buf.size()));
      }
    }

    synchronized String text() {
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  private static void feed(OutputStream os, byte[] data) {
    try (os) {
      os.write(data);
    } catch (IOException e) {
      // the child closed its stdin early; its exit status tells the story
    }
  }

  private static String join(Capture c, long deadlineNanos) {
    try {
      // A grandchild that inherited the pipe (a daemon started by the command) can keep it open after the child
      // exited: wait a bounded time for the end of the stream, then keep what was read instead of losing it.
      c.done.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // fall through: what was read so far
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return c.text();
  }

  /** Daemon threads for stream pumps, so a stuck pipe never keeps the JVM alive. */
  private static final class Drainers {
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "warm-proc-io");
      t.setDaemon(true);
      return t;
    });
  }
}
