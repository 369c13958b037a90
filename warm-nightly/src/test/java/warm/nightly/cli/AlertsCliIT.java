package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.nightly.testing.Distribution.Run;
import warm.nightly.testing.Distribution;

/**
 * {@code warm alerts} through the built distribution on the module path: with the webhook down the alert stays in
 * the outbox (exit 4) while the command channel already got it; once the webhook is up, the next run delivers it to
 * the webhook only and moves it to sent/.
 */
class AlertsCliIT {
  @TempDir Path dir;

  @Test
  void testWebhookDownThenBack_nextRunDelivers() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path received = dir.resolve("command-channel.jsonl");
    Path config = dir.resolve("config.json");
    Files.writeString(config, """
        {"stateRoot": "%s",
         "notify": [
           {"type": "command", "command": ["sh", "-c", "cat >> %s; echo ---END--- >> %s"]},
           {"type": "webhook", "url": "http://127.0.0.1:%d/hook", "timeoutSeconds": 3}
         ]}
        """.formatted(dir.resolve("state"), received, received, port));

    Run first = warm("alerts", "test", "--config", config.toString(), "--message", "webhook is down");
    assertEquals(4, first.exit(), first.toString());
    assertEquals(1, Files.readAllLines(received).stream().filter(l -> l.equals("---END---")).count(), "command channel got it");
    assertTrue(Files.readString(received).contains("webhook is down"));
    Run list = warm("alerts", "--config", config.toString(), "--json");
    assertEquals(0, list.exit(), list.toString());
    assertTrue(list.out().contains("\"pending\":1"), list.out());

    List<String> bodies = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/hook", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    try {
      Run second = warm("alerts", "deliver", "--config", config.toString());
      assertEquals(0, second.exit(), second.toString());
    } finally {
      server.stop(0);
    }
    assertEquals(1, bodies.size(), "webhook received the alert once");
    assertTrue(bodies.get(0).contains("webhook is down"), bodies.get(0));
    assertEquals(1, Files.readAllLines(received).stream().filter(l -> l.equals("---END---")).count(),
        "the command channel is not sent the same alert twice");
    try (var s = Files.list(dir.resolve("state/alerts/sent"))) {
      assertEquals(1, s.count());
    }
    Run after = warm("alerts", "--config", config.toString(), "--json");
    assertTrue(after.out().contains("\"pending\":0"), after.out());
  }

  private static Run warm(String... args) throws Exception {
    return Distribution.module("warm.nightly", Map.of(), args);
  }
}
