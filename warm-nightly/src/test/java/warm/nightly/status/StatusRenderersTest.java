package warm.nightly.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.WarmException;
import warm.core.state.LastRun;
import warm.core.state.ReconcileRecord;

/** The three renderings of one status: text for people, JSON for programs, the Prometheus textfile for monitoring. */
class StatusRenderersTest {
  private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

  @TempDir
  Path tmp;

  private static Status.Recipe clean() {
    return new Status.Recipe("gitea", true, true, "warm-gitea.ci.example.org", "1.2.0+1.21", "abc123",
        NOW.minusSeconds(7200), "20261130T040000Z-0badf00d", NOW.minusSeconds(3600), "reflink", 5_000_000,
        Status.VolumeKind.CLEAN, "20261130T040000Z-0badf00d", null,
        new LastRun("pass", "run-9", "1.2.0+1.21", null, NOW.minusSeconds(600)),
        new LastRun("promoted", null, "1.2.0+1.21", null, NOW.minusSeconds(7200)), List.of());
  }

  private static Status.Disk disk(long used, Long budget, DiskBudget.Level level) {
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("volumes", used);
    parts.put("snapshots", used);
    return new Status.Disk(parts, used, used, true, 1_000_000_000L, budget, 80, level, List.of());
  }

  private static Status allWell() {
    return new Status(NOW, "swarm", List.of(clean()), List.of(
        new Status.Infra("traefik", "proxy.ci.example.org", "3.1.0+v3.1", "3.1.0+v3.1", null, List.of(),
            new ReconcileRecord("no-op", "3.1.0+v3.1", "3.1.0+v3.1", "3.1.0+v3.1", null, NOW.minusSeconds(60), 900,
                "proxy.ci.example.org"),
            null, List.of())),
        new Status.Alerts(0, null, null), disk(5_000_000, 100_000_000L, DiskBudget.Level.OK),
        new Status.Nightly(NOW.minusSeconds(3600), 0, 1, 1, null), List.of());
  }

  /** Everything that needs the operator at once, and labels that need escaping. */
  private static Status troubled() {
    Status.Recipe missing = new Status.Recipe("wiki", true, true, "warm-wiki.ci.example.org", "2.0.0+9", "def456",
        NOW.minusSeconds(100), "20261130T055820Z-00c0ffee", NOW.minusSeconds(100), "tar", 42,
        Status.VolumeKind.MISSING, "warm-wiki_ci_example_org_data",
        new Status.Journal("quick", "run-1", "deployed", NOW.minusSeconds(50), 999999, false), null, null,
        List.of("volume(s) [warm-wiki_ci_example_org_data] of the known-good are missing from Docker"));
    Status.Recipe dirty = new Status.Recipe("odd\"name", false, true, "warm-odd.ci.example.org", "1.0.0+1", "c\\0m\nmit",
        NOW.minusSeconds(10), null, null, null, -1, Status.VolumeKind.DIRTY, "run-7", null,
        new LastRun("fail", "run-7", "1.0.0+1", "tests exited 1", NOW.minusSeconds(10)), null, List.of());
    Status.Recipe unseeded = new Status.Recipe("new", true, false, "warm-new.ci.example.org", null, null, null, null,
        null, null, -1, Status.VolumeKind.UNKNOWN, null, null, null, null, List.of());
    Status.Infra kc = new Status.Infra("keycloak", "auth.ci.example.org", "10.1.0+26.0", "10.1.0+26.0", "11.0.0+26.1",
        List.of("major 10 -> 11", "manual step in release/11.0.0+26.1"),
        new ReconcileRecord("rollback-failed", "10.1.0+26.0", "10.2.0+26.0", null, "health check failed",
            NOW.minusSeconds(30), 120000, "auth.ci.example.org"), null,
        List.of("last reconcile rollback-failed: health check failed"));
    return new Status(NOW, "swarm", List.of(missing, dirty, unseeded), List.of(kc),
        new Status.Alerts(2, NOW.minusSeconds(600), "20261130T055000000Z-upgrade-held-abcdef"),
        disk(300, 200L, DiskBudget.Level.EXCEEDED), new Status.Nightly(NOW.minusSeconds(7200), 1, 3, 2, null), List.of());
  }

