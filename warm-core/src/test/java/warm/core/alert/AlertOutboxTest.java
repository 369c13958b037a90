package warm.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.NotifyChannel;
import warm.core.config.WarmConfig;
import warm.core.process.ProcessRunner;
import warm.core.state.StateJson;

/** The outbox: durable first, delivered to every channel, kept until delivered, retried by the next run. */
class AlertOutboxTest {
  @TempDir
  Path root;

  private Alert alert(String kind) {
    return Alert.builder(kind, "keycloak").message(kind + " happened").build();
  }

  /**
   * The endpoint is down on a port this test keeps bound, without listening, until it comes back: a connection to it
   * is refused, and no other process can take the port in between (it once could, between a probe server's close and
   * the endpoint's return). The channel's timeout is long because a refusal comes at once: at load 15 the first
   * refused delivery of a JVM took 0.8-1.1 s of the 2 s it once had, and a timeout reads "did not answer", not
   * "unreachable".
   */
  @Test
  void testWebhookDown_alertStaysInOutbox_nextRunDeliversIt() throws Exception {
    Socket reserved = new Socket();
    reserved.setReuseAddress(false); // so that not even a server with SO_REUSEADDR can bind the port meanwhile
    reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    int port = reserved.getLocalPort();
    WarmConfig config = WarmConfig.defaults().withStateRoot(root)
        .withNotify(List.of(new NotifyChannel("webhook", null, "http://127.0.0.1:" + port + "/hook", "json", null, 60,
            null, null)));
    Alert a = alert("upgrade-rolled-back");

    // Run 1: endpoint down.
    Alerts.Raised raised;
    try (reserved) {
      raised = Alerts.fromConfig(config, ProcessRunner.system()).raise(a);
    }
    assertFalse(raised.delivered());
    assertEquals(root.resolve("alerts/outbox/" + a.id() + ".json"), raised.outboxFile());
    assertTrue(Files.exists(raised.outboxFile()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(raised.outboxFile())));
    assertEquals(List.of(a.id()), raised.delivery().pending());
    assertEquals(1, raised.delivery().failures().size());
    assertTrue(raised.delivery().failures().get(0).error().contains("is unreachable"),
        raised.delivery().failures().get(0).error());
    OutboxEntry kept = new AlertOutbox(root).pending().get(0);
    assertEquals(a, kept.alert());
    assertEquals(1, kept.attempts());
    assertTrue(kept.deliveredTo().isEmpty());
    assertTrue(kept.lastErrors().values().iterator().next().contains("unreachable"));

    // Run 2: endpoint back; a new process (new Alerts) delivers what run 1 left.
    try (TestWebhook hook = TestWebhook.start(port)) {
      DeliveryReport r = Alerts.fromConfig(config, ProcessRunner.system()).deliverPending();
      assertEquals(List.of(a.id()), r.sent());
      assertTrue(r.allSent());
      assertEquals(1, hook.received.size());
      assertEquals(a, StateJson.parse(Path.of("body"), hook.received.get(0).body().getBytes(StandardCharsets.UTF_8),
          Alert.class));
    }
    assertFalse(Files.exists(raised.outboxFile()));
    OutboxEntry sent = new AlertOutbox(root).sentEntry(a.id()).orElseThrow();
    assertEquals(2, sent.attempts());
    assertEquals(1, sent.deliveredTo().size());
    assertTrue(sent.lastErrors().isEmpty());
    assertEquals(0, new AlertOutbox(root).pendingCount());
  }

  @Test
  void testTwoChannels_retryDoesNotResendToTheOneThatHasIt() throws Exception {
    Path log = root.resolve("command-got.jsonl");
    try (TestWebhook hook = TestWebhook.start()) {
      hook.status.set(503);
      List<AlertChannel> channels = List.of(
          AlertChannel.from(NotifyChannel.command(List.of("sh", "-c", "cat >> \"$0\"", log.toString())),
              ProcessRunner.system()),
          AlertChannel.from(NotifyChannel.webhook(hook.url("/"), "ntfy"), ProcessRunner.system()));
      AlertOutbox outbox = new AlertOutbox(root);
      Alert a = alert("upgrade-held");
      outbox.write(a);

      DeliveryReport first = outbox.deliverPending(channels);
      assertEquals(List.of(a.id()), first.pending());
      assertEquals(1, countIds(log, a), "the command has it");
      assertEquals(channels.get(0).id(), outbox.pending().get(0).deliveredTo().keySet().iterator().next());

      hook.status.set(200);
      DeliveryReport second = outbox.deliverPending(channels);
      assertEquals(List.of(a.id()), second.sent());
      assertEquals(1, countIds(log, a), "not sent to the command again");
      assertEquals(2, hook.received.size(), "the webhook got the retry");
      assertEquals(2, outbox.sentEntry(a.id()).orElseThrow().deliveredTo().size());

      DeliveryReport third = outbox.deliverPending(channels);
      assertEquals(List.of(), third.sent());
      assertEquals(2, hook.received.size(), "sent alerts are never resent");
    }
  }

