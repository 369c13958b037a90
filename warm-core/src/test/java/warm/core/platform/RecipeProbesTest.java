package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;
import warm.core.config.AbraSettings;
import warm.core.config.ConfigLoader;
import warm.core.config.Timeouts;
import warm.core.config.WarmConfig;
import warm.core.platform.RecordingRunner.Reply;

/** {@code recipes[].healthUrl}: read by every deploy of the recipe (it was parsed and documented, and read by none). */
class RecipeProbesTest {
  private static final AppRef APP = new AppRef("web", "web-3fa9c1.ci.localhost");
  private static final String STACK = APP.stack();

  @Test
  void testProbe_theEnrolledRecipesUrlWithTheAppsDomain() {
    WarmConfig c = ConfigLoader.parse("""
        {"recipes": [{"name": "web", "healthUrl": "https://{domain}/status"}, {"name": "plain"}],
         "infra": [{"name": "web-infra", "recipe": "web", "domain": "web.ci.localhost"}]}""", "test");
    RecipeProbes p = RecipeProbes.of(c);
    assertEquals(Optional.of(URI.create("https://web-3fa9c1.ci.localhost/status")), p.probe(APP));
    assertEquals(Optional.of(URI.create("https://warm-web.ci.localhost/status")),
        p.probe(new AppRef("web", "warm-web.ci.localhost")));
    assertEquals(Optional.empty(), p.probe(new AppRef("plain", "warm-plain.ci.localhost")), "no healthUrl");
    assertEquals(Optional.empty(), p.probe(new AppRef("other", "other.ci.localhost")), "not enrolled");
    assertEquals(Optional.empty(), p.probe(new AppRef("web", "web.ci.localhost")),
        "an infra app's deploy: the reconciler probes its own healthUrl");
    assertEquals(Optional.empty(), RecipeProbes.none().probe(APP));
  }

  /** A deploy whose stack Swarm calls healthy still waits for the recipe's health URL, and fails naming it. */
  @Test
  void testDeploy_waitsForTheHealthUrl(@TempDir Path dir) throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    AtomicInteger asked = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/status", x -> {
      asked.incrementAndGet();
      x.sendResponseHeaders(status.get(), -1);
      x.close();
    });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/status");
      RecipeProbes probes = RecipeProbes.of(ConfigLoader.parse("{\"recipes\": [{\"name\": \"web\", \"healthUrl\": \""
          + url + "\"}]}", "test"));
      RecordingRunner runner = healthySwarm();
      // No docker to stream events from: the wait polls.
      DockerCli docker = new DockerCli(runner, dir.resolve("no-docker").toString(), Duration.ofSeconds(5));
      AbraSettings abra = new AbraSettings("abra", dir.resolve("abra"), "default", true, List.of());
      AbraPlatform p = new AbraPlatform(abra, runner, docker, new Timeouts(null, null, 1, null, null, null), probes);
      WarmException e = assertThrows(WarmException.class, () -> p.deploy(APP, "1.0.0+1.0"));
      assertEquals(4, e.exitCode().code());
      assertTrue(e.getMessage().contains("HTTP probe " + url + ": status 503"), e.getMessage());
      assertTrue(asked.get() >= 1);
      status.set(200);
      p.deploy(APP, "1.0.0+1.0");
      assertEquals(2, runner.count("app deploy"));
    } finally {
      server.stop(0);
    }
  }

  /** Swarm says: the service converged, its one container running and healthy (StackHealthTest's fixtures). */
  private static RecordingRunner healthySwarm() throws IOException {
    String container = fixture("healthy.container.json");
    String id = container.substring(container.indexOf("\"Id\":\"") + 6, container.indexOf("\"Id\":\"") + 70);
    String inspect = fixture("healthy.inspect.json").replace("\"State\":\"updating\"", "\"State\":\"completed\"");
    String task = fixture("healthy.task-inspect.json");
    return new RecordingRunner(args -> {
      if (args.startsWith("app deploy " + APP.domain())) {
        return Reply.ok("");
      }
      if (args.startsWith("service ls -q")) {
        return Reply.ok("svc1\n");
      }
      if (args.startsWith("service inspect")) {
        return Reply.ok(inspect);
      }
      if (args.startsWith("ps -q --no-trunc --filter label=com.docker.swarm.service.name=")) {
        return Reply.ok(id + "\n");
      }
      if (args.equals("inspect --format {{json .}} " + id)) {
        return Reply.ok(container);
      }
      if (args.startsWith("inspect --type task --format {{json .}} ")) {
        return Reply.ok(task);
      }
      if (args.startsWith("service ps --no-trunc --format {{json .}} ")) {
        return Reply.ok("");
      }
      return null;
    });
  }

  private static String fixture(String file) throws IOException {
    try (InputStream in = RecipeProbesTest.class.getResourceAsStream("docker/monitor/" + file)) {
      if (in == null) {
        throw new IOException("no fixture " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
