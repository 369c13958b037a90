package warm.nightly.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import warm.nightly.Main;

/** Runs {@code warm ...} in this JVM (the real picocli wiring and exit mapping) with stdout and stderr captured. */
final class InProcessWarm {
  private InProcessWarm() {}

  record Run(int exit, String out, String err) {}

  static Run warm(String... args) {
    return capture(() -> Main.execute(args));
  }

  /** Runs {@code command} with stdout and stderr captured: its exit code and what it printed. */
  static synchronized Run capture(IntSupplier command) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = command.getAsInt();
      System.out.flush();
      System.err.flush();
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
