package warm.snapshot.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One piece of an operation's serial work run on its own daemon thread, so that the caller can do another piece
 * meanwhile (issue 15: on two cores, what runs alone before and after the copy pool is what a snapshot or restore
 * pays above {@code cp}). {@link #join} gives its result, or throws what it threw. A daemon thread never keeps the
 * JVM alive: work whose caller failed and never joins it is simply dropped.
 */
public final class Background<T> {
  private final FutureTask<T> task;

  private Background(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code work} on a new daemon thread named {@code name} and returns at once. */
  public static <T> Background<T> start(String name, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return new Background<>(task);
  }

  /**
   * Waits for the work and returns its result; an {@link IOException}, {@link RuntimeException} or {@link Error} it
   * threw is thrown here as it was (any other exception wrapped in an IOException).
   */
  public T join() throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + task);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IOException(c);
    }
  }
}
