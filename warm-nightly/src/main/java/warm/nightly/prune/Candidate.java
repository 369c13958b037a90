package warm.nightly.prune;

import java.util.Objects;

/**
 * One thing a prune removes, and why.
 *
 * @param kind what it is
 * @param name how people and the JSON result name it (an app, {@code <app>/snap-<id>}, a domain, a realm)
 * @param reason why it may go
 * @param bytes how much it holds on disk (apparent size; 0 when it holds nothing we can count)
 * @param app the app or store it belongs to (canonicals, snapshots, leftovers; null for the state root's own)
 * @param item what the executor removes within it: a snapshot id, a leftover's name, a domain, a realm
 */
public record Candidate(Kind kind, String name, String reason, long bytes, String app, String item) {
  public Candidate {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
  }
}
