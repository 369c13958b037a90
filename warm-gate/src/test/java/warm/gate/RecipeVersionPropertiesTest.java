package warm.gate;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The version order is total and agrees with semver; parse and render round-trip; hostile strings only ever fail cleanly. */
class RecipeVersionPropertiesTest {

  /** Versions drawn from a small space so that equal and near-equal pairs are frequent. */
  static Gen<String> versions() {
    Gen<Integer> n = integers().between(0, 3);
    Gen<String> pre = arbitrary().pick(List.of("", "", "", "-alpha", "-alpha.1", "-alpha.beta", "-beta", "-beta.2",
        "-beta.11", "-rc.1", "-1", "-0.3.7", "-x-y.9", "-1a"));
    Gen<String> up = arbitrary().pick(List.of("", "+1.0", "+1.0.1", "+26.6.2", "+1.0.5-social-amd64", "+v3.1",
        "+v3.10", "+2.0", "+a", "+1.0+b", "+01.0"));
    Gen<String> commit = arbitrary().pick(List.of("3f2a9c1e", "0123abc", "deadbeefcafe"));
    return n.zip(n, n, (a, b, c) -> a + "." + b + "." + c).zip(pre, up, (core, p, u) -> core + p + u)
        .mix(commit, 10);
  }

  @Test
  void testOrder_isTotalAndConsistentWithEquals() {
    qt().withExamples(3000).forAll(versions(), versions(), versions()).checkAssert((a, b, c) -> {
      RecipeVersion x = RecipeVersion.parse(a);
      RecipeVersion y = RecipeVersion.parse(b);
      RecipeVersion z = RecipeVersion.parse(c);
      check(Integer.signum(x.compareTo(y)) == -Integer.signum(y.compareTo(x)), "antisymmetric", a, b);
      check((x.compareTo(y) == 0) == x.equals(y), "compare 0 iff equal", a, b);
      check((x.compareTo(y) == 0) == a.equals(b), "equal iff same string", a, b);
      if (x.compareTo(y) <= 0 && y.compareTo(z) <= 0) {
        check(x.compareTo(z) <= 0, "transitive " + c, a, b);
      }
    });
  }

  @Test
  void testOrder_agreesWithSemverOnTheRecipePart() {
    qt().withExamples(3000).forAll(versions(), versions()).checkAssert((a, b) -> {
      RecipeVersion x = RecipeVersion.parse(a);
      RecipeVersion y = RecipeVersion.parse(b);
      if (x.isRelease() && y.isRelease()) {
        int spec = ReferenceSemver.compare(x.recipePart(), y.recipePart());
        if (spec != 0) {
          check(Integer.signum(x.compareTo(y)) == spec, "order follows semver precedence", a, b);
        }
      }
    });
  }

  @Test
  void testRoundTrip_parseOfRenderIsIdentity() {
    qt().withExamples(2000).forAll(versions()).checkAssert(s -> {
      RecipeVersion v = RecipeVersion.parse(s);
      check(v.toString().equals(s), "renders the exact original", s, s);
      check(RecipeVersion.parse(v.toString()).equals(v), "parse(render(v)) == v", s, s);
      check(RecipeVersion.parse(v.toString()).compareTo(v) == 0, "same place in the order", s, s);
    });
  }

  @Test
  void testParse_arbitraryStringsOnlyEverThrowTheDocumentedException() {
    Gen<String> junk = strings().allPossible().ofLengthBetween(0, 300)
        .mix(strings().betweenCodePoints('+', 'z').ofLengthBetween(0, 40), 50)
        .mix(versions().zip(strings().ascii().ofLengthBetween(0, 5), (v, s) -> v + s), 30);
    qt().withExamples(5000).forAll(junk).checkAssert(s -> {
      try {
        RecipeVersion v = RecipeVersion.parse(s);
        check(v.toString().equals(s), "renders the exact original", s, s);
        if (v.isRelease()) {
          v.major();
          v.compareTo(RecipeVersion.parse("1.0.0+1.0"));
        }
      } catch (VersionFormatException expected) {
        check(expected.getMessage() != null && !expected.getMessage().contains("\n"), "one-line message", s, s);
      }
    });
  }

  private static void check(boolean ok, String what, String a, String b) {
    if (!ok) {
      throw new AssertionError(what + ": '" + a + "' vs '" + b + "'");
    }
  }

  /** semver.org §11 precedence, written from the spec, independent of semver4j. */
  static final class ReferenceSemver {
    static int compare(String a, String b) {
      String[] pa = a.split("-", 2);
      String[] pb = b.split("-", 2);
      String[] ca = pa[0].split("\\.");
      String[] cb = pb[0].split("\\.");
      for (int i = 0; i < 3; i++) {
        int c = Long.compare(Long.parseLong(ca[i]), Long.parseLong(cb[i]));
        if (c != 0) {
          return Integer.signum(c);
        }
      }
      if (pa.length == 1 || pb.length == 1) {
        return pa.length == pb.length ? 0 : (pa.length == 1 ? 1 : -1);
      }
      String[] ia = pa[1].split("\\.");
      String[] ib = pb[1].split("\\.");
      for (int i = 0; i < Math.min(ia.length, ib.length); i++) {
        boolean na = ia[i].matches("[0-9]+");
        boolean nb = ib[i].matches("[0-9]+");
        int c;
        if (na && nb) {
          c = Long.compare(Long.parseLong(ia[i]), Long.parseLong(ib[i]));
        } else if (na != nb) {
          c = na ? -1 : 1;
        } else {
          c = ia[i].compareTo(ib[i]);
        }
        if (c != 0) {
          return Integer.signum(c);
        }
      }
      return Integer.compare(ia.length, ib.length);
    }
  }
}
