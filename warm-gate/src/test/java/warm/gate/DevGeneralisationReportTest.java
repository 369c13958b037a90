package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import warm.core.testing.Prereq;

/**
 * Prints the leave-one-product-out report of the dev split (which rule holds which product's items) to stdout and
 * to {@code target/dev-generalisation.txt}. It asserts only what is sure: every held item is held by some rule,
 * and the report refuses any split but the tuning ones (dev, val … val13).
 */
class DevGeneralisationReportTest {
  @Test
  void testReport_explainsEveryHoldOnDev() throws IOException, URISyntaxException {
    URL url = DevGeneralisationReportTest.class.getResource("real/dev");
    if (url == null) {
      Prereq.require(false, "no real/dev corpus on the test classpath");
      return;
    }
    Path dev = Path.of(url.toURI());
    List<Path> splits = new ArrayList<>(List.of(dev));
    for (String name : List.of("real/val", "real/val2", "real/val3", "real/val4", "real/val5")) {
      URL u = DevGeneralisationReportTest.class.getResource(name);
      if (u != null) {
        splits.add(Path.of(u.toURI()));
      }
    }
    DevGeneralisationReport report = DevGeneralisationReport.of(splits.toArray(Path[]::new));
    assertFalse(report.items().isEmpty());
    assertEquals(splits.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
        report.items().stream().map(r -> r.item().split()).collect(Collectors.toSet()), "every tuning split is read");
    for (DevGeneralisationReport.ItemRules r : report.items()) {
      assertEquals(r.held(), !r.lexicon().isEmpty(), r.item().id() + ": the decision and its rules disagree");
    }
    String text = report.render();
    System.out.println(text);
    Files.writeString(Path.of("target", "dev-generalisation.txt"), text, StandardCharsets.UTF_8);
  }

  @Test
  void testReport_refusesAnyOtherSplit() {
    assertThrows(IllegalArgumentException.class, () -> DevGeneralisationReport.of(Path.of("real", "test")));
    assertThrows(IllegalArgumentException.class,
        () -> DevGeneralisationReport.of(Path.of("real", "dev"), Path.of("real", "test")));
    assertThrows(IllegalArgumentException.class,
        () -> DevGeneralisationReport.of(Path.of("real", "val2"), Path.of("real", "test")));
    // val10 and val11 became tuning splits in round 16, val12 and val13 in round 17: the report reads them (what it
    // is asked to).
    assertTrue(DevGeneralisationReport.TUNING_SPLITS.containsAll(List.of("val9", "val10", "val11", "val12",
        "val13")));
    // val14: the unseen judge written during round 15, refused.
    assertThrows(IllegalArgumentException.class, () -> DevGeneralisationReport.of(Path.of("real", "val14")));
    // val15 too: the second unseen judge written during round 15.
    assertThrows(IllegalArgumentException.class, () -> DevGeneralisationReport.of(Path.of("real", "val15")));
    // val16 too: the unseen judge written after round 16.
    assertThrows(IllegalArgumentException.class, () -> DevGeneralisationReport.of(Path.of("real", "val16")));
    // val17 too: an unseen judge written after round 16.
    assertThrows(IllegalArgumentException.class, () -> DevGeneralisationReport.of(Path.of("real", "val17")));
    // val18 too: the second unseen judge written after round 16.
    assertThrows(IllegalArgumentException.class, () -> DevGeneralisationReport.of(Path.of("real", "val18")));
  }
}
