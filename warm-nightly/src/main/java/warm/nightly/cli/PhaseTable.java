package warm.nightly.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The steps of a demonstration run ({@code warm demo}, {@code warm selftest}) with their wall times, printed as a
 * table or a JSON array. A row whose millis is negative is a result line (no wall time).
 */
final class PhaseTable {
  /** One row. */
  record Phase(String name, long millis, String detail) {}

  interface Step<T> {
    T run() throws Exception;
  }

  interface Action {
    void run() throws Exception;
  }

  private final List<Phase> phases = new ArrayList<>();
  private final String logger;
  private final Runnable beforeEachStep;

  /**
   * {@code beforeEachStep} runs before every step (the demo stops there once cancelled). The logger is looked up by
   * name when a step logs: a lookup starts logging, which a command built only for its usage text need not pay.
   */
  PhaseTable(String logger, Runnable beforeEachStep) {
    this.logger = logger;
    this.beforeEachStep = beforeEachStep;
  }

  /** Runs a named step, logs it, and records its wall time. */
  <T> T step(String name, Step<T> s, String detail) throws Exception {
    beforeEachStep.run();
    long t0 = System.nanoTime();
    LoggerFactory.getLogger(logger).info("{} …", name);
    T v = s.run();
    add(name, (System.nanoTime() - t0) / 1_000_000, detail);
    return v;
  }

  /** As {@link #step} for an action; returns its wall time in ms. */
  long timed(String name, Action a, String detail) throws Exception {
    step(name, () -> {
      a.run();
      return null;
    }, detail);
    return phases.get(phases.size() - 1).millis();
  }

  /** Measures an action without a row of its own (parts of a larger row). */
  long measure(Action a) throws Exception {
    beforeEachStep.run();
    long t0 = System.nanoTime();
    a.run();
    return (System.nanoTime() - t0) / 1_000_000;
  }

  void add(String name, long millis, String detail) {
    phases.add(new Phase(name, millis, detail));
  }

  /** A result line: no wall time. */
  void note(String name, String detail) {
    add(name, -1, detail);
  }

  List<Phase> phases() {
    return List.copyOf(phases);
  }

  void print(PrintStream out) {
    out.printf("%-28s %10s  %s%n", "phase", "wall time", "detail");
    for (Phase p : phases) {
      out.printf("%-28s %10s  %s%n", p.name(), p.millis() < 0 ? "" : String.format("%.1f s", p.millis() / 1000.0),
          p.detail());
    }
  }

  void addTo(ArrayNode arr) {
    for (Phase p : phases) {
      ObjectNode o = arr.addObject().put("phase", p.name()).put("detail", p.detail());
      if (p.millis() >= 0) {
        o.put("millis", p.millis());
      }
    }
  }
}
