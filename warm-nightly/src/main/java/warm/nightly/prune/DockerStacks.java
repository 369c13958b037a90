package warm.nightly.prune;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;

/**
 * {@link StackInventory} through the {@code docker} CLI: services, volumes and networks labelled
 * {@code com.docker.stack.namespace}, and secrets labelled {@code cc-ci-warm.stack} (the swarm adapter's) — so a run
 * that died after its services were removed but before its volumes or secrets were, or whose deploy failed half-way
 * leaving only its network, is still found.
 */
final class DockerStacks implements StackInventory {
  private static final String NAMESPACE = "com.docker.stack.namespace";
  private static final String SECRET_OWNER = "cc-ci-warm.stack";
  /** RFC 3339, what {@code Instant.parse} reads; Go's layout for it. */
  private static final String RFC3339 = "2006-01-02T15:04:05Z07:00";

  private final ProcessRunner runner;
  private final String docker;
  private final java.time.Duration timeout;

  DockerStacks(ProcessRunner runner, String docker, java.time.Duration timeout) {
    this.runner = runner;
    this.docker = docker;
    this.timeout = timeout;
  }

  @Override
  public List<Stack> stacks() {
    Map<String, Stack> byName = new TreeMap<>();
    List<String> services = ids("service", "ls", "-q", "--filter", "label=" + NAMESPACE);
    collect(byName, services, true, "service", "inspect", "--format",
        "{{index .Spec.Labels \"" + NAMESPACE + "\"}} {{.CreatedAt.Format \"" + RFC3339 + "\"}}");
    List<String> volumes = ids("volume", "ls", "-q", "--filter", "label=" + NAMESPACE);
    collect(byName, volumes, false, "volume", "inspect", "--format",
        "{{index .Labels \"" + NAMESPACE + "\"}} {{.CreatedAt}}");
    List<String> secrets = ids("secret", "ls", "-q", "--filter", "label=" + SECRET_OWNER);
    collect(byName, secrets, false, "secret", "inspect", "--format",
        "{{index .Spec.Labels \"" + SECRET_OWNER + "\"}} {{.CreatedAt.Format \"" + RFC3339 + "\"}}");
    // A deploy that failed half-way and then crashed can leave only the stack's network; `docker stack rm` removes it.
    List<String> networks = ids("network", "ls", "-q", "--filter", "label=" + NAMESPACE);
    collect(byName, networks, false, "network", "inspect", "--format",
        "{{index .Labels \"" + NAMESPACE + "\"}} {{.Created.Format \"" + RFC3339 + "\"}}");
    return List.copyOf(byName.values());
  }

  private void collect(Map<String, Stack> byName, List<String> ids, boolean running, String... inspect) {
    if (ids.isEmpty()) {
      return;
    }
    List<String> argv = new ArrayList<>(List.of(docker));
    argv.addAll(List.of(inspect));
    argv.addAll(ids);
    // An object removed between ls and inspect makes inspect fail for that id only; read what it printed.
    String out = runner.run(Command.of(argv).withTimeout(timeout)).stdout();
    for (String line : out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      int sp = line.indexOf(' ');
      String stack = sp < 0 ? line : line.substring(0, sp);
      if (stack.isEmpty() || stack.equals("<no")) {
        continue;
      }
      Instant created = sp < 0 ? null : parse(line.substring(sp + 1).strip());
      byName.merge(stack, new Stack(stack, created, running), (a, b) -> new Stack(stack, earlier(a.createdAt(),
          b.createdAt()), a.running() || b.running()));
    }
  }

  private List<String> ids(String... args) {
    List<String> argv = new ArrayList<>(List.of(docker));
    argv.addAll(List.of(args));
    return runner.run(Command.of(argv).withTimeout(timeout)).requireSuccess().stdout().lines().map(String::strip)
        .filter(l -> !l.isEmpty()).toList();
  }

  private static Instant earlier(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  static Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return null; // unknown age: the age fallback then keeps the stack
      }
    }
  }
}
