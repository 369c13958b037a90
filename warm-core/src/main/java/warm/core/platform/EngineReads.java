package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import warm.core.WarmException;
import warm.core.platform.SwarmObjects.Container;
import warm.core.platform.SwarmObjects.Service;
import warm.core.platform.SwarmObjects.Task;
import warm.core.platform.SwarmObjects.TaskSpec;

/**
 * {@link DockerCli}'s read questions answered by the Engine API ({@link EngineApi}) instead of the CLI: the same
 * records, in the same order, with the same ids (short where the CLI's {@code -q} prints short ones) — so callers
 * cannot tell which answered. {@code EngineReadsIT} asks both of a real stack and compares.
 */
final class EngineReads {
  private final EngineApi api;

  EngineReads(EngineApi api) {
    this.api = api;
  }

  /** The socket the answers come from, as a docker host string. */
  String host() {
    return api.host();
  }

  /** {@code docker info}'s {@code Swarm.LocalNodeState}. */
  String swarmState() {
    return info().path("Swarm").path("LocalNodeState").asText("");
  }

  /** {@code docker info} as JSON. */
  JsonNode info() {
    return api.get("/info").orElseThrow(() -> notFound("/info"));
  }

  /**
   * {@code docker service ls --filter label=…} then {@code service inspect}, sorted by name as the CLI lists them.
   * Each service is asked for again by id with {@code insertDefaults}: the CLI's inspect does that, and the list
   * leaves e.g. {@code UpdateConfig.FailureAction} out where Docker's default applies.
   */
  List<Service> services(String stack) {
    List<Service> out = new ArrayList<>();
    for (JsonNode n : array("/services?" + EngineApi.filters(Map.of("label", List.of(DockerCli.NAMESPACE + "=" + stack))))) {
      // One removed between the list and the inspect is left out, as the CLI's failed inspect of it is.
      api.get("/services/" + EngineApi.segment(n.path("ID").asText("")) + "?insertDefaults=true").map(Service::of)
          .ifPresent(out::add);
    }
    out.sort(Comparator.comparing(Service::name));
    return List.copyOf(out);
  }

  /** {@code docker service ls -q --filter label=…}: whether any service carries the stack's namespace label. */
  boolean hasServices(String stack) {
    return array("/services?" + EngineApi.filters(Map.of("label", List.of(DockerCli.NAMESPACE + "=" + stack))))
        .iterator().hasNext();
  }

  /**
   * {@code docker ps [-a] -q --no-trunc} with the given filters: full container ids, running only unless {@code all}.
   */
  List<String> containerIds(Map<String, List<String>> filters, boolean all) {
    List<String> ids = new ArrayList<>();
    for (JsonNode n : array("/containers/json?" + (all ? "all=1&" : "") + EngineApi.filters(filters))) {
      ids.add(n.path("Id").asText(""));
    }
    return List.copyOf(ids);
  }