  @Test
  void testDeadChannel_costsOneAttemptPerPass_andOthersStillDeliver() {
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger good = new AtomicInteger();
    AlertChannel dead = new FakeChannel("dead", a -> {
      attempts.incrementAndGet();
      throw new AlertDeliveryException("connection refused");
    });
    AlertChannel ok = new FakeChannel("ok", a -> good.incrementAndGet());
    AlertOutbox outbox = new AlertOutbox(root);
    for (int i = 0; i < 3; i++) {
      outbox.write(alert("kind-" + i));
    }
    DeliveryReport r = outbox.deliverPending(List.of(dead, ok));
    assertEquals(1, attempts.get(), "a dead endpoint is not hammered once per alert");
    assertEquals(3, good.get());
    assertEquals(3, r.pending().size());
    assertEquals(1, r.failures().size());
    List<OutboxEntry> pending = outbox.pending();
    assertTrue(pending.get(2).lastErrors().get("fake dead").startsWith("not tried: failed earlier in this pass"),
        pending.get(2).lastErrors().toString());
    assertTrue(pending.stream().allMatch(p -> p.deliveredTo(ok)));
  }

  @Test
  void testWrittenDurablyBeforeAnyDelivery() {
    AlertOutbox outbox = new AlertOutbox(root);
    Alert a = alert("restore-failed");
    AtomicInteger checked = new AtomicInteger();
    AlertChannel ch = new FakeChannel("x", got -> {
      assertTrue(Files.exists(outbox.outboxDir().resolve(got.id() + ".json")), "in the outbox while delivering");
      checked.incrementAndGet();
    });
    Alerts.Raised r = new Alerts(outbox, List.of(ch)).raise(a);
    assertEquals(1, checked.get());
    assertTrue(r.delivered());
    assertTrue(Files.exists(outbox.sentDir().resolve(a.id() + ".json")));
  }

  @Test
  void testConcurrentPasses_neverSendTwice() throws Exception {
    AlertOutbox outbox = new AlertOutbox(root);
    for (int i = 0; i < 3; i++) {
      outbox.write(alert("kind-" + i));
    }
    Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
    AlertChannel slow = new FakeChannel("slow", a -> {
      got.computeIfAbsent(a.id(), k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(150);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    var pool = Executors.newFixedThreadPool(2);
    try {
      var one = pool.submit(() -> outbox.deliverPending(List.of(slow)));
      var two = pool.submit(() -> outbox.deliverPending(List.of(slow)));
      int sent = one.get().sent().size() + two.get().sent().size();
      assertEquals(3, sent, "each alert sent by exactly one pass");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, got.size());
    assertTrue(got.values().stream().allMatch(c -> c.get() == 1), got.toString());
  }

  @Test
  void testNoChannel_alertsWaitAndSaySo() {
    Alerts alerts = new Alerts(new AlertOutbox(root), List.of());
    Alerts.Raised r = alerts.raise(alert("upgrade-held"));
    assertFalse(r.delivered());
    assertNotNull(r.outboxFile());
    assertTrue(r.delivery().note().startsWith("no alert channel is configured"), r.delivery().note());
    assertEquals(1, alerts.outbox().pendingCount());
  }

  @Test
  void testDamagedOutboxFile_isReportedAndKept_othersDelivered() throws Exception {
    AlertOutbox outbox = new AlertOutbox(root);
    Alert a = alert("upgrade-held");
    outbox.write(a);
    Path bad = outbox.outboxDir().resolve("00000000T000000000Z-broken-abcdef.json");
    Files.writeString(bad, "{not json");
    AtomicInteger got = new AtomicInteger();
    DeliveryReport r = outbox.deliverPending(List.of(new FakeChannel("ok", x -> got.incrementAndGet())));
    assertEquals(List.of(a.id()), r.sent());
    assertEquals(List.of("00000000T000000000Z-broken-abcdef"), r.pending());
    assertEquals("outbox", r.failures().get(0).channel());
    assertTrue(r.failures().get(0).error().contains(bad.toString()));
    assertEquals("{not json", Files.readString(bad), "kept for a human");
    assertEquals(1, got.get());
  }

  @Test
  void testStoreFails_stillLoggedAndDeliveredDirectly() throws Exception {
    Files.writeString(root.resolve("alerts"), "a file where the alerts directory should be");
    AtomicInteger got = new AtomicInteger();
    Alerts.Raised r = new Alerts(new AlertOutbox(root), List.of(new FakeChannel("ok", x -> got.incrementAndGet())))
        .raise(alert("restore-failed"));
    assertNull(r.outboxFile());
    assertEquals(1, got.get(), "delivered directly once");
    assertTrue(r.delivery().note().startsWith("not stored: "), r.delivery().note());
  }

  private static long countIds(Path log, Alert a) throws Exception {
    String text = Files.readString(log);
    return text.lines().filter(l -> l.contains("\"id\" : \"" + a.id() + "\"")).count();
  }

  /** A channel whose behaviour the test decides (for pass mechanics; real channels are tested above and in ChannelsTest). */
  private record FakeChannel(String name, Consumer<Alert> action) implements AlertChannel {
    @Override
    public String id() {
      return "fake:" + name;
    }

    @Override
    public String describe() {
      return "fake " + name;
    }

    @Override
    public void deliver(Alert alert) {
      action.accept(alert);
    }
  }
}
