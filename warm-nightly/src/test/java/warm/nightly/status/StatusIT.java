package warm.nightly.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import warm.core.alert.AlertOutbox;
import warm.core.process.Command;
import warm.nightly.testing.QuickBed;

/**
 * {@code warm status} of the built distribution on the real Swarm, against a canonical seeded there: all well (exit
 * 0), then a canonical volume removed with docker (shown as missing, exit 4), then a budget the warm data exceeds
 * (one alert in the outbox however often status runs, status says so); the textfile parses every time.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusIT {
  private static QuickBed bed;
  private static Path config;
  private static Path textfile;

  /** Exit status, stdout and stderr of one {@code warm status}. */
  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return QuickBed.JSON.readTree(out);
    }
  }

  @BeforeAll
  static void seed() throws Exception {
    bed = QuickBed.seed("status", "statusbed");
    textfile = bed.root().resolve("warm.prom");
    config = writeConfig(null);
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  /** The bed's configuration with the recipe enrolled, the textfile configured and, if given, a byte budget. */
  private static Path writeConfig(Long budgetBytes) throws Exception {
    ObjectNode c = (ObjectNode) QuickBed.JSON.readTree(bed.config().toFile());
    c.putArray("recipes").addObject().put("name", bed.recipe());
    c.putObject("status").put("textfile", textfile.toString());
    if (budgetBytes != null) {
      c.putObject("disk").put("budgetBytes", budgetBytes);
    }
    Path f = bed.root().resolve("status-" + (budgetBytes == null ? "plain" : budgetBytes) + ".json");
    Files.writeString(f, c.toString());
    return f;
  }

  private static Run status(Path configFile, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("status", "--config", configFile.toString()));
    args.addAll(List.of(extra));
    Path out = bed.root().resolve("status-out.txt");
    Process p = QuickBed.launch("warm.nightly", args).redirectOutput(out.toFile()).start();
    String err = QuickBed.finish(p, Duration.ofSeconds(120));
    return new Run(p.exitValue(), Files.readString(out), err);
  }

  private static JsonNode canonical(JsonNode status) {
    for (JsonNode c : status.path("canonicals")) {
      if (c.path("recipe").asText().equals(bed.recipe())) {
        return c;
      }
    }
    throw new AssertionError("no canonical " + bed.recipe() + " in " + status);
  }

  private static Map<String, PromText.Sample> textfile() throws Exception {
    return PromText.parse(Files.readString(textfile));
  }

  @Test
  @Order(1)
  void testSeededCanonical_allWell_exit0() throws Exception {
    Run r = status(config, "--json");
    assertEquals(0, r.exit(), r.toString());
    JsonNode s = r.json();
    assertTrue(s.path("ok").asBoolean(), s.toString());
    JsonNode c = canonical(s);
    assertTrue(c.path("enrolled").asBoolean() && c.path("seeded").asBoolean(), c.toString());
    assertEquals(bed.seeded().snapshotId(), c.path("knownGood").path("id").asText());
    assertEquals(bed.seeded().version(), c.path("version").asText());
    assertEquals(bed.app().domain(), c.path("domain").asText());
    assertEquals("clean", c.path("volumes").path("state").asText(), c.toString());
    assertTrue(c.path("knownGood").path("ageSeconds").asLong() >= 0, c.toString());
    assertTrue(s.path("disk").path("parts").path("snapshots").asLong() > 0, s.toString());
    assertTrue(s.path("disk").path("parts").path("volumes").asLong() > 0, s.toString());
    assertEquals("no-budget", s.path("disk").path("level").asText());
    System.out.println("StatusIT disk of the seeded sample canonical: " + s.path("disk") + ", known-good "
        + c.path("knownGood"));

    Map<String, PromText.Sample> m = textfile();
    assertEquals(1, PromText.value(m, "warm_canonical_volume_state", "recipe", bed.recipe(), "state", "clean"));
    assertEquals(0, PromText.value(m, "warm_status_attention"));
    assertTrue(PromText.value(m, "warm_disk_used_bytes", "part", "total") > 0);
  }

  @Test
  @Order(2)
  void testCanonicalVolumeRemoved_isShownMissing_exit4() throws Exception {
    List<String> removed = new ArrayList<>(bed.volumes().keySet());
    assertFalse(removed.isEmpty());
    for (String v : removed) {
      QuickBed.RUNNER.run(Command.of("docker", "volume", "rm", v)).requireSuccess();
    }
    Run r = status(config, "--json");
    assertEquals(4, r.exit(), r.toString());
    JsonNode c = canonical(r.json());
    assertEquals("missing", c.path("volumes").path("state").asText(), c.toString());
    for (String v : removed) {
      assertTrue(c.path("volumes").path("detail").asText().contains(v), c.toString());
    }
    assertFalse(r.json().path("ok").asBoolean());
    assertTrue(r.json().path("attention").toString().contains(removed.get(0)), r.out());

    Run text = status(config);
    assertEquals(4, text.exit(), text.toString());
    assertTrue(text.out().contains("MISSING: " + removed.get(0)), text.out());
    assertTrue(text.out().contains("needs attention"), text.out());

    Map<String, PromText.Sample> m = textfile();
    assertEquals(1, PromText.value(m, "warm_canonical_volume_state", "recipe", bed.recipe(), "state", "missing"));
    assertEquals(0, PromText.value(m, "warm_canonical_volume_state", "recipe", bed.recipe(), "state", "clean"));
    assertTrue(PromText.value(m, "warm_status_attention") >= 1);
  }

  @Test
  @Order(3)
  void testBudgetExceeded_oneAlertInTheOutbox_statusSaysSo() throws Exception {
    AlertOutbox outbox = new AlertOutbox(bed.cfg().stateRoot());
    assertEquals(0, outbox.pendingCount());
    Path tight = writeConfig(1L);
    Run r = status(tight, "--json");
    assertEquals(4, r.exit(), r.toString());
    JsonNode disk = r.json().path("disk");
    assertEquals("exceeded", disk.path("level").asText(), disk.toString());
    assertEquals(1, disk.path("budgetBytes").asLong());
    assertTrue(r.json().path("attention").toString().contains("over the budget"), r.out());
    assertEquals(List.of(DiskBudget.ALERT_KIND), outbox.pending().stream().map(e -> e.alert().kind()).toList());

    Run again = status(tight);
    assertEquals(4, again.exit(), again.toString());
    assertTrue(again.out().contains("EXCEEDED"), again.out());
    assertTrue(again.out().contains("1 undelivered"), again.out());
    assertEquals(1, outbox.pendingCount(), "one alert per crossing, however often status runs");

    Map<String, PromText.Sample> m = textfile();
    assertEquals(1, PromText.value(m, "warm_disk_budget_exceeded"));
    assertEquals(1, PromText.value(m, "warm_disk_budget_bytes"));
    assertEquals(1, PromText.value(m, "warm_alerts_pending"));
  }
}
