package warm.core.state;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Child-process side of {@link AtomicWriteCrashTest}: rewrites one state file in a tight loop with a large,
 * self-checking record until killed. Prints {@code WRITING} once the first write is done.
 */
public final class AtomicWriterChild {
  private AtomicWriterChild() {}

  public static void main(String[] args) {
    StateStore store = new StateStore(Path.of(args[0]));
    for (long n = 1; ; n++) {
      store.write("app", StateFile.JOURNAL, record(n));
      if (n == 1) {
        System.out.println("WRITING");
        System.out.flush();
      }
    }
  }

  /** A journal whose padding length and content are determined by {@code n}, so a torn file cannot pass. */
  static Journal record(long n) {
    char[] pad = new char[200_000 + (int) (n % 1000)];
    Arrays.fill(pad, (char) ('a' + n % 26));
    return new Journal("rewrite", "run-" + n, "app", "phase-" + n, Instant.EPOCH,
        Instant.ofEpochSecond(n), 1, Map.of("n", Long.toString(n), "pad", new String(pad)));
  }
}
