package warm.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.state.StateJson;

class AlertTest {
  static Alert sample() {
    return Alert.builder("upgrade-rolled-back", "keycloak")
        .severity(Alert.Severity.ERROR)
        .message("keycloak 10.7.1+26.6.2 was unhealthy after the upgrade; rolled back to 10.6.0+26.5.0")
        .attemptedVersion("10.7.1+26.6.2")
        .lastGoodVersion("10.6.0+26.5.0")
        .recovered(true)
        .notesExcerpt("Run the migration by hand:\n  kc.sh migrate")
        .createdAt(Instant.parse("2026-11-27T20:01:02.345Z"))
        .build();
  }

  @Test
  void testBuild_idIsTimeKindAndRandom() {
    Alert a = sample();
    assertTrue(a.id().matches("20261127T200102345Z-upgrade-rolled-back-[0-9a-f]{6}"), a.id());
    assertNotEquals(a.id(), sample().id(), "two alerts of the same second get different ids");
  }

  @Test
  void testJson_oneDocumentWithLowercaseSeverityAndNoNulls() throws Exception {
    Alert a = Alert.builder("disk-budget", null).severity(Alert.Severity.WARNING).message("90% used").build();
    JsonNode n = new ObjectMapper().readTree(StateJson.bytes(a));
    assertEquals("warning", n.get("severity").asText());
    assertFalse(n.has("app"));
    assertFalse(n.has("recovered"));
    assertEquals(a, StateJson.parse(Path.of("x"), StateJson.bytes(a), Alert.class));
    Alert full = sample();
    JsonNode f = new ObjectMapper().readTree(StateJson.bytes(full));
    assertEquals("2026-11-27T20:01:02.345Z", f.get("createdAt").asText());
    assertTrue(f.get("recovered").asBoolean());
    assertEquals(full, new ObjectMapper().readValue(StateJson.bytes(full), Alert.class), "any mapper reads it");
  }

  @Test
  void testCaps_hugeNotesAreCut() {
    String huge = "x".repeat(1_000_000);
    Alert a = Alert.builder("upgrade-held", "traefik").message(huge).notesExcerpt(huge).build();
    assertTrue(a.notesExcerpt().length() < Alert.MAX_TEXT + 60);
    assertTrue(a.notesExcerpt().endsWith("… [997000 more characters cut]"), a.notesExcerpt().substring(3000));
    assertTrue(a.message().length() < Alert.MAX_TEXT + 60);
  }

  @Test
  void testValidation() {
    WarmException e = assertThrows(WarmException.class, () -> Alert.builder("k", "../etc"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertThrows(IllegalArgumentException.class, () -> Alert.builder("Bad Kind", "app").message("m").build());
    assertThrows(IllegalArgumentException.class, () -> Alert.builder("kind", "app").build(), "no message");
  }

  @Test
  void testSummary_oneLineWithVersions() {
    Alert a = sample();
    String s = a.summary();
    assertFalse(s.contains("\n"));
    assertTrue(s.startsWith("ALERT error upgrade-rolled-back app=keycloak attempted=10.7.1+26.6.2 "
        + "last-good=10.6.0+26.5.0 recovered=true: keycloak 10.7.1"), s);
    assertTrue(s.endsWith("rolled back to 10.6.0+26.5.0 [" + a.id() + "]"), s);
  }
}
