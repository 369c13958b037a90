package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecipeVersionTest {

  @Test
  void testParse_realVersions() {
    RecipeVersion v = RecipeVersion.parse("10.7.1+26.6.2");
    assertEquals(RecipeVersion.Kind.RELEASE, v.kind());
    assertEquals(10, v.major());
    assertEquals("10.7.1", v.recipePart());
    assertEquals(Optional.of("26.6.2"), v.upstream());
    assertEquals("10.7.1+26.6.2", v.toString());

    RecipeVersion bonfire = RecipeVersion.parse("2.0.1+1.0.6-social-amd64");
    assertEquals(Optional.of("1.0.6-social-amd64"), bonfire.upstream());
    assertEquals(Optional.of("v3.1"), RecipeVersion.parse("3.0.0+v3.1").upstream());
  }

  @Test
  void testParse_withoutUpstreamAndPreRelease() {
    RecipeVersion plain = RecipeVersion.parse("1.2.0");
    assertEquals(Optional.empty(), plain.upstream());
    assertFalse(plain.isPreRelease());
    RecipeVersion rc = RecipeVersion.parse("2.0.0-rc.1+2.0");
    assertTrue(rc.isPreRelease());
    assertEquals("2.0.0-rc.1", rc.recipePart());
    assertEquals(2, rc.major());
  }

  @Test
  void testParse_commitHashIsItsOwnKind() {
    RecipeVersion c = RecipeVersion.parse("3f2a9c1e");
    assertEquals(RecipeVersion.Kind.COMMIT, c.kind());
    assertFalse(c.isRelease());
    assertThrows(IllegalStateException.class, c::major);
    assertTrue(c.isBefore(RecipeVersion.parse("0.0.1")), "a commit never sorts after a release");
  }

  @Test
  void testParse_fail() {
    for (String bad : new String[] {"", "v1.0.0", "1.0", "1.0.0.0", "01.0.0", "1.0.0-01", "1.0.0+", "1.0.0+a/b",
        "1.0.0+../../x", " 1.0.0", "1.0.0 ", "1.0.0+a b", "latest", "main", "1234567890.0.0", "1.0.0-1234567890",
        "abc", "1.0.0+" + "x".repeat(201), "1.0.0\n", "1.14.1-rootless_1"}) {
      assertThrows(VersionFormatException.class, () -> RecipeVersion.parse(bad), bad);
      assertEquals(Optional.empty(), RecipeVersion.tryParse(bad));
    }
    assertThrows(VersionFormatException.class, () -> RecipeVersion.parse(null));
  }

  @Test
  void testOrder_examples() {
    List<String> ascending = List.of("0123abc", "3f2a9c1e", "0.9.0+9", "1.0.0-alpha+1.0", "1.0.0-alpha.1+1.0",
        "1.0.0-beta+1.0", "1.0.0-rc.1+1.0", "1.0.0", "1.0.0+1.0", "1.0.0+1.0.5-social-amd64", "1.0.0+1.1",
        "1.0.0+1.10", "1.1.0+1.0", "1.10.0+1.0", "2.0.0+v3.1", "2.0.0+v3.10", "10.0.0+0.1");
    List<RecipeVersion> shuffled = new ArrayList<>();
    ascending.forEach(s -> shuffled.add(RecipeVersion.parse(s)));
    Collections.shuffle(shuffled, new Random(7));
    Collections.sort(shuffled);
    assertEquals(ascending, shuffled.stream().map(RecipeVersion::toString).toList());
  }

  @Test
  void testPublishedVersions_latestIgnoresAndReports() {
    PublishedVersions p = PublishedVersions.of(List.of("1.0.0+1.0", "v2", "2.0.0+2.0", "1.10.0+1.9", "",
        "2.1.0-rc.1+2.1", "nightly", "1.9.0+1.9"));
    assertEquals("2.0.0+2.0", p.latest().orElseThrow().toString());
    assertEquals(List.of("v2", "nightly"), p.ignored());
    assertEquals(List.of("1.0.0+1.0", "1.9.0+1.9", "1.10.0+1.9", "2.0.0+2.0", "2.1.0-rc.1+2.1"),
        p.releases().stream().map(RecipeVersion::toString).toList());
    assertEquals(Optional.empty(), PublishedVersions.of(List.of("x", "2.0.0-rc.1")).latest());
  }
}
