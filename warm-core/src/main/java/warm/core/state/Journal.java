package warm.core.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The multi-step operation in flight on an app ({@code <root>/<app>/journal.json}), written before acting and
 * advanced phase by phase, so the next invocation (or {@code warm recover}) can finish or roll back what a killed
 * run left (DESIGN I5). Deleted when the operation ends.
 *
 * @param operation what is being done ({@code quick}, {@code promote}, {@code reconcile}, …)
 * @param runId the run's unique id
 * @param app the app the operation works on
 * @param phase the last phase reached (the operation defines its phases)
 * @param startedAt when the operation began
 * @param updatedAt when the phase was last advanced
 * @param pid the process running the operation (a dead pid with a journal means a crash)
 * @param data what recovery needs to know (versions, snapshot ids); never secrets (DESIGN I10)
 */
public record Journal(
    String operation,
    String runId,
    String app,
    String phase,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant startedAt,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant updatedAt,
    @JsonProperty(required = true) long pid,
    Map<String, String> data) {
  /** Every field but {@code data} is required; {@code data} is copied sorted. */
  public Journal {
    Fields.text(operation, "operation");
    Fields.text(runId, "runId");
    Fields.text(app, "app");
    Fields.text(phase, "phase");
    Fields.present(startedAt, "startedAt");
    Fields.present(updatedAt, "updatedAt");
    // Sorted, so the file reads the same however the map was built.
    data = data == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(data));
  }

  /** A journal for an operation this process starts now. */
  public static Journal begin(String operation, String runId, String app, String phase, Map<String, String> data) {
    Instant now = Instant.now();
    return new Journal(operation, runId, app, phase, now, now, ProcessHandle.current().pid(), data);
  }

  /** This journal advanced to {@code next}, stamped now. */
  public Journal withPhase(String next) {
    return new Journal(operation, runId, app, next, startedAt, Instant.now(), pid, data);
  }

  /** This journal with one more (or a replaced) data entry, stamped now. */
  public Journal with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(data);
    m.put(key, value);
    return new Journal(operation, runId, app, phase, startedAt, Instant.now(), pid, m);
  }

  /** Whether the process that wrote this journal is gone (so the operation was interrupted, not in progress). */
  public boolean writerIsDead() {
    return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
  }
}
