package warm.core;

import java.time.Duration;

/** Durations as an operator reads them in logs and messages: {@code 850 ms}, {@code 30 s}, {@code 2 min 5 s}, {@code 3 h 10 min}. */
public final class Durations {
  private Durations() {}

  public static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    long s = Math.round(ms / 1000.0);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
    long min = s / 60;
    return min / 60 + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
  }
}