  /** {@code docker inspect} of containers; those gone meanwhile are left out, as the CLI's failure for them is. */
  List<Container> inspectContainers(List<String> ids) {
    List<Container> out = new ArrayList<>();
    for (String id : ids) {
      api.get("/containers/" + EngineApi.segment(id) + "/json").map(Container::of).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * {@code docker service ps --no-trunc --format '{{json .}}' <service>}: each task as the CLI prints it — named
   * {@code <service>.<slot>}, states capitalised, the error in double quotes, the current state with its age — sorted
   * by name, each slot's newest first. Empty when the service does not exist (the CLI fails then, and the adapter reads
   * that as none).
   */
  List<Task> tasks(String serviceName) {
    Optional<JsonNode> tasks = api.get("/tasks?" + EngineApi.filters(Map.of("service", List.of(serviceName))));
    if (tasks.isEmpty() || !tasks.get().isArray()) {
      return List.of();
    }
    record Row(Task task, Instant created) {}
    List<Row> rows = new ArrayList<>();
    Instant now = Instant.now();
    for (JsonNode t : tasks.get()) {
      long slot = t.path("Slot").asLong(0);
      String name = serviceName + "." + (slot != 0 ? Long.toString(slot) : t.path("NodeID").asText(""));
      JsonNode status = t.path("Status");
      String current = capitalised(status.path("State").asText("")) + " " + age(instant(status.path("Timestamp")), now);
      rows.add(new Row(new Task(t.path("ID").asText(""), name, current, capitalised(t.path("DesiredState").asText("")),
          quoted(status.path("Err").asText("")), t.path("Spec").path("ContainerSpec").path("Image").asText("")),
          instant(t.path("CreatedAt"))));
    }
    rows.sort(Comparator.comparing((Row r) -> r.task().slot()).thenComparing(Row::created, Comparator.reverseOrder()));
    return rows.stream().map(Row::task).toList();
  }

  /** {@code docker inspect --type task}; tasks Swarm no longer knows are left out. */
  List<TaskSpec> inspectTasks(List<String> taskIds) {
    List<TaskSpec> out = new ArrayList<>();
    for (String id : taskIds) {
      api.get("/tasks/" + EngineApi.segment(id)).map(TaskSpec::of).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /** {@code docker network ls -q --filter …}: short ids, as {@code -q} prints them. */
  List<String> networkIds(Map<String, List<String>> filters) {
    List<String> ids = new ArrayList<>();
    for (JsonNode n : array("/networks?" + EngineApi.filters(filters))) {
      ids.add(shortId(n.path("Id").asText("")));
    }
    return List.copyOf(ids);
  }

  /** {@code docker volume ls --filter …} then {@code volume inspect}: the volumes' JSON. */
  List<JsonNode> volumes(Map<String, List<String>> filters) {
    JsonNode answer = api.get("/volumes?" + EngineApi.filters(filters)).orElseThrow(() -> notFound("/volumes"));
    List<JsonNode> out = new ArrayList<>();
    answer.path("Volumes").forEach(out::add);
    return out;
  }

  /** {@code docker secret ls --format '{{.Name}}' --filter name=<prefix>}. */
  List<String> secretNames(String prefix) {
    List<String> names = new ArrayList<>();
    for (JsonNode n : array("/secrets?" + EngineApi.filters(Map.of("name", List.of(prefix))))) {
      names.add(n.path("Spec").path("Name").asText(""));
    }
    return List.copyOf(names);
  }

  /** The 12-character form the CLI prints without {@code --no-trunc}. */
  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }

  private Iterable<JsonNode> array(String path) {
    JsonNode n = api.get(path).orElseThrow(() -> notFound(path));
    return n.isArray() ? n : List.of();
  }

  /** A list or info endpoint the engine does not know: an engine far from the ones this was written for. */
  private static WarmException notFound(String path) {
    return WarmException.infra("the Docker engine does not know GET " + path + " (HTTP 404)");
  }

  /** The CLI prints a task's error in double quotes (its task formatter), none when there is none. */
  static String quoted(String err) {
    return err.isEmpty() ? err : "\"" + err + "\"";
  }

  /** The CLI's {@code PrettyPrint} of a state: its first letter upper-case. */
  static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static Instant instant(JsonNode n) {
    try {
      return Instant.parse(n.asText(""));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** An age in the CLI's words ({@code 3 seconds ago}), for messages: the adapter reads only the state before it. */
  static String age(Instant at, Instant now) {
    long s = Math.max(0, Duration.between(at, now).toSeconds());
    if (s < 60) {
      return (s <= 1 ? "1 second" : s + " seconds") + " ago";
    }
    long m = s / 60;
    if (m < 60) {
      return (m == 1 ? "1 minute" : m + " minutes") + " ago";
    }
    long h = m / 60;
    return (h == 1 ? "1 hour" : h + " hours") + " ago";
  }
}