  @Test
  void testAttention_emptyWhenAllWell_elseEveryItem() {
    assertEquals(List.of(), allWell().attention());
    List<String> a = troubled().attention();
    assertEquals(5, a.size(), a.toString());
    assertTrue(a.get(0).startsWith("wiki: volume(s)"), a.toString());
    assertTrue(a.get(1).startsWith("keycloak: last reconcile rollback-failed"), a.toString());
    assertTrue(a.get(2).startsWith("2 alert(s) undelivered"), a.toString());
    assertTrue(a.get(3).startsWith("disk: warm data uses 300 bytes, over the budget of 200"), a.toString());
    assertTrue(a.get(4).startsWith("the last nightly (") && a.get(4).contains("exited 1"), a.toString());
  }

  @Test
  void testText_showsEachFigure() {
    String ok = TextRenderer.render(allWell());
    for (String s : List.of("gitea", "warm-gitea.ci.example.org", "1.2.0+1.21", "abc123", "20261130T040000Z-0badf00d",
        "age 1 h", "reflink", "4.8 MiB", "clean at 20261130T040000Z-0badf00d", "traefik", "running     3.1.0+v3.1",
        "reconcile   no-op", "alerts: none undelivered", "budget: 95.4 MiB, 5.0% used, warning at 80%: OK",
        "all well", "nightly: last ", "1 of 1 swept recipe(s) promoted", "last quick  pass at 1.2.0+1.21 (run-9)",
        "last promote promoted at 1.2.0+1.21")) {
      assertTrue(ok.contains(s), "'" + s + "' in:\n" + ok);
    }
    String bad = TextRenderer.render(troubled());
    for (String s : List.of("MISSING: warm-wiki_ci_example_org_data", "INTERRUPTED: pid 999999 is gone",
        "[seeded but not enrolled]", "dirty by run run-7", "[enrolled, not seeded", "held        11.0.0+26.1",
        "major 10 -> 11", "rollback-failed", "2 undelivered, oldest 20261130T055000000Z-upgrade-held-abcdef",
        "EXCEEDED", "needs attention (5):")) {
      assertTrue(bad.contains(s), "'" + s + "' in:\n" + bad);
    }
    assertFalse(bad.contains("all well"));
  }

  @Test
  void testJson_stableKeys() throws Exception {
    JsonNode j = new ObjectMapper().readTree(JsonRenderer.render(troubled()).toString());
    assertFalse(j.path("ok").asBoolean());
    assertEquals(5, j.path("attention").size());
    assertEquals(1, j.path("nightly").path("exit").asInt());
    assertEquals("fail", j.path("canonicals").get(1).path("lastQuick").path("outcome").asText());
    assertTrue(j.path("canonicals").get(0).path("lastPromote").isNull());
    assertEquals(2, j.path("nightly").path("promoted").asInt());
    JsonNode wiki = j.path("canonicals").get(0);
    assertEquals("wiki", wiki.path("recipe").asText());
    assertEquals("missing", wiki.path("volumes").path("state").asText());
    assertEquals("warm-wiki_ci_example_org_data", wiki.path("volumes").path("detail").asText());
    assertEquals(100, wiki.path("knownGood").path("ageSeconds").asLong());
    assertEquals("tar", wiki.path("knownGood").path("method").asText());
    assertFalse(wiki.path("journal").path("inFlight").asBoolean());
    assertEquals("quick", wiki.path("journal").path("operation").asText());
    assertFalse(j.path("canonicals").get(1).path("enrolled").asBoolean());
    assertTrue(j.path("canonicals").get(2).path("knownGood").path("id").isNull());
    JsonNode kc = j.path("infra").get(0);
    assertEquals("11.0.0+26.1", kc.path("hold").path("target").asText());
    assertEquals("rollback-failed", kc.path("lastReconcile").path("outcome").asText());
    assertEquals(2, j.path("alerts").path("pending").asInt());
    assertEquals("exceeded", j.path("disk").path("level").asText());
    assertEquals(200, j.path("disk").path("budgetBytes").asLong());
    assertEquals(300, j.path("disk").path("usedBytes").asLong());
    assertTrue(new ObjectMapper().readTree(JsonRenderer.render(allWell()).toString()).path("ok").asBoolean());
  }

