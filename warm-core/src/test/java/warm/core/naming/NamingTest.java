package warm.core.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.DomainTemplates;

/** Recipe names, domains, stack names and Swarm's object-name limit: examples and properties. */
class NamingTest {
  private static final String CANON = DomainTemplates.DEFAULT_CANONICAL;
  private static final String COLD = DomainTemplates.DEFAULT_COLD;

  /** Strings over a small alphabet where valid and invalid names are both common. */
  static Gen<String> nameish(String alphabet, int maxLength) {
    List<Character> chars = alphabet.chars().mapToObj(c -> (char) c).toList();
    return lists().of(Generate.pick(chars)).ofSizeBetween(0, maxLength)
        .map(l -> l.stream().map(String::valueOf).collect(Collectors.joining()));
  }

  /** Anything at all: every code point, control characters and surrogates included. */
  static Gen<String> junk() {
    return Generate.oneOf(strings().allPossible().ofLengthBetween(0, 90), nameish("a0-_./ A\n{}", 90),
        strings().ascii().ofLengthBetween(0, 300));
  }

  private static boolean accepted(Supplier<?> check) {
    try {
      check.get();
      return true;
    } catch (WarmException e) {
      return false;
    }
  }

  private static WarmException usage(Runnable r) {
    WarmException e = assertThrows(WarmException.class, r::run);
    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    return e;
  }

  /** Only WarmException (exit 2) ever escapes, and its message is one line. */
  private static void onlyUsageErrors(Runnable r) {
    try {
      r.run();
    } catch (WarmException e) {
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line: " + e.getMessage());
    } catch (RuntimeException e) {
      fail("threw " + e + " instead of a usage error");
    }
  }

  // ---- examples -------------------------------------------------------------------------------------------

  @Test
  void stackNameTurnsDotsIntoUnderscoresAndKeepsHyphens() {
    assertEquals("warm-gitea_ci_example_org", Naming.stackName("warm-gitea.ci.example.org"));
    assertEquals("localhost", Naming.stackName("localhost"));
  }

  @Test
  void canonicalDomainFromDefaultTemplate() {
    assertEquals("warm-gitea.ci.example.org", Naming.canonicalDomain(CANON, "gitea", "ci.example.org"));
    // '_' is legal in recipe names but not in DNS labels
    assertEquals("warm-my-app.ci.example.org", Naming.canonicalDomain(CANON, "my_app", "ci.example.org"));
  }

  @Test
  void canonicalDomainTemplateIsConfigurable() {
    assertEquals("gitea.canonical.ci.example.org",
        Naming.canonicalDomain("{recipe}.canonical.{ciDomain}", "gitea", "ci.example.org"));
    assertEquals("stable-gitea.example.net", Naming.canonicalDomain("stable-{recipe}.example.net", "gitea", "x.y"));
  }

  @Test
  void unknownPlaceholderIsRejected() {
    String m = usage(() -> Naming.canonicalDomain("{name}.{ciDomain}", "gitea", "ci.example.org")).getMessage();
    assertTrue(m.contains("unknown placeholder") && m.contains("{recipe}"), m);
  }

  @Test
  void coldDomainHasRecipeAndSixHex() {
    assertEquals("gitea-0a1b2c.ci.example.org", Naming.coldDomain(COLD, "gitea", "ci.example.org", "0a1b2c"));
    String d = Naming.coldDomain(COLD, "gitea", "ci.example.org");
    assertTrue(d.matches("gitea-[0-9a-f]{6}\\.ci\\.example\\.org"), d);
  }

  @Test
  void coldDomainRejectsBadSuffix() {
    for (String hex : List.of("", "abcde", "abcdefa", "ABCDEF", "ghijkl", "ab/cde")) {
      usage(() -> Naming.coldDomain(COLD, "gitea", "ci.example.org", hex));
    }
  }

  @Test
  void recipeNamesWithPathCharactersAreRejected() {
    for (String bad : List.of("", "../etc", "..", "a/b", "/abs", "a..b", "a.b", "A", "Gitea", "-a", "a-", "_a", "a_",
        "a b", "a\nb", "ä", "a".repeat(65))) {
      String m = usage(() -> Naming.requireRecipeName(bad)).getMessage();
      assertFalse(m.contains("\n"), m);
    }
    String m = usage(() -> Naming.requireRecipeName("../x")).getMessage();
    assertTrue(m.contains("'../x'"), "names the value: " + m);
    usage(() -> Naming.requireRecipeName(null));
  }

  @Test
  void recipeNamesAccepted() {
    for (String ok : List.of("a", "gitea", "custom-html", "my_app", "n8n", "a".repeat(64), "0")) {
      assertEquals(ok, Naming.requireRecipeName(ok));
    }
  }

  @Test
  void domainsRejected() {
    for (String bad : List.of("", ".", "a..b", "a/b", "../a", ".a", "a.", "-a.b", "a-.b", "A.b", "a_b.c", "a b",
        "a.b\n", "a:80", "x".repeat(64) + ".b", ("a".repeat(60) + ".").repeat(5) + "b")) {
      usage(() -> Naming.requireDomain(bad));
    }
    usage(() -> Naming.requireDomain(null));
  }

  @Test
  void domainsAccepted() {
    for (String ok : List.of("localhost", "ci.example.org", "a-b.c", "a--b.c", "0.1", "x".repeat(63) + ".b")) {
      assertEquals(ok, Naming.requireDomain(ok));
    }
  }

