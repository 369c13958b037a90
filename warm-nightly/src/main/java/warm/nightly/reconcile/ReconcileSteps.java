package warm.nightly.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named step boundaries of a reconcile, for the crash tests only: when the system property
 * {@code warm.reconcile.pauseAt} names the step reached, the process writes the step's name to the file named by
 * {@code warm.reconcile.pauseMarker} and sleeps until it is killed. Without the property this does nothing.
 */
final class ReconcileSteps {
  static final String PAUSE_AT = "warm.reconcile.pauseAt";
  static final String MARKER = "warm.reconcile.pauseMarker";

  private ReconcileSteps() {}

  static void reached(String step) {
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
      throw new IllegalStateException("cannot write pause marker " + System.getProperty(MARKER), e);
    }
  }
}
