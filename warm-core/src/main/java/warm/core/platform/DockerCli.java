package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.platform.SwarmObjects.Container;
import warm.core.platform.SwarmObjects.HealthCheck;
import warm.core.platform.SwarmObjects.Service;
import warm.core.platform.SwarmObjects.Task;
import warm.core.platform.SwarmObjects.TaskSpec;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * Reads (and for the swarm adapter, changes) Swarm state through the {@code docker} CLI, asking for JSON
 * ({@code --format '{{json .}}'}) and parsing it into small records right here ({@link SwarmObjects}), never docker's
 * human tables. Callers outside this package see only the constructor and the few questions they ask
 * ({@link #containersUsing}, {@link #engine}); everything else is the adapters' own.
 *
 * <p>{@link #withEngineApi()} moves the reads (never the changes: {@code stack deploy}, {@code rm} …) to the Engine
 * API on the unix socket the CLI itself talks to ({@link EngineReads}): the same answers without a process start
 * each. A CLI whose endpoint is not a unix socket keeps every read.
 */
public final class DockerCli {
  static final String NAMESPACE = "com.docker.stack.namespace";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The shortest bound a healthcheck run gets (a wait's last moments still get one real try). */
  private static final Duration MIN_CHECK = Duration.ofMillis(500);

  private final ProcessRunner runner;
  private final String docker;
  private final Duration timeout;
  /** Answers the reads when the CLI's endpoint is a unix socket; null: the CLI answers them. */
  private final EngineReads api;

  /**
   * A docker CLI.
   *
   * @param runner runs the commands
   * @param docker the executable (config key {@code docker})
   * @param timeout the bound of each command
   */
  public DockerCli(ProcessRunner runner, String docker, Duration timeout) {
    this(runner, docker, timeout, null);
  }

  DockerCli(ProcessRunner runner, String docker, Duration timeout, EngineReads api) {
    this.runner = runner;
    this.docker = docker;
    this.timeout = timeout;
    this.api = api;
  }

  /**
   * This CLI with its reads moved to the Engine API, when the CLI's own endpoint ({@code docker context inspect}:
   * {@code DOCKER_HOST}, {@code -H} in a wrapper, the current context) is a unix socket; else this CLI unchanged —
   * also when the executable cannot run or is too old to know contexts: {@link #requireSwarm} then says so.
   */
  public DockerCli withEngineApi() {
    ProcessResult r;
    try {
      r = attempt("context", "inspect", "--format", "{{json .Endpoints.docker.Host}}");
    } catch (WarmException e) {
      return this;
    }
    if (!r.ok()) {
      return this;
    }
    String host;
    try {
      host = JSON.readTree(r.stdout().strip()).asText("");
    } catch (IOException e) {
      return this;
    }
    return EngineApi.at(host, timeout).map(a -> new DockerCli(runner, docker, timeout, new EngineReads(a)))
        .orElse(this);
  }

  /**
   * Where the reads go.
   *
   * @return the Engine API's socket ({@code unix:///var/run/docker.sock}), or {@code cli}
   */
  public String readsVia() {
    return api == null ? "cli" : api.host();
  }

  /** Fails with one clear line (exit 4) when no Docker engine answers or Swarm is not active. */
  void requireSwarm() {
    if (api != null) {
      requireActive(api.swarmState()); // a dead socket fails inside, naming it
      return;
    }
    ProcessResult r = runner.run(cmd("info", "--format", "{{json .Swarm.LocalNodeState}}"));
    if (!r.ok()) {
      throw WarmException.infra("no Docker engine answers ('docker info' failed: " + r.outputTail()
          + "); start dockerd (scripts/testbed.sh does)");
    }
    requireActive(r.stdout().strip().replace("\"", ""));
  }

  private static void requireActive(String state) {
    if (!"active".equals(state)) {
      throw WarmException.infra("Docker Swarm is not active on this node (state '" + state
          + "'); run 'docker swarm init'");
    }
  }

  /** Runs {@code docker args…}, failing (exit 4) on a non-zero exit with docker's output in the message. */
  String run(String... args) {
    return runner.run(cmd(args)).requireSuccess().stdout();
  }

  /** Runs {@code docker args…} and returns the result without judging it. */
  ProcessResult attempt(String... args) {
    return runner.run(cmd(args));
  }

  /** Runs a prepared docker command (extra env, dir, stdin) and requires success. */
  ProcessResult run(Command c) {
    return runner.run(c).requireSuccess();
  }

  /** A docker command with this CLI's executable and default timeout. */
  Command cmd(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(docker);
    argv.addAll(Arrays.asList(args));
    return Command.of(argv).withTimeout(timeout);
  }

  /**
   * The stack's changes, as they happen, from a {@code docker events} stream (close it when done; it ends by itself
   * after {@code bound}).
   */
  StackEvents events(String stack, Duration bound) {
    return DockerEventStream.open(docker, stack, bound);
  }

  /** The stack's services ({@code docker service inspect}). */
  List<Service> services(String stack) {
    if (api != null) {
      return api.services(stack);
    }
    List<String> ids = lines(run("service", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("service", "inspect", "--format", "{{json .}}"));
    args.addAll(ids);
    ProcessResult r = attempt(args.toArray(String[]::new));
    // A service removed between ls and inspect makes inspect fail for that id; read what it printed.
    return jsonLines(r.stdout()).stream().map(Service::of).toList();
  }

  /**
   * Whether any service of the stack exists ({@code docker service ls --filter label=<namespace>=<stack> -q}
   * answers something) — one list request, without inspecting each service.
   *
   * @param stack a stack name; a longer name sharing its prefix is another stack
   * @return true while the stack has a service
   */
  public boolean hasServices(String stack) {
    if (api != null) {
      return api.hasServices(stack);
    }
    return !lines(run("service", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack)).isEmpty();
  }

  /** Container ids (running or not) that belong to the stack. */
  List<String> containers(String stack, boolean includeStopped) {
    if (api != null) {
      return api.containerIds(Map.of("label", List.of(NAMESPACE + "=" + stack)), includeStopped);
    }
    List<String> args = new ArrayList<>(List.of("ps", "-q", "--no-trunc", "--filter", "label=" + NAMESPACE + "=" + stack));
    if (includeStopped) {
      args.add(1, "-a");
    }
    return lines(run(args.toArray(String[]::new)));
  }

  /**
   * Removes the stack's containers that have stopped (exited, dead or never started). Only called once the stack's
   * services are gone: Swarm's agent would remove them a few seconds later anyway.
   */
  void removeStoppedContainers(String stack) {
    List<String> ids = new ArrayList<>();
    if (api != null) {
      // One question: the engine ORs the values of one filter key.
      ids.addAll(api.containerIds(Map.of("label", List.of(NAMESPACE + "=" + stack),
          "status", List.of("exited", "dead", "created")), true));
    } else {
      for (String status : List.of("exited", "dead", "created")) {
        ids.addAll(lines(run("ps", "-aq", "--no-trunc", "--filter", "label=" + NAMESPACE + "=" + stack,
            "--filter", "status=" + status)));
      }
    }
    if (!ids.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm"));
      args.addAll(ids);
      attempt(args.toArray(String[]::new)); // racing the agent's own removal is fine: what is gone is gone
    }
  }

  /** The service's containers ({@code docker inspect}), running or not. */
  List<Container> containersOf(String serviceName) {
    if (api != null) {
      return api.inspectContainers(
          api.containerIds(Map.of("label", List.of("com.docker.swarm.service.name=" + serviceName)), false));
    }
    List<String> ids = lines(run("ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + serviceName));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("inspect", "--format", "{{json .}}"));
    args.addAll(ids);
    return jsonLines(attempt(args.toArray(String[]::new)).stdout()).stream().map(Container::of).toList();
  }

  /**
   * Runs a container's healthcheck command in it once, as the engine's own probe runs it ({@code docker exec}: the
   * container's user, working directory and environment, no stdin), bounded by the check's timeout and by
   * {@code bound}.
   *
   * @return whether it exited 0 in time
   */
  boolean healthcheckPasses(String containerId, HealthCheck check, Duration bound) {
    List<String> args = new ArrayList<>(List.of("exec", containerId));
    args.addAll(check.argv());
    Duration atLeast = bound.compareTo(MIN_CHECK) < 0 ? MIN_CHECK : bound;
    Duration limit = check.timeout().compareTo(atLeast) < 0 ? check.timeout() : atLeast;
    return runner.run(cmd(args.toArray(String[]::new)).withTimeout(limit)).ok();
  }

  /** Tasks of a service ({@code docker service ps}), each slot's newest first; empty when the service is gone. */
  List<Task> tasks(String serviceName) {
    if (api != null) {
      return api.tasks(serviceName);
    }
    ProcessResult r = attempt("service", "ps", "--no-trunc", "--format", "{{json .}}", serviceName);
    return r.ok() ? jsonLines(r.stdout()).stream().map(Task::of).toList() : List.of();
  }

  /** {@code docker inspect --type task} of the given task ids (those still known to Swarm). */
  List<TaskSpec> inspectTasks(List<String> taskIds) {
    if (taskIds.isEmpty()) {
      return List.of();
    }
    if (api != null) {
      return api.inspectTasks(taskIds);
    }
    List<String> args = new ArrayList<>(List.of("inspect", "--type", "task", "--format", "{{json .}}"));
    args.addAll(taskIds);
    return jsonLines(attempt(args.toArray(String[]::new)).stdout()).stream().map(TaskSpec::of).toList();
  }

  /**
   * {@code docker stack rm}. Returns before Swarm has removed the tasks (wait with {@link StackHealth#awaitGone});
   * a failure that only says Swarm is already removing the stack is progress, any other fails with docker's output.
   */
  void removeStack(String stack) {
    SwarmRemoval.requireDoneOrInProgress(attempt("stack", "rm", stack));
  }

  /**
   * {@code docker network rm}, tolerating the errors of a removal in progress like {@link #removeStack}.
   *
   * @return what a tolerated failure said, empty after a success
   */
  Optional<String> removeNetwork(String network) {
    return SwarmRemoval.requireDoneOrInProgress(attempt("network", "rm", network));
  }

  /**
   * Containers, running or stopped, of any stack or none, that mount the named volume.
   *
   * @param volume a volume name
   * @return their ids, empty when none does
   */
  public List<String> containersUsing(String volume) {
    if (api != null) {
      return api.containerIds(Map.of("volume", List.of(volume)), true).stream().map(EngineReads::shortId).toList();
    }
    return lines(run("ps", "-aq", "--filter", "volume=" + volume));
  }

  /**
   * The engine and this node's Swarm state ({@code docker info}).
   *
   * @return what the engine says; empty strings for what it does not
   */
  public DockerEngine engine() {
    JsonNode n;
    if (api != null) {
      n = api.info();
    } else {
      List<JsonNode> info = jsonLines(run("info", "--format", "{{json .}}"));
      n = info.isEmpty() ? JSON.createObjectNode() : info.get(0);
    }
    JsonNode swarm = n.path("Swarm");
    return new DockerEngine(n.path("ServerVersion").asText(""), swarm.path("LocalNodeState").asText(""),
        swarm.path("NodeID").asText(""), swarm.path("ControlAvailable").asBoolean(false));
  }

  /** Networks of the stack. */
  List<String> networks(String stack) {
    if (api != null) {
      return api.networkIds(Map.of("label", List.of(NAMESPACE + "=" + stack)));
    }
    return lines(run("network", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack));
  }

  /** Volumes of the stack with their mountpoints. */
  List<VolumeInfo> volumes(String stack) {
    List<JsonNode> found;
    if (api != null) {
      found = api.volumes(Map.of("label", List.of(NAMESPACE + "=" + stack)));
    } else {
      List<String> names = lines(run("volume", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack));
      if (names.isEmpty()) {
        return List.of();
      }
      List<String> args = new ArrayList<>(List.of("volume", "inspect", "--format", "{{json .}}"));
      args.addAll(names);
      found = jsonLines(run(args.toArray(String[]::new)));
    }
    List<VolumeInfo> out = new ArrayList<>();
    for (JsonNode n : found) {
      // The label is checked again here: `volume ls --filter` is a prefix-free exact match, but be explicit.
      if (stack.equals(n.path("Labels").path(NAMESPACE).asText(null))) {
        out.add(new VolumeInfo(n.path("Name").asText(), dataDir(n)));
      }
    }
    out.sort(Comparator.comparing(VolumeInfo::name));
    return List.copyOf(out);
  }

  /**
   * Where a volume's data lives. A local-driver volume bound to a directory ({@code type=none}, {@code o=bind},
   * absolute {@code device}) keeps it in that directory: docker's Mountpoint holds it only while a container uses the
   * volume (the driver bind-mounts the device there on first use and unmounts it after the last), and is an empty
   * directory on the root filesystem otherwise — exactly when snapshot and restore run.
   */
  static Path dataDir(JsonNode volume) {
    JsonNode opts = volume.path("Options");
    String device = opts.path("device").asText("");
    boolean bind = "local".equals(volume.path("Driver").asText())
        && Arrays.asList(opts.path("o").asText("").split(",")).contains("bind");
    if (bind && device.startsWith("/")) {
      return Path.of(device);
    }
    return Path.of(volume.path("Mountpoint").asText());
  }

  /**
   * Creates an empty local volume labelled as the stack's, the way {@code docker stack deploy} would: for a restore
   * into a volume that was removed (a later deploy of the stack reuses it).
   *
   * @param name the volume's full name ({@code <stack>_<volume>})
   * @param stack the stack it belongs to
   */
  void createStackVolume(String name, String stack) {
    run("volume", "create", "--label", NAMESPACE + "=" + stack, name);
  }

  /** Secret names that exist and start with the given prefix. */
  List<String> secretNames(String prefix) {
    if (api != null) {
      return api.secretNames(prefix).stream().filter(n -> n.startsWith(prefix)).toList();
    }
    return lines(run("secret", "ls", "--format", "{{.Name}}", "--filter", "name=" + prefix)).stream()
        .filter(n -> n.startsWith(prefix)).toList();
  }

  static List<String> lines(String out) {
    return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  static List<JsonNode> jsonLines(String out) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : lines(out)) {
      try {
        nodes.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new WarmException(ExitCode.INFRA, "unexpected output from docker (not JSON): " + line, e);
      }
    }
    return nodes;
  }
}
