package warm.nightly.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.alert.AlertOutbox;
import warm.core.alert.Alerts;
import warm.core.config.NightlySettings;
import warm.core.config.RecipeConfig;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.process.ProcessRunner;
import warm.nightly.reconcile.InfraReconciler;

/**
 * The sweep's rules with real child processes as the cold command (a shell script that writes the cold result as it
 * is told) and a recording promotion: green → promoted, red → not, the report's exit and the summary alert, zero
 * enrolled and no cold command refused, a busy recipe waited for and skipped past the bound, maxTests.
 */
class NightlyTest {
  @TempDir
  Path root;

  private final List<String> promoted = new ArrayList<>();

  /** A cold command: passes for every recipe but those named in the file {@code red}, writes the result JSON. */
  private List<String> coldCommand() throws Exception {
    Path script = root.resolve("cold.sh");
    Files.writeString(script, """
        #!/bin/sh
        recipe=$1; file=$2
        if grep -qx "$recipe" %s 2>/dev/null; then outcome=fail; code=1; else outcome=pass; code=0; fi
        printf '{"recipe":"%%s","version":"1.0.0+1.0","commit":"abc1234","mode":"cold","outcome":"%%s"}' \\
          "$recipe" "$outcome" > "$file"
        exit $code
        """.formatted(root.resolve("red")));
    return List.of("/bin/sh", script.toString(), "{recipe}", "{file}");
  }

  private WarmConfig config(List<String> recipes, NightlySettings n) {
    return WarmConfig.defaults().withStateRoot(root.resolve("state"))
        .withApps(recipes.stream().map(r -> new RecipeConfig(r, null, null, null)).toList(), List.of())
        .withNightly(n);
  }

  private NightlyReport night(WarmConfig c) {
    PromoteStep p = (recipe, file) -> {
      promoted.add(recipe);
      return new PromoteStep.Promoted(true, "promoted", 0, "ok");
    };
    return new Nightly(c, ProcessRunner.system(), new Alerts(new AlertOutbox(c.stateRoot()), List.of()),
        InfraReconciler.create(c), p).run();
  }

  private int alerts(WarmConfig c) {
    return new AlertOutbox(c.stateRoot()).pending().size();
  }

  @Test
  void testOneGreenOneRed_promotesOnlyTheGreenAndFails() throws Exception {
    Files.writeString(root.resolve("red"), "beta\n");
    WarmConfig c = config(List.of("alpha", "beta"), new NightlySettings(coldCommand(), 60, null, 5, null));
    NightlyReport r = night(c);
    assertEquals(List.of("alpha"), promoted);
    assertEquals("pass", r.sweep().get(0).cold());
    assertEquals(Boolean.TRUE, r.sweep().get(0).promoted());
    assertEquals("fail", r.sweep().get(1).cold());
    assertNull(r.sweep().get(1).promoted(), "a red recipe is not promoted");
    assertEquals(1, r.exit());
    assertEquals(1, alerts(c), "one summary alert");
    String table = NightlyJson.table(r);
    assertTrue(table.lines().anyMatch(l -> l.startsWith("alpha") && l.contains("pass") && l.contains("yes")), table);
    assertTrue(table.lines().anyMatch(l -> l.startsWith("beta") && l.contains("fail")), table);
    var json = new ObjectMapper().readTree(Files.readString(c.stateRoot().resolve(LastNightly.FILE)));
    assertEquals(1, json.path("exit").asInt());
    assertEquals("fail", json.path("sweep").get(1).path("cold").asText());
  }

  @Test
  void testAllGreen_isExitZeroWithoutAlert() throws Exception {
    WarmConfig c = config(List.of("alpha", "beta"), new NightlySettings(coldCommand(), 60, null, 5, null));
    NightlyReport r = night(c);
    assertEquals(0, r.exit(), NightlyJson.table(r));
    assertEquals(List.of("alpha", "beta"), promoted);
    assertEquals(0, alerts(c));
  }

  @Test
  void testZeroEnrolled_isAnErrorAndRunsNothing() throws Exception {
    WarmConfig c = config(List.of(), new NightlySettings(coldCommand(), 60, null, 5, null));
    NightlyReport r = night(c);
    assertEquals(2, r.exit());
    assertTrue(r.error().contains("no recipe is enrolled"), r.error());
    assertEquals(1, alerts(c));
  }

