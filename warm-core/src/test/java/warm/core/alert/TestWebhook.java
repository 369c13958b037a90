package warm.core.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint on 127.0.0.1 that records what it receives and answers with a chosen status. */
final class TestWebhook implements AutoCloseable {
  /** One received request. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger status = new AtomicInteger(200);
  volatile long delayMs;
  private final HttpServer server;

  private TestWebhook(HttpServer server) {
    this.server = server;
    server.createContext("/", ex -> {
      try (ex) {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (delayMs > 0) {
          try {
            Thread.sleep(delayMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(),
            Map.copyOf(ex.getRequestHeaders()), body));
        byte[] answer = ("status " + status.get()).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status.get(), answer.length);
        ex.getResponseBody().write(answer);
      }
    });
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-webhook");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** On a free port. */
  static TestWebhook start() throws IOException {
    return start(0);
  }

  /** On that port (0: any free one); retries a moment if the port is still in TIME_WAIT-ish use. */
  static TestWebhook start(int port) throws IOException {
    IOException last = null;
    for (int i = 0; i < 50; i++) {
      try {
        return new TestWebhook(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
      } catch (BindException e) {
        last = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw last;
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
