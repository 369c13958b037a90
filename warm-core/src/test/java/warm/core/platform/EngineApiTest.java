package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;

/**
 * The Engine API transport against a unix-socket server in the test that answers with fixed bytes: the framings the
 * engine uses (Content-Length, chunked, until close), its refusals, and the failures that must name the socket
 * rather than hang or guess. What it asks of a real engine is EngineReadsIT's.
 */
class EngineApiTest {
  @TempDir Path tmp;
  private Thread server;
  private final AtomicReference<String> request = new AtomicReference<>();

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.interrupt();
      server.join(5000);
    }
  }

  /** Serves one connection: reads the request, writes {@code answer} (null: never answers), closes. */
  private EngineApi serving(String answer) throws IOException {
    Path sock = tmp.resolve("engine.sock");
    ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    ss.bind(UnixDomainSocketAddress.of(sock));
    server = new Thread(() -> {
      try (ss; SocketChannel c = ss.accept()) {
        ByteBuffer in = ByteBuffer.allocate(4096);
        StringBuilder req = new StringBuilder();
        while (!req.toString().contains("\r\n\r\n") && c.read(in) > 0) {
          req.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
          in.clear();
        }
        request.set(req.toString());
        if (answer == null) {
          Thread.sleep(10_000);
          return;
        }
        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException | InterruptedException e) {
        // the test ended or the client went away
      }
    });
    server.start();
    return new EngineApi(sock, Duration.ofMillis(800));
  }

  /** An answer framed by its Content-Length, as the engine sends short bodies. */
  private static String http(String status, String body) {
    return "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  @Test
  void aContentLengthAnswerIsItsJson() throws Exception {
    EngineApi api = serving("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n"
        + "{\"ID\":\"abc\"}\n  trailing bytes are not read");
    assertEquals("abc", api.get("/services/abc").orElseThrow().path("ID").asText());
    assertTrue(request.get().startsWith("GET /services/abc HTTP/1.1\r\n"), request.get());
    assertTrue(request.get().contains("Connection: close\r\n"), request.get());
  }

  @Test
  void aChunkedAnswerIsJoined() throws Exception {
    EngineApi api = serving("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\n[{\"Id\r\n7;ext=1\r\n\":\"a\"},\r\n8\r\n{\"Id\":\"b\r\n3\r\n\"}]\r\n0\r\n\r\n");
    var n = api.get("/containers/json").orElseThrow();
    assertEquals(2, n.size());
    assertEquals("b", n.get(1).path("Id").asText());
  }

  @Test
  void anAnswerWithoutLengthRunsToTheClose() throws Exception {
    EngineApi api = serving("HTTP/1.1 200 OK\r\n\r\n{\"Swarm\":{\"LocalNodeState\":\"active\"}}");
    assertEquals("active", new EngineReads(api).swarmState());
  }

  @Test
  void notFoundIsEmpty() throws Exception {
    EngineApi api = serving(http("404 Not Found", "{\"message\":\"no such task: x\"}"));
    assertEquals(Optional.empty(), api.get("/tasks/x"));
  }

  @Test
  void aRefusalQuotesTheEngine() throws Exception {
    EngineApi api = serving(http("503 Service Unavailable",
        "{\"message\":\"This node is not a swarm manager. Use \\\"docker swarm init\\\" to do so.\"}\n"));
    WarmException e = assertThrows(WarmException.class, () -> api.get("/services"));
    assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("This node is not a swarm manager"),
        e.getMessage());
  }

  @Test
  void aSilentEngineTimesOutNamingTheSocket() throws Exception {
    EngineApi api = serving(null);
    long t0 = System.nanoTime();
    WarmException e = assertThrows(WarmException.class, () -> api.get("/info"));
    assertTrue(e.getMessage().contains("no Docker engine answers on unix://" + tmp.resolve("engine.sock"))
        && e.getMessage().contains("no answer within 800 ms"), e.getMessage());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the bound held");
  }

  @Test
  void nothingListeningIsNamed() {
    EngineApi api = new EngineApi(tmp.resolve("nobody.sock"), Duration.ofSeconds(1));
    WarmException e = assertThrows(WarmException.class, () -> api.get("/info"));
    assertTrue(e.getMessage().startsWith("no Docker engine answers on unix://" + tmp.resolve("nobody.sock")),
        e.getMessage());
  }

  @Test
  void anAnswerThatIsNotHttpOrNotJsonFails() throws Exception {
    EngineApi notHttp = serving("SSH-2.0-OpenSSH_9.2\r\n\r\n");
    assertTrue(assertThrows(WarmException.class, () -> notHttp.get("/info")).getMessage().contains("not HTTP"));
    stop();
    Path old = tmp.resolve("engine.sock");
    java.nio.file.Files.delete(old);
    EngineApi notJson = serving(http("200 OK", "<html>"));
    assertTrue(assertThrows(WarmException.class, () -> notJson.get("/info")).getMessage().contains("not JSON"));
  }

  @Test
  void aTruncatedAnswerFails() throws Exception {
    EngineApi api = serving("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":1}");
    assertTrue(assertThrows(WarmException.class, () -> api.get("/info")).getMessage().contains("ended after 7 of 100"));
  }

  @Test
  void onlyUnixHostsAreUsed() {
    assertEquals(Optional.of("unix:///var/run/docker.sock"),
        EngineApi.at("unix:///var/run/docker.sock\n", Duration.ofSeconds(1)).map(EngineApi::host));
    for (String other : List.of("tcp://10.0.0.1:2376", "ssh://ci@host", "npipe:////./pipe/docker_engine", "unix://",
        "unix://relative.sock", "")) {
      assertEquals(Optional.empty(), EngineApi.at(other, Duration.ofSeconds(1)), other);
    }
  }

  @Test
  void filtersAreTheEngineJsonForm() {
    String f = EngineApi.filters(Map.of("label", List.of("com.docker.stack.namespace=a_b"),
        "status", List.of("exited", "dead")));
    assertEquals("{\"label\":{\"com.docker.stack.namespace=a_b\":true},\"status\":{\"dead\":true,\"exited\":true}}",
        URLDecoder.decode(f.substring("filters=".length()), StandardCharsets.UTF_8));
    assertEquals("a%20b%2Fc", EngineApi.segment("a b/c"));
  }

  @Test
  void taskAgesReadAsTheCliWrites() {
    java.time.Instant now = java.time.Instant.parse("2026-12-01T12:00:00Z");
    assertEquals("1 second ago", EngineReads.age(now, now));
    assertEquals("42 seconds ago", EngineReads.age(now.minusSeconds(42), now));
    assertEquals("2 minutes ago", EngineReads.age(now.minusSeconds(150), now));
    assertEquals("3 hours ago", EngineReads.age(now.minusSeconds(3 * 3600 + 5), now));
    assertEquals("Running", EngineReads.capitalised("running"));
    assertEquals("\"task: non-zero exit (3)\"", EngineReads.quoted("task: non-zero exit (3)"));
    assertEquals("", EngineReads.quoted(""));
  }
}