  @Test
  void testTextfile_parsesAsPrometheusText_withTheFigures() {
    Map<String, PromText.Sample> m = PromText.parse(PrometheusTextfile.render(troubled()));
    assertEquals(100, PromText.value(m, "warm_known_good_age_seconds", "recipe", "wiki"));
    assertEquals(1, PromText.value(m, "warm_canonical_volume_state", "recipe", "wiki", "state", "missing"));
    assertEquals(0, PromText.value(m, "warm_canonical_volume_state", "recipe", "wiki", "state", "clean"));
    assertEquals(2, PromText.value(m, "warm_journal_in_flight", "app", "wiki"));
    assertEquals(0, PromText.value(m, "warm_canonical_enrolled", "recipe", "odd\"name"));
    assertEquals(1, PromText.value(m, "warm_canonical_info", "recipe", "odd\"name", "domain", "warm-odd.ci.example.org",
        "version", "1.0.0+1", "commit", "c\\0m\nmit", "known_good", "", "method", ""), "escaped labels read back");
    assertEquals(1, PromText.value(m, "warm_infra_info", "app", "keycloak", "domain", "auth.ci.example.org",
        "running", "10.1.0+26.0", "last_good", "10.1.0+26.0", "held_target", "11.0.0+26.1"));
    assertEquals(1, PromText.value(m, "warm_infra_held", "app", "keycloak"));
    assertEquals(0, PromText.value(m, "warm_infra_last_reconcile_ok", "app", "keycloak", "outcome", "rollback-failed"));
    assertEquals(2, PromText.value(m, "warm_alerts_pending"));
    assertEquals(600, PromText.value(m, "warm_alerts_oldest_pending_age_seconds"));
    assertEquals(300, PromText.value(m, "warm_disk_used_bytes", "part", "total"));
    assertEquals(200, PromText.value(m, "warm_disk_budget_bytes"));
    assertEquals(1, PromText.value(m, "warm_disk_budget_exceeded"));
    assertEquals(5, PromText.value(m, "warm_status_attention"));
    assertEquals(1, PromText.value(m, "warm_nightly_last_exit"));
    assertEquals(0, PromText.value(m, "warm_last_quick_passed", "recipe", "odd\"name"));
    assertEquals(2, PromText.value(m, "warm_nightly_last_promoted"));
    assertEquals(NOW.getEpochSecond(), PromText.value(m, "warm_status_timestamp_seconds"));

    Map<String, PromText.Sample> ok = PromText.parse(PrometheusTextfile.render(allWell()));
    assertEquals(0, PromText.value(ok, "warm_status_attention"));
    assertEquals(0, PromText.value(ok, "warm_alerts_pending"));
    assertEquals(1, PromText.value(ok, "warm_infra_last_reconcile_ok", "app", "traefik", "outcome", "no-op"));
  }

  @Test
  void testPromText_rejectsMalformedText() {
    for (String bad : List.of("warm_x 1\n", "# TYPE warm_x gauge\nwarm_x{a=\"1} 1\n",
        "# TYPE warm_x gauge\nwarm_x one\n", "# TYPE warm_x gauge\nwarm_x 1\nwarm_x 2\n",
        "# TYPE warm_x gauge\nwarm_x{a=\"1\"} 1", "# TYPE 1x gauge\n1x 1\n")) {
      assertThrows(AssertionError.class, () -> PromText.parse(bad), bad);
    }
  }

  @Test
  void testWrite_atomicReplace_readableByOthers_noTempLeft() throws Exception {
    Path f = tmp.resolve("warm.prom");
    Files.writeString(f, "old\n");
    PrometheusTextfile.write(f, PrometheusTextfile.render(allWell()));
    PromText.parse(Files.readString(f));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(f), s.toList(), "only the textfile remains");
    }
    WarmException e = assertThrows(WarmException.class,
        () -> PrometheusTextfile.write(tmp.resolve("absent/warm.prom"), "x\n"));
    assertTrue(e.getMessage().contains("absent/warm.prom"), e.getMessage());
  }
}
