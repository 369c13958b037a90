package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the adapters read of Docker's JSON, parsed right where it is read ({@link DockerCli}) into small values, so
 * no Jackson type leaves the adapter. Each factory takes one {@code --format '{{json .}}'} object.
 */
final class SwarmObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SwarmObjects() {}

  /** A service of {@code docker service inspect}. */
  record Service(String id, String name, Map<String, String> labels, UpdateStatus update, int replicas,
      SpecFields spec, RestartPolicy restart, String failureAction) {
    Service {
      labels = Map.copyOf(labels);
    }

    /** {@code UpdateStatus.State}; empty when the service was never updated. */
    String updateState() {
      return update.state();
    }

    /**
     * Whether Swarm may still put the previous spec back on its own while an update runs: {@code
     * update_config.failure_action: rollback} ({@code Spec.UpdateConfig.FailureAction}; unset means Docker's default,
     * {@code pause}, which keeps the new spec).
     */
    boolean rollsBackOnFailure() {
      return "rollback".equals(failureAction);
    }

    /** The image the service wants now. */
    String image() {
      Object image = spec.values().get("Image");
      return image == null ? "" : image.toString();
    }

    static Service of(JsonNode n) {
      JsonNode spec = n.path("Spec");
      JsonNode mode = spec.path("Mode");
      // Global services run one task on this single node; replicated ones say how many.
      int replicas = mode.has("Replicated") ? mode.path("Replicated").path("Replicas").asInt(1) : 1;
      return new Service(n.path("ID").asText(""), spec.path("Name").asText(""), strings(spec.path("Labels")),
          UpdateStatus.of(n.path("UpdateStatus")), replicas,
          SpecFields.of(spec.path("TaskTemplate").path("ContainerSpec")),
          RestartPolicy.of(spec.path("TaskTemplate").path("RestartPolicy")),
          spec.path("UpdateConfig").path("FailureAction").asText(""));
    }
  }

  /** {@code UpdateStatus} of a service: the state of its last update or rollback, when it started, Swarm's words. */
  record UpdateStatus(String state, Optional<Instant> startedAt, String message) {
    static UpdateStatus of(JsonNode u) {
      String started = u.path("StartedAt").asText("");
      Optional<Instant> at;
      try {
        at = started.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(started));
      } catch (DateTimeParseException e) {
        at = Optional.empty();
      }
      return new UpdateStatus(u.path("State").asText(""), at, u.path("Message").asText(""));
    }
  }

  /**
   * {@code TaskTemplate.RestartPolicy}: when Swarm starts a new task after one ended ({@code any} when unset, Docker's
   * default) and at most how often ({@code 0}: unlimited).
   */
  record RestartPolicy(String condition, long maxAttempts) {
    static RestartPolicy of(JsonNode p) {
      return new RestartPolicy(p.path("Condition").asText("any").isEmpty() ? "any" : p.path("Condition").asText("any"),
          p.path("MaxAttempts").asLong(0));
    }

    /** Whether Swarm replaces every ended task, however it ended, without limit. */
    boolean restartsForever() {
      return "any".equals(condition) && maxAttempts == 0;
    }

    @Override
    public String toString() {
      return condition + (maxAttempts > 0 ? ", max_attempts " + maxAttempts : "");
    }
  }

  /**
   * A row of {@code docker service ps}: one task of a service, current or replaced. {@code slot} is the task's name
   * ({@code <service>.<slot>}), shared by every attempt of that slot.
   */
  record Task(String id, String slot, String currentState, String desiredState, String error, String image) {
    static Task of(JsonNode n) {
      return new Task(n.path("ID").asText(""), n.path("Name").asText(""), n.path("CurrentState").asText(""),
          n.path("DesiredState").asText(""), n.path("Error").asText(""), n.path("Image").asText(""));
    }
  }

  /** A task of {@code docker inspect --type task}: which container spec it runs. */
  record TaskSpec(String id, SpecFields spec) {
    static TaskSpec of(JsonNode n) {
      return new TaskSpec(n.path("ID").asText(""), SpecFields.of(n.path("Spec").path("ContainerSpec")));
    }
  }

  /** A container of {@code docker inspect}: running or not, its Swarm task, its healthcheck if it has one. */
  record Container(String id, boolean running, String taskId, Optional<Health> health, Optional<HealthCheck> check) {
    static Container of(JsonNode n) {
      JsonNode h = n.path("State").path("Health");
      Optional<Health> health = h.isMissingNode() || h.isNull() ? Optional.empty() : Optional.of(Health.of(h));
      return new Container(n.path("Id").asText(""), n.path("State").path("Running").asBoolean(false),
          n.path("Config").path("Labels").path("com.docker.swarm.task.id").asText(""), health,
          HealthCheck.of(n.path("Config")));
    }
  }

  /**
   * The command a container's healthcheck runs, as the engine runs it ({@code Config.Healthcheck}, the service's or
   * else the image's, merged by the engine at create): {@code CMD} argv as it is, {@code CMD-SHELL} through the
   * container's {@code Config.Shell} or {@code /bin/sh -c}; and its {@code timeout} (Docker's default 30 s when unset).
   */
  record HealthCheck(List<String> argv, Duration timeout) {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    HealthCheck {
      argv = List.copyOf(argv);
    }

    /** Empty when the container has no healthcheck, {@code NONE}, or a form this does not know. */
    static Optional<HealthCheck> of(JsonNode config) {
      JsonNode hc = config.path("Healthcheck");
      List<String> test = strings(hc.path("Test"));
      if (test.size() < 2) {
        return Optional.empty();
      }
      List<String> argv;
      if ("CMD".equals(test.get(0))) {
        argv = test.subList(1, test.size());
      } else if ("CMD-SHELL".equals(test.get(0))) {
        List<String> shell = strings(config.path("Shell"));
        argv = new ArrayList<>(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
        argv.add(String.join(" ", test.subList(1, test.size())));
      } else {
        return Optional.empty();
      }
      long nanos = hc.path("Timeout").asLong(0);
      return Optional.of(new HealthCheck(argv, nanos > 0 ? Duration.ofNanos(nanos) : DEFAULT_TIMEOUT));
    }

    private static List<String> strings(JsonNode array) {
      List<String> out = new ArrayList<>();
      if (array.isArray()) {
        array.forEach(e -> out.add(e.asText()));
      }
      return out;
    }
  }

  /** A container's healthcheck state and its last probe, if any ran. */
  record Health(String status, Optional<Integer> lastExitCode, String lastOutput) {
    static Health of(JsonNode h) {
      JsonNode log = h.path("Log");
      if (log.isArray() && log.size() > 0) {
        JsonNode e = log.get(log.size() - 1);
        return new Health(h.path("Status").asText(""), Optional.of(e.path("ExitCode").asInt()),
            e.path("Output").asText(""));
      }
      return new Health(h.path("Status").asText(""), Optional.empty(), "");
    }
  }

  /**
   * The fields of a container spec that a deploy changes, as plain Java values (maps compare regardless of key
   * order). Only these are compared: the engine serialises defaults (stop grace period, DNS config) differently in
   * task and service specs.
   */
  record SpecFields(Map<String, Object> values) {
    static final List<String> KEYS =
        List.of("Image", "Command", "Args", "Env", "Labels", "Mounts", "Secrets", "Configs", "User", "Dir");

    static SpecFields of(JsonNode containerSpec) {
      Map<String, Object> v = new LinkedHashMap<>();
      for (String k : KEYS) {
        JsonNode node = containerSpec.path(k);
        if (!node.isMissingNode()) {
          v.put(k, JSON.convertValue(node, Object.class));
        }
      }
      return new SpecFields(Collections.unmodifiableMap(v));
    }
  }

  /** A JSON object of strings (labels) as a map; anything else is empty. */
  static Map<String, String> strings(JsonNode obj) {
    Map<String, String> m = new LinkedHashMap<>();
    if (obj.isObject()) {
      obj.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText("")));
    }
    return m;
  }
}