  @Test
  void testNoColdCommand_isAnError() {
    WarmConfig c = config(List.of("alpha"), NightlySettings.none());
    NightlyReport r = night(c);
    assertEquals(2, r.exit());
    assertTrue(r.error().contains("nightly.coldCommand"), r.error());
    assertTrue(promoted.isEmpty());
  }

  @Test
  void testPromotionThatFails_isAnInfraFailure() throws Exception {
    WarmConfig c = config(List.of("alpha"), new NightlySettings(coldCommand(), 60, null, 5, null));
    NightlyReport r = new Nightly(c, ProcessRunner.system(), new Alerts(new AlertOutbox(c.stateRoot()), List.of()),
        InfraReconciler.create(c), (recipe, file) -> new PromoteStep.Promoted(false, "failed", 4, "deploy refused"))
        .run();
    assertEquals(4, r.exit());
    assertEquals(Boolean.FALSE, r.sweep().get(0).promoted());
    assertEquals("deploy refused", r.sweep().get(0).reason());
  }

  @Test
  void testColdCommandWritingNothing_isAnError() throws Exception {
    WarmConfig c = config(List.of("alpha"), new NightlySettings(List.of("/bin/sh", "-c", "exit 0", "{file}"), 60,
        null, 5, null));
    NightlyReport r = night(c);
    assertEquals("error", r.sweep().get(0).cold());
    assertTrue(r.sweep().get(0).reason().contains("without writing its result"), r.sweep().get(0).reason());
    assertEquals(4, r.exit());
    assertTrue(promoted.isEmpty());
  }

  @Test
  void testMaxTests_leavesTheRestNotReached() throws Exception {
    WarmConfig c = config(List.of("alpha", "beta", "gamma"), new NightlySettings(coldCommand(), 60, 2, 5, null));
    NightlyReport r = night(c);
    assertEquals(List.of("alpha", "beta"), promoted);
    assertEquals("not-reached", r.sweep().get(2).cold());
    assertEquals(1, r.exit(), "a recipe not tested tonight is not green");
  }

  @Test
  void testRecipeHeldByARun_isWaitedForThenRun() throws Exception {
    WarmConfig c = config(List.of("alpha"), new NightlySettings(coldCommand(), 60, null, 30, null));
    CountDownLatch taken = new CountDownLatch(1);
    Thread run = new Thread(() -> {
      try (LockFile l = new AppLocks(c.stateRoot()).acquire("alpha", "quick", java.time.Duration.ofSeconds(5))) {
        taken.countDown();
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    run.start();
    assertTrue(taken.await(10, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    NightlyReport r = night(c);
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(1000), "it waited for the run");
    assertEquals(0, r.exit(), NightlyJson.table(r));
    assertEquals(List.of("alpha"), promoted);
    run.join();
  }

  @Test
  void testRecipeHeldPastTheBound_isSkippedWithAnAlert() throws Exception {
    WarmConfig c = config(List.of("alpha"), new NightlySettings(coldCommand(), 60, null, 1, null));
    try (LockFile l = new AppLocks(c.stateRoot()).tryAcquire("alpha", "quick").orElseThrow()) {
      NightlyReport r = night(c);
      assertEquals("skipped", r.sweep().get(0).cold());
      assertEquals(1, r.exit());
      assertTrue(promoted.isEmpty());
      assertEquals(2, alerts(c), "the skip's alert and the summary");
    }
  }

  @Test
  void testAnotherNightlyRunning_isSkipped() throws Exception {
    WarmConfig c = config(List.of("alpha"), new NightlySettings(coldCommand(), 60, null, 1, null));
    try (LockFile l = LockFile.tryLock(c.stateRoot().resolve("locks").resolve(".nightly.lock"), "nightly")
        .orElseThrow()) {
      NightlyReport r = night(c);
      assertEquals(5, r.exit());
      assertFalse(r.error().isEmpty());
      assertTrue(promoted.isEmpty());
    }
  }
}
