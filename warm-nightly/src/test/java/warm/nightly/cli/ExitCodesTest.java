package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.gate.GateException;
import warm.gate.RecipeCheckoutException;
import warm.gate.VersionFormatException;
import warm.quick.cli.Cli;
import warm.quick.cli.ExitCodes;
import warm.snapshot.SnapshotException;

/**
 * The one failure → exit-code mapping ({@link ExitCodes}) through {@link Cli#execute}, the entry both modules use:
 * each of the three exception families, thrown by a command, ends with its documented code and one {@code error:}
 * line naming the problem.
 */
class ExitCodesTest {
  record Run(int exit, String err) {}

  /** A command that throws whatever the test hands it. */
  @Command(name = "thrower")
  static final class Thrower implements Callable<Integer> {
    final Supplier<RuntimeException> failure;

    Thrower(Supplier<RuntimeException> failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() {
      throw failure.get();
    }
  }

  private static Run execute(RuntimeException failure) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Cli.execute(new Thrower(() -> failure), new String[0]);
      return new Run(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
  }

  private static void assertMapped(RuntimeException failure, ExitCode expected) {
    Run r = execute(failure);
    assertEquals(expected.code(), r.exit(), failure + " → " + r);
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(List.of("error: " + failure.getMessage()), lines, "one line naming the problem: " + r);
    assertEquals(expected, ExitCodes.of(failure));
  }

  @Test
  void testWarmException_carriesItsOwnCode() {
    for (ExitCode c : ExitCode.values()) {
      assertMapped(new WarmException(c, "own code " + c), c);
    }
  }

  @Test
  void testSnapshotException_usageIs2_everyOtherKindIs4() {
    assertMapped(SnapshotException.usage("snapshot store /x is a symlink"), ExitCode.USAGE);
    assertMapped(SnapshotException.busy("volume v is still mounted"), ExitCode.INFRA);
    for (SnapshotException.Kind k : SnapshotException.Kind.values()) {
      ExitCode expected = k == SnapshotException.Kind.USAGE ? ExitCode.USAGE : ExitCode.INFRA;
      assertMapped(new SnapshotException(k, "kind " + k), expected);
    }
  }

  @Test
  void testGateExceptions_badCheckoutAndBadVersionAre2_gitFailureIs4() {
    assertMapped(new RecipeCheckoutException("/r is not a git repository"), ExitCode.USAGE);
    assertMapped(new VersionFormatException("'x' is not a recipe version"), ExitCode.USAGE);
    assertMapped(new GateException("git timed out"), ExitCode.INFRA);
  }

  @Test
  void testUnexpectedFailure_is4_andSaysUnexpected() {
    Run r = execute(new IllegalStateException("a bug"));
    assertEquals(ExitCode.INFRA.code(), r.exit());
    assertTrue(r.err().startsWith("error: unexpected IllegalStateException: a bug"), r.err());
    assertTrue(ExitCodes.known(new IllegalStateException("a bug")).isEmpty());
  }
}
