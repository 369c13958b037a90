package warm.nightly.canonical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/**
 * I1 as a fact of the code: the authority to write a known-good is exported to warm.nightly alone, and inside it only
 * {@link KnownGoods} asks for it. A new writer anywhere else fails this test (and, outside warm.nightly, the build).
 */
class KnownGoodWritersTest {
  private static final Path ROOT = Path.of(System.getenv().getOrDefault("WARM_REPO_ROOT", "..")).toAbsolutePath();

  @Test
  void onlyKnownGoodsHoldsTheAuthority() throws IOException {
    List<String> users;
    try (Stream<Path> files = Files.walk(ROOT)) {
      users = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> read(p).contains("KnownGoodAuthority"))
          .map(p -> ROOT.relativize(p).toString()).sorted().toList();
    }
    assertEquals(List.of(
        "warm-nightly/src/main/java/warm/nightly/canonical/KnownGoods.java",
        "warm-snapshot/src/main/java/warm/snapshot/SnapshotStore.java",
        "warm-snapshot/src/main/java/warm/snapshot/authority/KnownGoodAuthority.java"), users);
    assertTrue(read(ROOT.resolve("warm-snapshot/src/main/java/module-info.java"))
        .contains("exports warm.snapshot.authority to warm.nightly;"), "exported to warm.nightly only");
  }

  /**
   * Inside warm.nightly, a canonical's known-good moves only through promotion: {@code KnownGoods.ofPromotion} is
   * called by {@link Promotion} (forward) and {@link PromoteRollback} (back, or the finish after the commit point),
   * nowhere else — a status, prune or nightly that swapped a known-good itself would fail here.
   */
  @Test
  void onlyPromotionMovesACanonicalsKnownGood() throws IOException {
    List<String> callers;
    try (Stream<Path> files = Files.walk(ROOT)) {
      callers = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> read(p).contains("ofPromotion("))
          .map(p -> ROOT.relativize(p).toString()).sorted().toList();
    }
    assertEquals(List.of(
        "warm-nightly/src/main/java/warm/nightly/canonical/KnownGoods.java",
        "warm-nightly/src/main/java/warm/nightly/canonical/PromoteRollback.java",
        "warm-nightly/src/main/java/warm/nightly/canonical/Promotion.java"), callers);
    String kg = read(ROOT.resolve("warm-nightly/src/main/java/warm/nightly/canonical/KnownGoods.java"));
    assertTrue(kg.contains("\n  void ofPromotion("), "ofPromotion stays package-private");
  }

  /**
   * The infra reconciler's pre-upgrade snapshot is I1's second writer: {@code KnownGoods.ofInfraApp} is public (the
   * reconciler is another package), so its callers are pinned here, and it refuses an app that is not a configured
   * infra app or that is a canonical before it touches the store.
   */
  @Test
  void onlyTheReconcilerSnapshotsAnInfraApp(@TempDir Path tmp) throws IOException {
    List<String> callers;
    try (Stream<Path> files = Files.walk(ROOT)) {
      callers = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> read(p).contains("ofInfraApp("))
          .map(p -> ROOT.relativize(p).toString()).sorted().toList();
    }
    assertEquals(List.of(
        "warm-nightly/src/main/java/warm/nightly/canonical/KnownGoods.java",
        "warm-nightly/src/main/java/warm/nightly/reconcile/InfraUpgrade.java"), callers);
    StateStore state = new StateStore(tmp.resolve("state"));
    state.write("wiki", StateFile.CANONICAL, new CanonicalRecord("wiki",
        "warm-wiki.ci.localhost", "1.0.0+1", "abc1234", Instant.now(), "snap-1"));
    KnownGoods kg = new KnownGoods(state, Set.of("keycloak", "wiki"));
    SnapshotStore store = SnapshotStore.open(tmp.resolve("store"));
    for (String app : List.of("nextcloud", "wiki")) {
      WarmException e = Assertions.assertThrows(WarmException.class,
          () -> kg.ofInfraApp(app, store, Map.of(), SnapshotTag.of(null, "1"),
              QuiescenceCheck.assumeQuiet()));
      assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    }
    assertTrue(Files.notExists(tmp.resolve("store")), "nothing written for a refused app");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
