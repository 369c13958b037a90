package warm.quick.cli;

import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.snapshot.SnapshotException;

/**
 * The one mapping from a failure to the exit code of DESIGN §6, for both entry modules ({@code bin/warm} and
 * {@code java -m warm.quick}). Every command lets failures propagate; {@link Cli#execute} asks this class for the
 * code. The three exception families: {@link WarmException} carries its own code; {@link SnapshotException} maps by
 * its kind; the gate's exceptions (module {@code warm.gate}) by class.
 */
public final class ExitCodes {
  /**
   * The gate's exceptions by class name: {@code warm.quick} must not require {@code warm.gate} (the module DAG of
   * DESIGN §2 keeps the quick lane free of it), yet the mapping must stay in one place. The names are checked against
   * the real classes by a test in warm-nightly, which sees both modules.
   */
  static final Map<String, ExitCode> GATE = Map.of(
      "warm.gate.RecipeCheckoutException", ExitCode.USAGE, // the checkout is missing, not git, has no release tag
      "warm.gate.VersionFormatException", ExitCode.USAGE, // an operator-given version does not parse
      "warm.gate.GateException", ExitCode.INFRA); // git failed or timed out

  private ExitCodes() {}

  /** The exit code a failure maps to; anything no family claims is an unexpected infrastructure failure (4). */
  public static ExitCode of(Throwable failure) {
    return known(failure).orElse(ExitCode.INFRA);
  }

  /** The exit code of a failure of a known family; empty for anything else (a bug, reported as "unexpected"). */
  public static Optional<ExitCode> known(Throwable failure) {
    if (failure instanceof WarmException w) {
      return Optional.of(w.exitCode());
    }
    if (failure instanceof SnapshotException s) {
      return Optional.of(switch (s.kind()) {
        case USAGE -> ExitCode.USAGE; // bad input; the store changed nothing
        case BUSY, NO_SPACE, MISMATCH, IO -> ExitCode.INFRA; // a restore that does not verify is the loudest failure
      });
    }
    if (failure instanceof CommandLine.ParameterException) {
      return Optional.of(ExitCode.USAGE);
    }
    for (Class<?> c = failure.getClass(); c != null; c = c.getSuperclass()) {
      ExitCode code = GATE.get(c.getName());
      if (code != null) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  /**
   * The failure as a {@link WarmException} with its mapped code, for a caller that adds context ({@code what}: e.g.
   * "seed of nextcloud") and rethrows; the cause is kept.
   */
  public static WarmException wrap(String what, RuntimeException failure) {
    return new WarmException(of(failure), what + ": " + failure.getMessage(), failure);
  }
}
