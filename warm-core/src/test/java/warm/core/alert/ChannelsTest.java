package warm.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.NotifyChannel;
import warm.core.process.ProcessRunner;
import warm.core.state.StateJson;

/** The two channel mechanisms against real endpoints: a local HTTP server and a real command. */
class ChannelsTest {
  @TempDir
  Path dir;

  @Test
  void testCommand_receivesTheJsonOnStdin() throws Exception {
    Path got = dir.resolve("got.json");
    AlertChannel ch = AlertChannel.from(NotifyChannel.command(List.of("sh", "-c", "cat > \"$0\"", got.toString())),
        ProcessRunner.system());
    Alert a = AlertTest.sample();
    ch.deliver(a);
    assertEquals(a, StateJson.parse(got, Files.readAllBytes(got), Alert.class));
    assertEquals("command sh", ch.describe());
  }

  @Test
  void testCommand_nonZeroExitIsNotDelivered() {
    AlertChannel ch = AlertChannel.from(NotifyChannel.command(List.of("sh", "-c", "cat >/dev/null; echo relay down >&2; exit 3")),
        ProcessRunner.system());
    AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> ch.deliver(AlertTest.sample()));
    assertTrue(e.getMessage().contains("exited 3") && e.getMessage().contains("relay down"), e.getMessage());
  }

  @Test
  void testCommand_missingProgramIsNotDelivered() {
    AlertChannel ch = AlertChannel.from(NotifyChannel.command(List.of(dir.resolve("nope").toString())),
        ProcessRunner.system());
    AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> ch.deliver(AlertTest.sample()));
    assertTrue(e.getMessage().contains("could not be started"), e.getMessage());
  }

  @Test
  void testWebhookJson_postsTheDocumentWithHeaders() throws Exception {
    try (TestWebhook hook = TestWebhook.start()) {
      AlertChannel ch = AlertChannel.from(new NotifyChannel("webhook", null, hook.url("/hooks/T0KEN"), "json",
          Map.of("Authorization", "Bearer s3cret"), 5, null, null), ProcessRunner.system());
      Alert a = AlertTest.sample();
      ch.deliver(a);
      assertEquals(1, hook.received.size());
      TestWebhook.Received r = hook.received.get(0);
      assertEquals("POST", r.method());
      assertEquals("/hooks/T0KEN", r.path());
      assertEquals("application/json", r.header("Content-Type"));
      assertEquals("Bearer s3cret", r.header("Authorization"));
      assertEquals(a, StateJson.parse(Path.of("body"), r.body().getBytes(StandardCharsets.UTF_8), Alert.class));
      assertEquals("webhook http://127.0.0.1:" + hook.port(), ch.describe(), "no path: it can be the secret");
    }
  }

  @Test
  void testWebhookFromFiles_readAtEachDelivery_missingFileIsNotDelivered_noSecretShown() throws Exception {
    try (TestWebhook hook = TestWebhook.start()) {
      Path urlFile = dir.resolve("hook-url");
      Path headersFile = dir.resolve("hook-headers");
      AlertChannel ch = AlertChannel.from(new NotifyChannel("webhook", null, null, "json", null, 5, urlFile,
          headersFile), ProcessRunner.system());
      // Built without the files (every command builds the channels): delivery fails and says which file.
      AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> ch.deliver(AlertTest.sample()));
      assertTrue(e.getMessage().contains(urlFile + ": file does not exist"), e.getMessage());
      Files.writeString(urlFile, "\n" + hook.url("/hooks/T0KEN") + "\n");
      Files.writeString(headersFile, "# ntfy token\nAuthorization: Bearer s3cret\n\n");
      ch.deliver(AlertTest.sample());
      assertEquals("/hooks/T0KEN", hook.received.get(0).path());
      assertEquals("Bearer s3cret", hook.received.get(0).header("Authorization"));
      assertFalse(ch.describe().contains("T0KEN") || ch.id().contains("T0KEN"), ch.describe());
      Files.writeString(headersFile, "Authorization Bearer s3cret\n");
      e = assertThrows(AlertDeliveryException.class, () -> ch.deliver(AlertTest.sample()));
      assertTrue(e.getMessage().contains(headersFile + " line 1: expected 'Name: value'")
          && !e.getMessage().contains("s3cret"), e.getMessage());
    }
  }

  @Test
  void testWebhookNtfy_plainTextWithTitlePriorityTags() throws Exception {
    try (TestWebhook hook = TestWebhook.start()) {
      AlertChannel ch = AlertChannel.from(NotifyChannel.webhook(hook.url("/ci-warm"), "ntfy"), ProcessRunner.system());
      Alert a = AlertTest.sample();
      ch.deliver(a);
      TestWebhook.Received r = hook.received.get(0);
      assertEquals("cc-ci-warm: upgrade-rolled-back keycloak", r.header("Title"));
      assertEquals("high", r.header("Priority"));
      assertEquals("warning,cc-ci-warm,upgrade-rolled-back", r.header("Tags"));
      assertTrue(r.header("Content-Type").startsWith("text/plain"));
      assertTrue(r.body().startsWith(a.message() + "\nattempted: 10.7.1+26.6.2\nlast good: 10.6.0+26.5.0\n"
          + "recovered: yes\n\nrelease notes:\nRun the migration by hand:\n  kc.sh migrate"), r.body());
      assertTrue(r.body().endsWith(a.id()));
      assertTrue(ch.describe().endsWith("(ntfy)"));
    }
  }

  @Test
  void testWebhookNtfy_criticalIsUrgentAndHugeBodyIsCutOnACharacter() {
    String wide = "é€😀".repeat(2000);
    Alert a = Alert.builder("restore-failed", "app").severity(Alert.Severity.CRITICAL).message(wide)
        .notesExcerpt(wide).build();
    assertEquals("urgent", WebhookChannel.ntfyPriority(a.severity()));
    assertEquals("rotating_light,cc-ci-warm,restore-failed", WebhookChannel.ntfyTags(a));
    byte[] body = WebhookChannel.ntfyBody(a);
    assertTrue(body.length <= WebhookChannel.NTFY_MAX_BYTES, "" + body.length);
    String text = new String(body, StandardCharsets.UTF_8);
    assertFalse(text.contains("\uFFFD"), "no split character");
    assertTrue(text.endsWith("(cut; full alert " + a.id() + ")"), text);
  }

  @Test
  void testWebhook_non2xxIsNotDeliveredAndTheSecretPathIsNotShown() throws Exception {
    try (TestWebhook hook = TestWebhook.start()) {
      hook.status.set(503);
      AlertChannel ch = AlertChannel.from(NotifyChannel.webhook(hook.url("/hooks/T0KEN"), "json"),
          ProcessRunner.system());
      AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> ch.deliver(AlertTest.sample()));
      assertTrue(e.getMessage().contains("answered HTTP 503: status 503"), e.getMessage());
      assertFalse(e.getMessage().contains("T0KEN"), e.getMessage());
      hook.status.set(302);
      e = assertThrows(AlertDeliveryException.class, () -> ch.deliver(AlertTest.sample()));
      assertTrue(e.getMessage().contains("HTTP 302"), "a redirect is not a delivery: " + e.getMessage());
    }
  }

  @Test
  void testWebhook_unreachableAndSlowAreBounded() throws Exception {
    int port;
    try (TestWebhook hook = TestWebhook.start()) {
      port = hook.port();
    }
    AlertChannel down = AlertChannel.from(NotifyChannel.webhook("http://127.0.0.1:" + port + "/x/T0KEN", "json"),
        ProcessRunner.system());
    AlertDeliveryException e = assertThrows(AlertDeliveryException.class, () -> down.deliver(AlertTest.sample()));
    assertTrue(e.getMessage().contains("is unreachable"), e.getMessage());
    assertFalse(e.getMessage().contains("T0KEN"), e.getMessage());

    try (TestWebhook hook = TestWebhook.start()) {
      hook.delayMs = 10_000;
      AlertChannel slow = AlertChannel.from(
          new NotifyChannel("webhook", null, hook.url("/"), "json", null, 1, null, null), ProcessRunner.system());
      long start = System.nanoTime();
      e = assertThrows(AlertDeliveryException.class, () -> slow.deliver(AlertTest.sample()));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(e.getMessage().contains("did not answer within 1 s"), e.getMessage());
      assertTrue(ms < 5000, "bounded by the channel timeout, took " + ms + " ms");
    }
  }

  @Test
  void testIds_stablePerDestinationAndFreeOfSecrets() {
    ProcessRunner r = ProcessRunner.system();
    AlertChannel a = AlertChannel.from(NotifyChannel.webhook("https://ntfy.example/T0KEN", "ntfy"), r);
    AlertChannel b = AlertChannel.from(new NotifyChannel("webhook", null, "https://ntfy.example/T0KEN", "ntfy",
        Map.of("Authorization", "Bearer rotated"), 3, null, null), r);
    AlertChannel c = AlertChannel.from(NotifyChannel.webhook("https://ntfy.example/OTHER", "ntfy"), r);
    assertEquals(a.id(), b.id(), "rotating a credential header or timeout is the same destination");
    assertNotEquals(a.id(), c.id());
    assertTrue(a.id().matches("webhook:[0-9a-f]{16}"), a.id());
    assertFalse(a.describe().contains("T0KEN"));
    assertTrue(AlertChannel.from(NotifyChannel.command(List.of("/usr/bin/notify", "--token", "X")), r).id()
        .matches("command:[0-9a-f]{16}"));
  }
}
