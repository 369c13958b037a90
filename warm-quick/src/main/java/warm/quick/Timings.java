package warm.quick;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per phase, in the order the phases ran. */
final class Timings {
  private final Map<String, Long> millis = new LinkedHashMap<>();

  interface Body<T> {
    T run();
  }

  <T> T time(String phase, Body<T> body) {
    long t0 = System.nanoTime();
    try {
      return body.run();
    } finally {
      millis.merge(phase, (System.nanoTime() - t0) / 1_000_000, Long::sum);
    }
  }

  void time(String phase, Runnable body) {
    time(phase, () -> {
      body.run();
      return null;
    });
  }

  Map<String, Long> ordered() {
    return new LinkedHashMap<>(millis);
  }
}
