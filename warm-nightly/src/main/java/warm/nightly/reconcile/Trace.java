package warm.nightly.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps one reconcile took and the time each part cost, for the result, the log and {@code --json}. */
final class Trace {
  private static final Logger LOG = LoggerFactory.getLogger(InfraReconciler.class);

  private final String app;
  private final List<String> steps = new ArrayList<>();
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private final long started = System.nanoTime();

  Trace(String app) {
    this.app = app;
  }

  /** Records a step done (or planned) and logs it. */
  void step(String what) {
    steps.add(what);
    LOG.info("{}: {}", app, what);
  }

  /** Runs {@code part}, adding its time under {@code name} (also when it throws). */
  <T> T timed(String name, Supplier<T> part) {
    long t0 = System.nanoTime();
    try {
      return part.get();
    } finally {
      millis.merge(name, (System.nanoTime() - t0) / 1_000_000, Long::sum);
    }
  }

  void timed(String name, Runnable part) {
    timed(name, () -> {
      part.run();
      return null;
    });
  }

  List<String> steps() {
    return steps;
  }

  long totalMillis() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** The parts' times plus the total so far. */
  Map<String, Long> timings() {
    Map<String, Long> m = new LinkedHashMap<>(millis);
    m.put("total", totalMillis());
    return m;
  }
}
