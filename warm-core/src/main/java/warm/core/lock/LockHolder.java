package warm.core.lock;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import warm.core.state.StateJson;

/**
 * Who holds a lock, as its holder wrote it into the lock file (diagnostics only: the kernel lock decides).
 *
 * @param pid the holding process
 * @param operation what it is doing
 * @param since when it took the lock
 */
public record LockHolder(
    long pid,
    String operation,
    @JsonSerialize(using = StateJson.InstantSerializer.class)
    @JsonDeserialize(using = StateJson.InstantDeserializer.class) Instant since) {

  /** A holder that wrote nothing readable (it is between taking the lock and writing, or an old format). */
  static LockHolder unknown() {
    return new LockHolder(-1, null, null);
  }

  /** {@code pid 123 (operation quick) since 2026-11-27T20:00:00Z}, or what of it is known. */
  public String describe() {
    if (pid < 0) {
      return "another process (holder not recorded yet)";
    }
    return "pid " + pid + (operation == null ? "" : " (operation " + operation + ")")
        + (since == null ? "" : " since " + since);
  }
}
