package warm.core.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import warm.core.ExitCode;
import warm.core.WarmException;

class RealmNamesTest {
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

  private static Gen<String> word(String alphabet, int min, int max) {
    return strings().betweenCodePoints(0, alphabet.length() - 1).ofLengthBetween(min, max)
        .map(s -> s.codePoints().mapToObj(c -> String.valueOf(alphabet.charAt(c))).reduce("", String::concat));
  }

  @Test
  void testRealmName_property_shortSafeCharsetAndDistinctPerRun() {
    qt().forAll(word(LOWER, 1, 64), word(LOWER, 1, 32), word(LOWER, 1, 32)).checkAssert((recipe, a, b) -> {
      String ra = RealmNames.realmName(recipe, a);
      assertTrue(ra.matches("ccw-[a-z0-9_-]+"), ra);
      assertTrue(ra.length() <= 101, ra);
      // The deletion check accepts everything we can create.
      assertEquals(ra, RealmNames.requireDeletableName(ra));
      if (!a.equals(b)) {
        assertNotEquals(ra, RealmNames.realmName(recipe, b));
      }
    });
  }

  @Test
  void testRealmName_badRecipeOrRunId_usageError() {
    for (String recipe : List.of("Next/Cloud", "a..b", "UPPER", "sp ace", "ünïcode", "", "x;rm -rf")) {
      WarmException e = assertThrows(WarmException.class, () -> RealmNames.realmName(recipe, "abc123"), recipe);
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertFalse(e.getMessage().contains("\n"));
    }
    for (String run : List.of("", "-a", "a-", "ABC", "a_b", "a/b", "x".repeat(33), "a\nb")) {
      WarmException e = assertThrows(WarmException.class, () -> RealmNames.realmName("gitea", run), run);
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void testRealmRequest_validatesDomain() {
    assertThrows(WarmException.class, () -> new RealmRequest("gitea", "abc", "bad_domain", false));
    assertEquals("gitea-abc123_ci_example", new RealmRequest("gitea", "abc", "gitea-abc123.ci.example", false).stack());
  }

  @Test
  void testRandomRunId_valid() {
    for (int i = 0; i < 100; i++) {
      RealmNames.requireRunId(RealmNames.randomRunId());
    }
  }

  @Test
  void testStamp_roundTrip_andForeignIsEmpty() {
    RealmStamp s = new RealmStamp("cc-ci-warm/x", "gitea", "abc", "gitea_x", Instant.parse("2026-01-02T03:04:05Z"));
    assertEquals(s, RealmStamp.from(s.attributes()).orElseThrow());
    assertTrue(RealmStamp.from(Map.of("other", "x")).isEmpty());
    assertEquals(null, RealmStamp.from(Map.of(RealmStamp.OWNER, "o", RealmStamp.CREATED, "yesterday")).orElseThrow()
        .createdAt());
  }

  @Test
  void testRunRealm_toStringHidesSecrets() {
    RunRealm r = new RunRealm("ccw-a-1", "1", "http://kc/realms/ccw-a-1", "a", "topsecret",
        new RunRealm.TestUser("test-user", "pw-secret"));
    assertFalse(r.toString().contains("topsecret"));
    assertFalse(r.toString().contains("pw-secret"));
    assertEquals(List.of("WARM_SSO_REALM", "WARM_SSO_ISSUER", "WARM_SSO_CLIENT_ID", "WARM_SSO_CLIENT_SECRET",
        "WARM_SSO_TEST_USER", "WARM_SSO_TEST_PASSWORD"), List.copyOf(r.environment().keySet()));
    assertEquals("topsecret", r.environment().get("WARM_SSO_CLIENT_SECRET"));
    assertEquals(List.of("topsecret", "pw-secret"), r.secrets());
    assertEquals(4, new RunRealm("r", "1", "i", "c", "s", null).environment().size());
  }
}
