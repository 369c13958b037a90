package warm.core.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named step boundaries of a journaled operation, for the crash tests only: when the system property
 * {@code warm.<operation>.pauseAt} names the step reached, the process writes the step's name to the file named by
 * {@code warm.<operation>.pauseMarker} and sleeps until it is killed or {@link #release released} (a SIGTERM's
 * shutdown hook releases it), so a test can SIGKILL or SIGTERM it exactly there. Without the property this does
 * nothing. (warm-snapshot, a leaf that knows nothing of warm-core, has its own.)
 */
public final class StepPause {
  private static volatile boolean released;

  private StepPause() {}

  /** Ends every pause, now and later: the operation goes on from where it paused (SIGTERM's path). */
  public static void release() {
    released = true;
  }

  /**
   * @param operation the journal kind ({@code promote}, {@code reconcile}), naming the properties
   * @param step the step boundary just reached
   */
  public static void reached(String operation, String step) {
    String at = System.getProperty("warm." + operation + ".pauseAt");
    if (at == null || !at.equals(step)) {
      return;
    }
    String marker = System.getProperty("warm." + operation + ".pauseMarker");
    try {
      if (marker != null) {
        Files.writeString(Path.of(marker), step);
      }
      while (!released) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write pause marker " + marker, e);
    }
  }
}
