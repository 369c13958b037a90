package warm.snapshot;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import warm.snapshot.internal.SafePaths;

/** Property: whatever the entry name, SafePaths either rejects it or resolves strictly inside the root. */
class SafePathsPropertyTest {
  static final Path ROOT = Path.of("/nonexistent-warm-root/target");
  static final List<String> PIECES = List.of("a", "b", "..", ".", "", "/", "x..y", "...", "ü", "..a", "a..", "\0",
      "c d", "//", "./", "../");

  static Gen<String> names() {
    return lists().of(Generate.pick(PIECES)).ofSizeBetween(0, 8)
        .map(parts -> String.join("/", parts));
  }

  @Test
  void resolvedPathsStayInside() {
    qt().forAll(names()).checkAssert(name -> {
      Path p;
      try {
        p = SafePaths.resolve(ROOT, name);
      } catch (SafePaths.UnsafeEntryException e) {
        if (!(name.startsWith("/") || name.contains("\0") || List.of(name.split("/")).contains(".."))) {
          throw new AssertionError("rejected a safe name: " + name, e);
        }
        return;
      }
      if (List.of(name.split("/")).contains("..") || name.startsWith("/")) {
        throw new AssertionError("accepted an unsafe name: " + name);
      }
      Path n = p.normalize();
      if (!n.startsWith(ROOT) || (!n.equals(ROOT) && n.getNameCount() <= ROOT.getNameCount())) {
        throw new AssertionError(name + " resolved outside: " + p);
      }
      if (!n.equals(p)) {
        throw new AssertionError(name + " resolved to a non-normal path " + p);
      }
    });
  }

  @Test
  void normalizeIsIdempotent() {
    qt().forAll(names()).checkAssert(name -> {
      try {
        String once = SafePaths.normalize(name);
        String twice = SafePaths.normalize(once);
        if (!once.equals(twice)) {
          throw new AssertionError(name + ": " + once + " vs " + twice);
        }
      } catch (SafePaths.UnsafeEntryException e) {
        // rejected names are covered above
      }
    });
  }

  @Test
  void depthBoundsDoNotMatter() {
    qt().forAll(integers().between(1, 50)).checkAssert(n -> {
      String name = "a/".repeat(n) + "../".repeat(n + 1) + "evil";
      try {
        SafePaths.resolve(ROOT, name);
        throw new AssertionError("accepted " + name);
      } catch (SafePaths.UnsafeEntryException expected) {
        // good
      }
    });
  }
}