  @Test
  void swarmLimitExactlyAtSixtyFour() {
    String suffix = "db_root_password_v1"; // 19 characters, plus the joining '_'
    String fits = "a".repeat(41) + ".ci"; // stack 'aaa…_ci' is 44 characters: 44 + 1 + 19 = 64
    assertEquals(44, Naming.stackName(fits).length());
    assertEquals(fits, Naming.requireObjectNamesFit(fits, suffix));
    assertEquals(fits, Naming.requireRoomForObjectNames(fits));
    String over = "a" + fits;
    String m = usage(() -> Naming.requireObjectNamesFit(over, suffix)).getMessage();
    assertTrue(m.contains("65 characters") && m.contains("64"), m);
    usage(() -> Naming.requireRoomForObjectNames(over));
  }

  @Test
  void controlCharactersAreShownNotPrinted() {
    String m = usage(() -> Naming.requireDomain("a\u0007b\nc")).getMessage();
    assertTrue(m.contains("\\x07") && m.contains("\\x0a"), m);
  }

  // ---- properties ------------------------------------------------------------------------------------------

  @Test
  void acceptedDomainYieldsStackNameWithoutDotsOfSameLength() {
    qt().withExamples(3000).forAll(nameish("ab0-.", 70)).checkAssert(d -> {
      if (!accepted(() -> Naming.requireDomain(d))) {
        return;
      }
      String stack = Naming.stackName(d);
      assertFalse(stack.contains("."), stack);
      assertEquals(d.length(), stack.length());
      assertEquals(d, stack.replace('_', '.'), "reversible: domains have no '_'");
      assertTrue(stack.matches("[a-z0-9_-]+"), stack);
    });
  }

  @Test
  void domainRuleMatchesItsDefinition() {
    Pattern label = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    qt().withExamples(3000).forAll(nameish("ab0-._/", 70)).checkAssert(d -> {
      boolean expected = !d.isEmpty() && d.length() <= 253
          && Arrays.stream(d.split("\\.", -1)).allMatch(l -> label.matcher(l).matches());
      assertEquals(expected, accepted(() -> Naming.requireDomain(d)), "'" + d + "'");
    });
  }

  @Test
  void acceptedRecipeNamesAreSafePathSegments() {
    qt().withExamples(3000).forAll(nameish("a0-_./A", 70)).checkAssert(r -> {
      if (accepted(() -> Naming.requireRecipeName(r))) {
        assertFalse(r.contains("/") || r.contains(".") || r.isEmpty() || r.length() > 64, r);
        assertEquals(r, Path.of("/x").resolve(r).normalize().getFileName().toString());
      }
    });
  }

  @Test
  void arbitraryInputOnlyEverFailsWithUsageErrors() {
    qt().withExamples(2000).forAll(junk(), junk(), junk()).checkAssert((a, b, c) -> {
      onlyUsageErrors(() -> Naming.requireRecipeName(a));
      onlyUsageErrors(() -> Naming.requireDomain(a));
      onlyUsageErrors(() -> Naming.stackName(a));
      onlyUsageErrors(() -> Naming.requireObjectNamesFit(a, b));
      onlyUsageErrors(() -> Naming.requireRoomForObjectNames(a));
      onlyUsageErrors(() -> Naming.canonicalDomain(a, b, c));
      onlyUsageErrors(() -> Naming.canonicalDomain(CANON, a, b));
      onlyUsageErrors(() -> Naming.coldDomain(a, b, c));
      onlyUsageErrors(() -> Naming.coldDomain(COLD, "gitea", "ci.localhost", a));
    });
  }

  @Test
  void canonicalDomainsOfValidRecipesAreValidDomains() {
    qt().withExamples(2000).forAll(nameish("ab0-_", 70)).checkAssert(r -> {
      if (!accepted(() -> Naming.requireRecipeName(r))) {
        return;
      }
      String d;
      try {
        d = Naming.canonicalDomain(CANON, r, "ci.example.org");
      } catch (WarmException e) {
        // only a recipe name too long for one DNS label (63) may fail
        assertTrue(("warm-" + r).length() > 63, e.getMessage());
        return;
      }
      assertEquals(d, Naming.requireDomain(d));
      assertTrue(d.endsWith(".ci.example.org") && d.startsWith("warm-"), d);
    });
  }

  @Test
  void coldDomainsAreValidAndUniqueIsh() {
    qt().withExamples(500).forAll(nameish("ab0-_", 40)).checkAssert(r -> {
      if (!accepted(() -> Naming.requireRecipeName(r))) {
        return;
      }
      String d = Naming.coldDomain(COLD, r, "ci.example.org");
      assertEquals(d, Naming.requireDomain(d));
      assertTrue(d.matches(Pattern.quote(r.replace('_', '-')) + "-[0-9a-f]{6}\\.ci\\.example\\.org"), d);
    });
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      seen.add(Naming.coldDomain(COLD, "gitea", "ci.example.org"));
    }
    // 2000 draws from 16.7M suffixes: a collision has probability ~0.1; ten would mean a broken generator
    assertTrue(seen.size() >= 1990, "unique cold domains: " + seen.size());
  }

  @Test
  void objectNameLimitBoundaryIsExact() {
    qt().withExamples(1000).forAll(integers().between(1, 60), integers().between(1, 60)).checkAssert((label, tail) -> {
      String domain = "a".repeat(label) + ".ci";
      String suffix = "s".repeat(tail);
      int full = Naming.stackName(domain).length() + 1 + tail;
      assertEquals(full <= Naming.SWARM_OBJECT_NAME_MAX,
          accepted(() -> Naming.requireObjectNamesFit(domain, suffix)), domain + " + " + suffix + " = " + full);
    });
  }
}
