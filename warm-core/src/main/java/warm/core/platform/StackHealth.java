package warm.core.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.WarmException;
import warm.core.platform.SwarmObjects.Container;
import warm.core.platform.SwarmObjects.Health;
import warm.core.platform.SwarmObjects.Service;
import warm.core.platform.SwarmObjects.Task;
import warm.core.platform.SwarmObjects.TaskSpec;

/**
 * Whether a stack has converged and is healthy, and waiting (bounded) until it is — or until it is gone.
 *
 * <p>Converged means, for every service of the stack: no rollback is in flight ({@code UpdateStatus.State}
 * {@code rollback_started}), nor an update that Swarm may still roll back ({@code updating} under {@code
 * update_config.failure_action: rollback}); exactly the desired number of its containers run, each runs the
 * service's current container spec (a stop-first update that has not started yet still shows the old task running:
 * "N/N" alone is not convergence), and each container with a healthcheck reports {@code healthy}. An update still
 * {@code updating} under {@code pause}/{@code continue} whose every task already runs the new spec, healthy, is in
 * its {@code monitor} period only: Swarm watches the new tasks, and a failure it sees there pauses the update but keeps
 * the new spec, as a failure after the period would — so it is converged ({@code paused} can stay forever after one
 * flicker and is not in flight either). An optional HTTP probe of the app itself must then answer 2xx/3xx.
 */
