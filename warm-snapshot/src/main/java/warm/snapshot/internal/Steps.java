package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named step boundaries of multi-step operations. Only the crash-safety tests use it: when the system property
 * {@code warm.snapshot.pauseAt} names the step reached, the process writes the step name to the file named by
 * {@code warm.snapshot.pauseMarker} and sleeps until killed. Without the property this is a no-op.
 */
public final class Steps {
  static final String PAUSE_AT = "warm.snapshot.pauseAt";
  static final String MARKER = "warm.snapshot.pauseMarker";

  private Steps() {}

  public static void reached(String step) {
    String at = System.getProperty(PAUSE_AT);
    if (at == null || !at.equals(step)) {
      return;
    }
    try {
      String marker = System.getProperty(MARKER);
      if (marker != null) {
        Files.writeString(Path.of(marker), step);
      }
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write pause marker", e);
    }
  }
}
