package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stack's changes read from one {@code docker events} process (containers and services, JSON lines), started with
 * {@code --since} a moment before it was asked for so that nothing between the caller's first look and the stream's
 * subscription is lost. The engine's own filters cannot say "containers labelled with the stack, or its services"
 * in one stream (different filter keys are ANDed, and service events carry no labels), so the stack is matched here.
 * A stream that cannot start or ends (engine restart, the process killed on a CI cancel) is no error: the wait then
 * polls, as it did before events existed.
 */
final class DockerEventStream implements StackEvents {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEventStream.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Container actions that can change a look's verdict; {@code exec_*} (every healthcheck run, each second) and
   * mounts cannot, and would only wake the wait for nothing.
   */
  private static final Set<String> CONTAINER_ACTIONS = Set.of("create", "start", "die", "kill", "stop", "destroy", "oom");
  /** How far back the stream starts: covers the docker CLI's own start and subscription. */
  private static final Duration LOOK_BACK = Duration.ofSeconds(1);
  /** Past the wait's bound (whole seconds on the engine's clock): the wait ends first, never the stream. */
  private static final Duration UNTIL_MARGIN = Duration.ofSeconds(2);

  private final String stack;
  private final Semaphore changes = new Semaphore(0);
  private final Process process;
  private volatile boolean live = true;

  private DockerEventStream(String stack, Process process) {
    this.stack = stack;
    this.process = process;
  }

  /**
   * Starts the stream for {@code stack}, lasting at most {@code bound} (the wait's own bound); {@link
   * StackEvents#NONE} when the docker CLI cannot be started.
   */
  static StackEvents open(String docker, String stack, Duration bound) {
    Instant now = Instant.now();
    long since = now.minus(LOOK_BACK).getEpochSecond();
    // --until ends the process by itself once the wait is over, even when nobody closes it: a JVM killed mid-wait
    // (SIGKILL on a CI cancel) would otherwise leave it running until its next write to the closed pipe.
    long until = now.plus(bound).plus(UNTIL_MARGIN).getEpochSecond();
    ProcessBuilder pb = new ProcessBuilder(List.of(docker, "events", "--since", Long.toString(since),
        "--until", Long.toString(until),
        "--filter", "type=container", "--filter", "type=service", "--format", "{{json .}}"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      LOG.debug("no docker events for {} ({}); polling", stack, e.getMessage());
      return NONE;
    }
    DockerEventStream s = new DockerEventStream(stack, p);
    Thread reader = new Thread(s::read, "warm-docker-events-" + stack);
    reader.setDaemon(true);
    reader.start();
    return s;
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (relevant(line, stack)) {
          changes.release();
        }
      }
    } catch (IOException e) {
      LOG.debug("docker events for {} ended: {}", stack, e.getMessage());
    } finally {
      live = false;
      changes.release(); // a waiter wakes, sees the stream gone, and polls from now on
    }
  }

  /**
   * Whether one {@code docker events} JSON line is a change of {@code stack} that can change a look's verdict: an
   * action of a container labelled with the stack, or any action of one of its services ({@code <stack>_<name>}).
   */
  static boolean relevant(String line, String stack) {
    JsonNode e;
    try {
      e = JSON.readTree(line);
    } catch (IOException ex) {
      return false;
    }
    JsonNode attrs = e.path("Actor").path("Attributes");
    String action = e.path("Action").asText("");
    switch (e.path("Type").asText("")) {
      case "container":
        return stack.equals(attrs.path(DockerCli.NAMESPACE).asText(null))
            && (action.startsWith("health_status") || CONTAINER_ACTIONS.contains(action));
      case "service":
        return attrs.path("name").asText("").startsWith(stack + "_");
      default:
        return false;
    }
  }

  @Override
  public boolean await(Duration max) throws InterruptedException {
    boolean woken = changes.tryAcquire(max.toNanos(), TimeUnit.NANOSECONDS);
    changes.drainPermits(); // changes that arrived together need one look, not one each
    return woken;
  }

  @Override
  public boolean live() {
    return live;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
