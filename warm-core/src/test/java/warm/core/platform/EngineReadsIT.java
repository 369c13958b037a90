package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;
import warm.core.naming.Naming;
import warm.core.platform.SwarmObjects.Task;
import warm.core.process.Command;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleImage;
import warm.core.testing.Prereq;

/**
 * The Engine API's answers against the CLI's, asked of one real stack: a healthy service with a volume, a job whose
 * tasks failed (task history, stopped containers), a network and a secret. Every read the adapters make must give the
 * same records either way — the API is only a faster way to ask.
 */
@Tag("docker")
class EngineReadsIT {
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  private static final Duration T = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private String stack;
  private String secret;
  private DockerCli cli;
  private DockerCli api;

  @BeforeEach
  void setUp() throws Exception {
    Prereq.swarm();
    SampleImage.ensure(RUNNER);
    String id = Naming.randomHex();
    stack = "reads-" + id + "_ci_localhost";
    secret = stack + "_token_v1";
    cli = new DockerCli(RUNNER, "docker", T);
    api = cli.withEngineApi();
    Path compose = Files.writeString(tmp.resolve("compose.yml"), """
        version: "3.8"
        services:
          app:
            image: %1$s
            command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
            volumes: ["data:/data"]
            healthcheck:
              test: ["CMD", "true"]
              interval: 1s
          job:
            image: %1$s
            command: ["sh", "-c", "echo failing; exit 3"]
            deploy:
              restart_policy:
                condition: on-failure
                delay: 1s
                max_attempts: 1
        volumes:
          data:
        """.formatted(SampleImage.NAME));
    RUNNER.run(Command.of(List.of("docker", "secret", "create", secret, "-")).withStdin("s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8))).requireSuccess();
    RUNNER.run(Command.of(List.of("docker", "stack", "deploy", "--resolve-image", "never", "-c", compose.toString(),
        stack)).withTimeout(T)).requireSuccess();
  }

  @AfterEach
  void tearDown() {
    if (stack != null) {
      RUNNER.run(Command.of(List.of("docker", "stack", "rm", stack)));
      new StackHealth(cli).awaitGone(stack, Duration.ofSeconds(60));
      RUNNER.run(Command.of(List.of("docker", "volume", "rm", "-f", stack + "_data")));
      RUNNER.run(Command.of(List.of("docker", "secret", "rm", secret)));
    }
  }

  @Test
  void theEndpointIsTheCliOwnSocket() {
    assertNotEquals("cli", api.readsVia(), "this host's CLI talks to a unix socket");
    assertTrue(api.readsVia().startsWith("unix:///"), api.readsVia());
    assertEquals("cli", cli.readsVia());
  }

  @Test
  void everyReadAnswersAsTheCliDoes() throws Exception {
    // Wait until Swarm is done with the stack: the app healthy, the job's two runs failed and given up.
    String app = stack + "_app";
    String job = stack + "_job";
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(cli.containersOf(app).stream().anyMatch(c -> c.health().map(h -> "healthy".equals(h.status())).orElse(false))
        && cli.tasks(job).size() == 2 && cli.tasks(job).stream().allMatch(t -> t.currentState().startsWith("Failed")))) {
      assertTrue(System.nanoTime() < deadline, "the stack did not settle: " + cli.tasks(job));
      Thread.sleep(250);
    }
    assertSameAnswer("services", () -> cli.services(stack), () -> api.services(stack));
    assertSameAnswer("containers (all)", () -> cli.containers(stack, true), () -> api.containers(stack, true));
    assertSameAnswer("containers (running)", () -> cli.containers(stack, false), () -> api.containers(stack, false));
    assertSameAnswer("containersOf", () -> cli.containersOf(app), () -> api.containersOf(app));
    assertSameAnswer("tasks", () -> rows(cli.tasks(job)), () -> rows(api.tasks(job)));
    assertSameAnswer("tasks of a missing service", () -> cli.tasks(stack + "_none"), () -> api.tasks(stack + "_none"));
    List<String> taskIds = cli.tasks(job).stream().map(Task::id).toList();
    assertSameAnswer("inspectTasks", () -> cli.inspectTasks(taskIds), () -> api.inspectTasks(taskIds));
    assertSameAnswer("inspectTasks of a gone id", () -> cli.inspectTasks(List.of("nosuchtask0000000000000000")),
        () -> api.inspectTasks(List.of("nosuchtask0000000000000000")));
    assertSameAnswer("networks", () -> cli.networks(stack), () -> api.networks(stack));
    assertSameAnswer("volumes", () -> cli.volumes(stack), () -> api.volumes(stack));
    assertSameAnswer("containersUsing", () -> cli.containersUsing(stack + "_data"),
        () -> api.containersUsing(stack + "_data"));
    assertSameAnswer("engine", cli::engine, api::engine);
    assertSameAnswer("secretNames", () -> cli.secretNames(stack), () -> api.secretNames(stack));

    // The answers are about something: a wrong filter or parse would compare empty with empty.
    assertEquals(2, cli.services(stack).size());
    assertEquals(2, rows(api.tasks(job)).size());
    assertFalse(api.containersOf(app).isEmpty());
    assertEquals(1, api.volumes(stack).size());
    assertEquals(List.of(secret), api.secretNames(stack));
    assertFalse(api.containersUsing(stack + "_data").isEmpty());
    assertEquals("active", api.engine().swarmState());
  }

  @Test
  void stoppedContainersAreRemovedThroughEitherPath() throws Exception {
    RUNNER.run(Command.of(List.of("docker", "stack", "rm", stack))).requireSuccess();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    // Once the services are gone, the adapter removes the stopped task containers (one question via the API).
    while (!api.services(stack).isEmpty() || !api.containers(stack, false).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the stack's services and running containers did not go");
      Thread.sleep(250);
    }
    api.removeStoppedContainers(stack);
    assertEquals(List.of(), cli.containers(stack, true));
  }

  @Test
  void aSocketNobodyListensOnIsNamed() throws Exception {
    Path docker = tmp.resolve("docker-down");
    Files.writeString(docker, "#!/bin/sh\nexec docker -H unix://" + tmp.resolve("nobody.sock") + " \"$@\"\n");
    assertTrue(docker.toFile().setExecutable(true));
    DockerCli down = new DockerCli(RUNNER, docker.toString(), T).withEngineApi();
    assertEquals("unix://" + tmp.resolve("nobody.sock"), down.readsVia());
    WarmException e = org.junit.jupiter.api.Assertions.assertThrows(WarmException.class, down::requireSwarm);
    assertTrue(e.getMessage().contains("no Docker engine answers on unix://" + tmp.resolve("nobody.sock")),
        e.getMessage());
  }

  @Test
  void aCliThatCannotRunKeepsEveryRead() {
    DockerCli missing = new DockerCli(RUNNER, tmp.resolve("no-such-docker").toString(), T);
    assertSame(missing, missing.withEngineApi());
  }

  /** Tasks without the age the CLI prints after the state ("3 seconds ago" drifts between the two questions). */
  private static List<Task> rows(List<Task> tasks) {
    return tasks.stream().map(t -> new Task(t.id(), t.slot(), t.currentState().split(" ", 2)[0], t.desiredState(),
        t.error(), t.image())).toList();
  }

  private static <T> void assertSameAnswer(String what, Supplier<T> viaCli, Supplier<T> viaApi) {
    T fromApi = viaApi.get();
    T fromCli = viaCli.get();
    assertTrue(Objects.equals(fromCli, fromApi), what + ": CLI " + fromCli + "\n  API " + fromApi);
  }
}
