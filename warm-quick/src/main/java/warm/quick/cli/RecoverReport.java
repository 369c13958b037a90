package warm.quick.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.recovery.JournalRecoveries;
import warm.core.recovery.JournalRecovery;

/**
 * What {@code warm recover} and {@code java -m warm.quick recover} share: each app's journal through the recovery
 * registry, one line per app (or one JSON object), and exit 4 when any recovery failed. The caller loads the
 * providers, since its module declares {@code uses}.
 */
public final class RecoverReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecoverReport() {}

  /** What happened to one app: {@code recovered}, {@code nothing} (no journal), {@code busy} or {@code failed}. */
  record AppOutcome(String app, String outcome, String detail) {}

  /**
   * Recovers {@code apps} in order and prints the outcome; a failed or unknown-kind journal does not stop the others.
   *
   * @return exit 0 when nothing failed
   * @throws WarmException (exit 4) after printing, naming the apps whose recovery failed
   */
  public static int run(WarmConfig config, Iterable<JournalRecovery> providers, List<String> apps, boolean json) {
    return run(config, providers, apps, json, false);
  }

  /**
   * As {@link #run(WarmConfig, Iterable, List, boolean)}; with {@code skipBusy}, an app whose lock a live operation
   * holds is reported {@code busy} (left alone: its journal is that operation's) instead of waited for.
   */
  public static int run(WarmConfig config, Iterable<JournalRecovery> providers, List<String> apps, boolean json,
      boolean skipBusy) {
    List<AppOutcome> outcomes = new ArrayList<>();
    if (!apps.isEmpty()) {
      JournalRecoveries registry = new JournalRecoveries(config, providers);
      for (String a : apps) {
        try {
          Optional<Optional<String>> done = skipBusy ? registry.recoverUnlessBusy(a) : Optional.of(registry.recover(a));
          outcomes.add(done.map(r -> r.map(what -> new AppOutcome(a, "recovered", what))
                  .orElseGet(() -> new AppOutcome(a, "nothing", "nothing to recover")))
              .orElseGet(() -> new AppOutcome(a, "busy", "left alone: a live operation holds its lock")));
        } catch (WarmException e) {
          outcomes.add(new AppOutcome(a, "failed", e.getMessage()));
        }
      }
    }
    List<String> failed = outcomes.stream().filter(o -> o.outcome().equals("failed")).map(AppOutcome::app).toList();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("apps", outcomes.stream().map(o -> {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("app", o.app());
        one.put("outcome", o.outcome());
        one.put("detail", o.detail());
        return one;
      }).toList());
      m.put("failed", failed);
      try {
        System.out.println(JSON.writeValueAsString(m));
      } catch (JsonProcessingException e) {
        throw WarmException.infra("cannot render JSON", e);
      }
    } else if (outcomes.isEmpty()) {
      System.out.println("nothing to recover");
    } else {
      outcomes.forEach(o -> System.out.println(o.app() + ": "
          + (o.outcome().equals("failed") ? "recovery FAILED: " : "") + o.detail()));
    }
    if (!failed.isEmpty()) {
      throw WarmException.infra("recovery failed for " + String.join(", ", failed));
    }
    return ExitCode.OK.code();
  }
}