final class StackHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StackHealth.class);
  private static final String UPDATING = "updating";
  private static final String ROLLING_BACK = "rollback_started";
  /** A container's health before its healthcheck first passed (or, within its start period, while it fails). */
  private static final String STARTING = "starting";
  /**
   * Pause between two looks. Each look is itself 3+ docker CLI calls (~0.1–0.3 s), so the wait notices a change
   * ~0.15 s sooner on average than with the former 0.5 s, at most ~5 docker calls a second on a 2-core host.
   */
  private static final Duration POLL = Duration.ofMillis(200);
  /**
   * Pause between two looks while the stack's events arrive: a look follows each change at once, so this only bounds
   * what no event announces — a task Swarm rejects or has not made a container for yet (a missing image: "Swarm gave
   * up" then ends the wait up to this much later) — and a stream that stopped without saying so.
   */
  private static final Duration EVENT_FALLBACK = Duration.ofSeconds(1);

  private final DockerCli docker;
  private final BiFunction<String, Duration, StackEvents> events;

  /** A health wait that polls every {@link #POLL}. */
  StackHealth(DockerCli docker) {
    this(docker, (stack, bound) -> StackEvents.NONE);
  }

  /**
   * A health wait that looks again when {@code events} (opened per wait, for one stack, lasting at most the wait's
   * bound) reports a change.
   */
  StackHealth(DockerCli docker, BiFunction<String, Duration, StackEvents> events) {
    this.docker = docker;
    this.events = events;
  }

  /**
   * One look at the stack; {@code terminal} when waiting longer cannot help; {@code soon} when the next look should
   * not wait for an event (a container whose healthcheck warm runs itself: no event says when that will pass).
   */
  record Observation(boolean healthy, String reason, boolean terminal, boolean soon) {
    Observation(boolean healthy, String reason, boolean terminal) {
      this(healthy, reason, terminal, false);
    }

    Observation(boolean healthy, String reason) {
      this(healthy, reason, false);
    }
  }

  /** Looks once: healthy, or why not (a running app's look: no deploy to judge a rollback against). */
  Observation observe(String stack) {
    return observe(stack, null);
  }

  /**
   * Looks once after a deploy that started at {@code since}: healthy, or why not — terminal when Swarm gave up on
   * it (see {@link #gaveUp}) or rolled back the update that deploy started.
   */
  Observation observe(String stack, Instant since) {
    return observe(stack, since, null);
  }

  /**
   * {@link #observe(String, Instant)}, where {@code ownChecksUntil} (a {@link System#nanoTime} deadline; null: never)
   * lets a running container of the current spec whose healthcheck Docker has not passed yet ({@code starting}) count
   * as healthy when that healthcheck's command, run by warm in it now, passes — see {@link #awaitHealthy(String,
   * Duration, Optional, Instant, boolean)}.
   */
  private Observation observe(String stack, Instant since, Long ownChecksUntil) {
    List<Service> services = docker.services(stack);
    if (services.isEmpty()) {
      return new Observation(false, "stack " + stack + " has no services");
    }
    for (Service svc : services) {
      String name = svc.name();
      if (ROLLING_BACK.equals(svc.updateState())) {
        return new Observation(false, name + ": update " + svc.updateState());
      }
      if (UPDATING.equals(svc.updateState()) && svc.rollsBackOnFailure()) {
        // Until the monitor period ends, a failing new task makes Swarm put the previous spec back: wait it out.
        return new Observation(false, name + ": update updating (failure_action rollback: Swarm may still put the "
            + "previous spec back until its monitor period ends)");
      }
      Optional<String> reverted = rolledBack(svc, since);
      if (reverted.isPresent()) {
        return new Observation(false, name + ": " + reverted.get(), true);
      }
      List<Container> running = docker.containersOf(name).stream().filter(Container::running).toList();
      if (running.size() != svc.replicas()) {
        List<Task> tasks = docker.tasks(name);
        Optional<String> missing = missingImage(tasks, svc.image());
        if (missing.isPresent()) {
          return new Observation(false, name + ": image " + missing.get() + " does not exist (Swarm rejected the task: "
              + "No such image)", true);
        }
        Optional<String> gaveUp = gaveUp(svc, tasks);
        if (gaveUp.isPresent()) {
          return new Observation(false, name + ": " + gaveUp.get(), true);
        }
        return new Observation(false, name + ": " + running.size() + "/" + svc.replicas() + " running"
            + lastError(tasks));
      }
      for (TaskSpec task : docker.inspectTasks(running.stream().map(Container::taskId).toList())) {
        if (!task.spec().equals(svc.spec())) {
          return new Observation(false, name + ": a task still runs an older spec (update not started)");
        }
      }
      for (Container c : running) {
        if (c.health().isPresent() && !"healthy".equals(c.health().get().status())) {
          if (ownChecksUntil != null && STARTING.equals(c.health().get().status()) && c.check().isPresent()) {
            Duration left = Duration.ofNanos(ownChecksUntil - System.nanoTime());
            if (docker.healthcheckPasses(c.id(), c.check().get(), left)) {
              continue; // what Docker's own first probe will find, one healthcheck interval after the start
            }
            return new Observation(false, name + ": container starting (its healthcheck, run by warm, does not "
                + "pass yet)" + lastProbeOutput(c.health().get()), false, true);
          }
          return new Observation(false, name + ": container " + c.health().get().status()
              + lastProbeOutput(c.health().get()));
        }
      }
    }
    return new Observation(true, "converged and healthy");
  }

  /**
   * Waits until the stack is converged and healthy and the optional probe answers, or fails (exit 4) after
   * {@code timeout} naming the last thing that was not right — at once when Swarm gave up on the deploy that started
   * at {@code since} (its image is missing, its tasks ended and none will be started again, or it rolled the update
   * back): no wait can help then.
   */
  void awaitHealthy(String stack, Duration timeout, Optional<URI> probe, Instant since) {
    awaitHealthy(stack, timeout, probe, since, false);
  }

  /**
   * {@link #awaitHealthy(String, Duration, Optional, Instant)}; with {@code ownChecks}, a running container of the
   * current spec whose healthcheck Docker has not passed yet counts as healthy once that healthcheck's command, run by
   * warm in the container ({@code docker exec}, about every {@link #POLL}), passes. Docker runs its first probe only
   * one healthcheck {@code interval} after the start (30 s unless the recipe says otherwise); the verdict is the same
   * command's, just sooner. Until Docker's own probe passes, Swarm keeps the task out of the service's virtual IP and
   * DNS: only for a deployment that nothing reaches over the network before it is replaced (the quick lane's
   * known-good, updated to the PR next).
   */
  void awaitHealthy(String stack, Duration timeout, Optional<URI> probe, Instant since, boolean ownChecks) {
    try (StackEvents changes = events.apply(stack, timeout)) {
      awaitHealthy(stack, timeout, probe, since, ownChecks, changes);
    }
  }

  private void awaitHealthy(String stack, Duration timeout, Optional<URI> probe, Instant since, boolean ownChecks,
      StackEvents changes) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Observation last;
    while (true) {
      last = observe(stack, since, ownChecks ? deadline : null);
      if (last.healthy() && probe.isPresent()) {
        Optional<String> bad = probeOnce(probe.get());
        if (bad.isPresent()) {
          last = new Observation(false, "HTTP probe " + probe.get() + ": " + bad.get());
        }
      }
      if (last.healthy()) {
        LOG.debug("stack {} healthy", stack);
        return;
      }
      if (last.terminal()) {
        throw WarmException.infra("stack " + stack + " cannot become healthy: " + last.reason());
      }
      if (System.nanoTime() > deadline) {
        throw WarmException.infra("stack " + stack + " did not become healthy within " + timeout.toSeconds()
            + " s: " + last.reason());
      }
      pause(changes, deadline, last.soon());
    }
  }

  /**
   * Waits until no service, container (running or not) or network of the stack remains, removing the stack's
   * networks again once nothing else of it exists.
   */
  void awaitGone(String stack, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<String> lastRefusal = Optional.empty();
    while (true) {
      List<String> left = new ArrayList<>();
      int s = docker.services(stack).size();
      if (s == 0) {
        // The services are gone: their stopped task containers are garbage that Swarm removes only seconds later.
        docker.removeStoppedContainers(stack);
      }
      int c = docker.containers(stack, true).size();
      List<String> networks = docker.networks(stack);
      if (s == 0 && c == 0) {
        // A network whose removal swarmkit refused while a task still referenced it ("in use by task", D11) stays
        // forever: remove it again. One already being removed answers "not found", which is progress too.
        for (String net : networks) {
          Optional<String> refused = docker.removeNetwork(net);
          if (refused.isPresent()) {
            lastRefusal = refused;
          }
        }
        networks = docker.networks(stack);
      }
      int n = networks.size();
      if (s > 0) {
        left.add(s + " service(s)");
      }
      if (c > 0) {
        left.add(c + " container(s)");
      }
      if (n > 0) {
        left.add(n + " network(s)");
      }
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw WarmException.infra("stack " + stack + " still has " + String.join(", ", left) + " "
            + timeout.toSeconds() + " s after it was removed"
            + (n > 0 && lastRefusal.isPresent() ? " (last network removal: " + lastRefusal.get() + ")" : ""));
      }
      sleep();
    }
  }

  /**
   * Whether the stack is being removed: no service of it is left (a removal deletes those first, before returning),
   * but a container (running or stopped) or a network of it still exists.
   */
  boolean removing(String stack) {
    return docker.services(stack).isEmpty()
        && (!docker.containers(stack, true).isEmpty() || !docker.networks(stack).isEmpty());
  }

  /** Whether any service, container or network of the stack exists. */
  boolean anything(String stack) {
    return !docker.services(stack).isEmpty() || !docker.containers(stack, true).isEmpty();
  }

  /**
   * The image Swarm rejected with "No such image" on the newest finished attempt of a slot, when that image is the
   * one the service wants now: no retry can make it appear (no registry has it), so the wait fails at once. docker
   * lists each slot's tasks newest first; attempts still in progress and rejections of an older spec's image are
   * skipped.
   */
  static Optional<String> missingImage(List<Task> tasks, String wantedImage) {
    Set<String> slots = new HashSet<>();
    for (Task t : tasks) {
      String state = t.currentState().split(" ", 2)[0];
      if (NOT_FINISHED.contains(state) || !slots.add(t.slot())) {
        continue;
      }
      if ("Rejected".equals(state) && t.image().equals(wantedImage) && t.error().contains("No such image")) {
        return Optional.of(t.image());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether Swarm has given up on the service, so that no wait can make it healthy: it has tasks of its current spec,
   * and every task has ended (Failed, Complete, Shutdown …) with none desired to run — the restart policy
   * ({@code condition: none}, {@code on-failure} after a clean exit, {@code max_attempts} exhausted) starts no
   * further one. A task that waits out its restart delay is desired {@code Ready}; one booting slowly is
   * {@code Starting} or {@code Running}: neither is a give-up, so a crash loop under an unlimited policy (an app that
   * exits until its database is up) waits for the bound as before. Ended tasks only of an older spec are not a
   * give-up either: the update to the current spec may not have made its tasks yet. Under {@code condition: any}
   * without {@code max_attempts} (Docker's default) Swarm always starts a replacement, so nothing is judged there.
   */
  Optional<String> gaveUp(Service svc, List<Task> tasks) {
    if (tasks.isEmpty() || svc.replicas() == 0 || svc.restart().restartsForever()) {
      return Optional.empty();
    }
    for (Task t : tasks) {
      if (!LET_GO.contains(t.desiredState()) || !ENDED.contains(t.currentState().split(" ", 2)[0])) {
        return Optional.empty();
      }
    }
    boolean ofCurrentSpec = docker.inspectTasks(tasks.stream().map(Task::id).toList()).stream()
        .anyMatch(t -> t.spec().equals(svc.spec()));
    if (!ofCurrentSpec) {
      return Optional.empty();
    }
    return Optional.of("Swarm gave up: no task is desired to run any more (restart policy " + svc.restart() + ", "
        + tasks.size() + " run(s) ended" + tasks.stream().map(Task::error).filter(e -> !e.isEmpty()).findFirst()
        .map(e -> ", the last: " + e).orElse("") + ")");
  }

  /**
   * Swarm rolled back the update that the deploy at {@code since} started ({@code update_config.failure_action:
   * rollback}): the service runs its previous spec again, possibly healthy, but never the deployed one. A rollback
   * that started before {@code since} belongs to an earlier deploy (a redeploy of an unchanged spec keeps the old
   * status) and says nothing; {@code paused} alone says nothing either: the restart policy still restarts the new
   * spec's task (see {@link #gaveUp} for when it stops).
   */
  static Optional<String> rolledBack(Service svc, Instant since) {
    if (since == null || !ROLLED_BACK.contains(svc.updateState())) {
      return Optional.empty();
    }
    Optional<Instant> started = svc.update().startedAt();
    if (started.isEmpty() || started.get().isBefore(since)) {
      return Optional.empty();
    }
    return Optional.of("Swarm rolled the update back (" + svc.updateState()
        + (svc.update().message().isEmpty() ? "" : ": " + svc.update().message()) + ")");
  }

  /** Update states in which Swarm has put the service's previous spec back. */
  private static final Set<String> ROLLED_BACK = Set.of("rollback_completed", "rollback_paused");
  /** Desired states ({@code docker service ps}) of a task Swarm will not run (again). */
  private static final Set<String> LET_GO = Set.of("Shutdown", "Complete", "Remove", "Orphaned", "Failed", "Rejected");
  /** Current states of a task that has ended. */
  private static final Set<String> ENDED = Set.of("Complete", "Failed", "Shutdown", "Rejected", "Orphaned", "Remove");

  /** Task states ({@code docker service ps}) of an attempt that has not started or ended yet. */
  private static final Set<String> NOT_FINISHED =
      Set.of("New", "Pending", "Assigned", "Accepted", "Preparing", "Ready", "Starting", "Allocated");

  private static String lastError(List<Task> tasks) {
    return tasks.stream().map(Task::error).filter(e -> !e.isEmpty()).findFirst()
        .map(e -> " (last task error: " + e + ")").orElse("");
  }

  private static String lastProbeOutput(Health health) {
    if (health.lastExitCode().isEmpty()) {
      return "";
    }
    String out = health.lastOutput().strip();
    if (out.length() > 200) {
      out = out.substring(0, 200) + "…";
    }
    return " (last healthcheck exit " + health.lastExitCode().get() + (out.isEmpty() ? "" : ": " + out) + ")";
  }

  /** One HTTP GET; empty when it answered 2xx/3xx. */
  static Optional<String> probeOnce(URI uri) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    try {
      HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() < 400 ? Optional.empty() : Optional.of("status " + r.statusCode());
    } catch (IOException e) {
      return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WarmException.infra("interrupted while probing " + uri, e);
    }
  }

  /**
   * Until the stack changes or the next look is due (the short poll once no events arrive, or while warm runs a
   * container's healthcheck itself: {@code soon}), never past the deadline.
   */
  private static void pause(StackEvents changes, long deadline, boolean soon) {
    Duration max = changes.live() && !soon ? EVENT_FALLBACK : POLL;
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    try {
      changes.await(max.compareTo(left) < 0 ? max : left.plusMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WarmException.infra("interrupted while waiting for Swarm", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WarmException.infra("interrupted while waiting for Swarm", e);
    }
  }
}
