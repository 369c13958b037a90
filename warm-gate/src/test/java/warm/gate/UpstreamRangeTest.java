package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which upstream versions an upgrade crosses: (installed upstream, target upstream]. */
class UpstreamRangeTest {
  private static UpstreamRange range(String from, String to, String... published) {
    return UpstreamRange.of(RecipeVersion.parse(from), RecipeVersion.parse(to), PublishedVersions.of(List.of(published)));
  }

  private static List<String> upstreams(UpstreamRange r) {
    return r.steps().stream().map(UpstreamRange.Step::upstream).toList();
  }

  @Test
  void testOf_publishedInRangePlusTarget() {
    UpstreamRange r = range("10.7.1+26.4.0", "10.9.0+26.6.0",
        "10.7.0+26.3.9", "10.7.1+26.4.0", "10.7.2+26.4.0", "10.8.0+26.5.0", "10.8.1+26.5.1", "11.0.0+27.0.0");
    // 26.4.0 is the installed upstream (excluded); 10.9.0+26.6.0 is not published but is the target.
    assertEquals(List.of("26.5.0", "26.5.1", "26.6.0"), upstreams(r));
    assertTrue(r.problems().isEmpty(), r.problems().toString());
  }

  @Test
  void testOf_sameUpstreamTwiceIsReadOnce() {
    UpstreamRange r = range("1.0.0+26.4", "1.3.0+26.5", "1.1.0+26.5", "1.2.0+26.5", "1.3.0+26.5");
    assertEquals(List.of("26.5"), upstreams(r));
    assertEquals(List.of("1.1.0+26.5", "1.2.0+26.5", "1.3.0+26.5"), r.steps().get(0).recipeVersions());
  }

  @Test
  void testOf_sameUpstreamAsInstalledCrossesNothing() {
    UpstreamRange r = range("1.0.0+26.4", "1.1.0+26.4", "1.1.0+26.4");
    assertEquals(List.of(), upstreams(r));
    assertTrue(r.problems().isEmpty());
  }

  @Test
  void testOf_naturalOrderNotString() {
    UpstreamRange r = range("1.0.0+v3.9", "1.2.0+v3.11", "1.1.0+v3.10", "1.2.0+v3.11");
    assertEquals(List.of("v3.10", "v3.11"), upstreams(r));
  }

  @Test
  void testOf_upstreamOutsideTheIntervalIsNotRead() {
    // A recipe release in range that went back to an older upstream, and one beyond the target upstream.
    UpstreamRange r = range("1.0.0+26.4", "1.3.0+26.5", "1.1.0+26.3", "1.2.0+26.9", "1.3.0+26.5");
    assertEquals(List.of("26.5"), upstreams(r));
  }

  @Test
  void testOf_missingUpstreamIsAProblem() {
    UpstreamRange r = range("1.0.0+26.4", "1.2.0", "1.1.0+26.5", "1.2.0");
    assertEquals(1, r.problems().size(), r.problems().toString());
    assertEquals("1.2.0", r.problems().get(0).version());
    assertTrue(r.problems().get(0).detail().contains("no upstream part"), r.problems().get(0).detail());
  }

  @Test
  void testOf_installedWithoutUpstreamIsAProblem() {
    UpstreamRange r = range("1.0.0", "1.1.0+26.5", "1.1.0+26.5");
    assertEquals("1.0.0", r.problems().get(0).version());
  }

  @Test
  void testOf_upstreamThatCannotNameANoteIsAProblem() {
    UpstreamRange r = range("1.0.0+26.4", "1.2.0+26.6", "1.1.0+..", "1.2.0+26.6");
    assertEquals(List.of("26.6"), upstreams(r));
    assertEquals("1.1.0+..", r.problems().get(0).version());
    assertTrue(r.problems().get(0).detail().contains("cannot name an upstream note"), r.problems().get(0).detail());
  }
}
