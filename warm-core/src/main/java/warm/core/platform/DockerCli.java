package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * Reads (and for the swarm adapter, changes) Swarm state through the {@code docker} CLI, asking for JSON
 * ({@code --format '{{json .}}'}) and parsing it, never docker's human tables.
 */
public final class DockerCli {
  static final String NAMESPACE = "com.docker.stack.namespace";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProcessRunner runner;
  private final String docker;
  private final Duration timeout;

  public DockerCli(ProcessRunner runner, String docker, Duration timeout) {
    this.runner = runner;
    this.docker = docker;
    this.timeout = timeout;
  }

  /** Fails with one clear line (exit 4) when no Docker engine answers or Swarm is not active. */
  public void requireSwarm() {
    ProcessResult r = runner.run(cmd("info", "--format", "{{json .Swarm.LocalNodeState}}"));
    if (!r.ok()) {
      throw WarmException.infra("no Docker engine answers ('docker info' failed: " + r.outputTail()
          + "); start dockerd (scripts/testbed.sh does)");
    }
    String state = r.stdout().strip().replace("\"", "");
    if (!"active".equals(state)) {
      throw WarmException.infra("Docker Swarm is not active on this node (state '" + state
          + "'); run 'docker swarm init'");
    }
  }

  /** Runs {@code docker args…}, failing (exit 4) on a non-zero exit with docker's output in the message. */
  public String run(String... args) {
    return runner.run(cmd(args)).requireSuccess().stdout();
  }

  /** Runs {@code docker args…} and returns the result without judging it. */
  public ProcessResult attempt(String... args) {
    return runner.run(cmd(args));
  }

  /** Runs a prepared docker command (extra env, dir, stdin) and requires success. */
  public ProcessResult run(Command c) {
    return runner.run(c).requireSuccess();
  }

  /** A docker command with this CLI's executable and default timeout. */
  public Command cmd(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(docker);
    argv.addAll(Arrays.asList(args));
    return Command.of(argv).withTimeout(timeout);
  }

  /** Service specs ({@code docker service inspect}) of the stack's services. */
  public List<JsonNode> services(String stack) {
    List<String> ids = lines(run("service", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("service", "inspect", "--format", "{{json .}}"));
    args.addAll(ids);
    ProcessResult r = attempt(args.toArray(String[]::new));
    // A service removed between ls and inspect makes inspect fail for that id; read what it printed.
    return jsonLines(r.stdout());
  }

  /** Container ids (running or not) that belong to the stack. */
  public List<String> containers(String stack, boolean includeStopped) {
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
  public void removeStoppedContainers(String stack) {
    List<String> ids = new ArrayList<>();
    for (String status : List.of("exited", "dead", "created")) {
      ids.addAll(lines(run("ps", "-aq", "--no-trunc", "--filter", "label=" + NAMESPACE + "=" + stack,
          "--filter", "status=" + status)));
    }
    if (!ids.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm"));
      args.addAll(ids);
      attempt(args.toArray(String[]::new)); // racing the agent's own removal is fine: what is gone is gone
    }
  }

  /** {@code docker inspect} of the service's containers, keyed by container id. */
  public Map<String, JsonNode> containersOf(String serviceName) {
    List<String> ids = lines(run("ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + serviceName));
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<String> args = new ArrayList<>(List.of("inspect", "--format", "{{json .}}"));
    args.addAll(ids);
    for (JsonNode n : jsonLines(attempt(args.toArray(String[]::new)).stdout())) {
      out.put(n.path("Id").asText(), n);
    }
    return out;
  }

  /** Tasks of a service ({@code docker service ps}) as JSON rows: CurrentState, DesiredState, Error. */
  public List<JsonNode> tasks(String serviceName) {
    ProcessResult r = attempt("service", "ps", "--no-trunc", "--format", "{{json .}}", serviceName);
    return r.ok() ? jsonLines(r.stdout()) : List.of();
  }

  /** {@code docker inspect --type task} of the given task ids (those still known to Swarm). */
  public List<JsonNode> inspectTasks(List<String> taskIds) {
    if (taskIds.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("inspect", "--type", "task", "--format", "{{json .}}"));
    args.addAll(taskIds);
    return jsonLines(attempt(args.toArray(String[]::new)).stdout());
  }

  /**
   * {@code docker stack rm}. Returns before Swarm has removed the tasks (wait with {@link StackHealth#awaitGone});
   * a failure that only says Swarm is already removing the stack is progress, any other fails with docker's output.
   */
  void removeStack(String stack) {
    SwarmRemoval.requireDoneOrInProgress(attempt("stack", "rm", stack));
  }

  /** {@code docker network rm}, tolerating the errors of a removal in progress like {@link #removeStack}. */
  void removeNetwork(String network) {
    SwarmRemoval.requireDoneOrInProgress(attempt("network", "rm", network));
  }

  /** Networks of the stack. */
  public List<String> networks(String stack) {
    return lines(run("network", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack));
  }

  /** Volumes of the stack with their mountpoints. */
  public List<VolumeInfo> volumes(String stack) {
    List<String> names = lines(run("volume", "ls", "-q", "--filter", "label=" + NAMESPACE + "=" + stack));
    if (names.isEmpty()) {
      return List.of();
    }
    List<String> args = new ArrayList<>(List.of("volume", "inspect", "--format", "{{json .}}"));
    args.addAll(names);
    List<VolumeInfo> out = new ArrayList<>();
    for (JsonNode n : jsonLines(run(args.toArray(String[]::new)))) {
      // The label is checked again here: `volume ls --filter` is a prefix-free exact match, but be explicit.
      if (stack.equals(n.path("Labels").path(NAMESPACE).asText(null))) {
        out.add(new VolumeInfo(n.path("Name").asText(), Path.of(n.path("Mountpoint").asText())));
      }
    }
    out.sort(java.util.Comparator.comparing(VolumeInfo::name));
    return List.copyOf(out);
  }

  /** Secret names that exist and start with the given prefix. */
  public List<String> secretNames(String prefix) {
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
