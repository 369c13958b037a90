package warm.nightly.canonical;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named step boundaries of a promotion, for the crash tests only (like warm-snapshot's {@code Steps}): when the
 * system property {@code warm.promote.pauseAt} names the step reached, the process writes the step's name to the
 * file named by {@code warm.promote.pauseMarker} and sleeps until it is killed. Without the property: a no-op.
 */
final class PromotePause {
  static final String PAUSE_AT = "warm.promote.pauseAt";
  static final String MARKER = "warm.promote.pauseMarker";

  private PromotePause() {}

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
      throw new IllegalStateException("cannot write pause marker", e);
    }
  }
}
