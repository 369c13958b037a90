package warm.nightly.prune;

import java.time.Instant;
import java.util.List;

/** The stacks present on the Swarm: what a prune looks for per-run cold apps in. */
public interface StackInventory {
  /**
   * A stack with anything left of it.
   *
   * @param name the stack name
   * @param createdAt when its oldest service, volume, secret or network was created; null when unknown
   * @param running whether any service of it exists
   */
  record Stack(String name, Instant createdAt, boolean running) {}

  /** Every stack that has a service, a volume, a secret or a network left, sorted by name. */
  List<Stack> stacks();
}
