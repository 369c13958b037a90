package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.AbraSettings;
import warm.core.config.Timeouts;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * Two fetches of one recipe checkout at once, with real {@code git fetch} processes from a local bare repository: what
 * git does when they race, and how {@link AbraPlatform#fetchRecipe} orders two runs of one recipe.
 */
class RecipeFetchRaceTest {
  private static final int TAGS = 20;

  @TempDir
  Path tmp;

  private static void git(Path dir, String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.email=t@t", "-c",
        "user.name=t"));
    argv.addAll(List.of(args));
    ProcessRunner.system().run(Command.of(argv).withTimeout(Duration.ofMinutes(2))).requireSuccess();
  }

  /** A bare origin with {@code tags} tags and a clone of it without them, at {@code tmp/pristine}. */
  private Path origin(int tags) throws Exception {
    Path origin = tmp.resolve("origin.git");
    Path work = Files.createDirectories(tmp.resolve("work"));
    git(tmp, "init", "-q", "--bare", origin.toString());
    git(work, "init", "-q");
    git(work, "commit", "-q", "--allow-empty", "-m", "init");
    git(work, "push", "-q", origin.toString(), "HEAD:refs/heads/main");
    git(tmp, "clone", "-q", "--no-tags", "-b", "main", origin.toString(), tmp.resolve("pristine").toString());
    StringBuilder refs = new StringBuilder();
    for (int i = 1; i <= tags; i++) {
      refs.append("create refs/tags/1.").append(i).append(".0+1 HEAD\n");
    }
    Path stdin = tmp.resolve("refs.txt");
    Files.writeString(stdin, refs);
    ProcessRunner.system().run(Command.of("sh", "-c", "git -C " + work + " update-ref --stdin < " + stdin)
        .withTimeout(Duration.ofMinutes(2))).requireSuccess();
    git(work, "push", "-q", origin.toString(), "--tags");
    return origin;
  }

  private void freshCheckout(Path checkout) {
    ProcessRunner.system().run(Command.of("rm", "-rf", checkout.toString())).requireSuccess();
    ProcessRunner.system().run(Command.of("mkdir", "-p", checkout.getParent().toString())).requireSuccess();
    ProcessRunner.system().run(Command.of("cp", "-a", tmp.resolve("pristine").toString(), checkout.toString()))
        .requireSuccess();
  }

  /**
   * What git does when another fetch holds a ref it is about to write: the fetch fails (exit 1, "cannot lock ref …
   * .lock': File exists") and leaves that tag out, so a run that goes on with "the versions known so far" may refuse a
   * published release. Two real fetches started together hit this in 4 of 30 rounds (3000 new tags, load 14, by
   * hand); here the other fetch's ref lock is made by hand, so the outcome is certain.
   */
  @Test
  void gitFetch_whileAnotherFetchHoldsARef_failsOnGitsRefLock() throws Exception {
    origin(TAGS);
    Path checkout = tmp.resolve("co");
    freshCheckout(checkout);
    Files.createDirectories(checkout.resolve(".git/refs/tags"));
    Files.writeString(checkout.resolve(".git/refs/tags/1.7.0+1.lock"), "");
    ProcessResult r = ProcessRunner.system().run(Command.of("git", "-C", checkout.toString(), "fetch", "--quiet",
        "--tags", "--force", "origin").withTimeout(Duration.ofMinutes(2)));
    assertEquals(1, r.exitCode(), r.outputTail());
    assertTrue(r.outputTail().contains("cannot lock ref 'refs/tags/1.7.0+1'"), r.outputTail());
    assertTrue(tagCount(checkout) < TAGS, "that tag at least is missing");
  }

  /**
   * Two runs of one recipe fetch at once (seed and promote fetch before their app lock): the second's {@code git fetch}
   * starts only after the first's has ended, and each run sees every tag when its fetch returns. The first fetch is
   * held open until the second run has had time to start its own; without the fetch lock the second starts at once.
   */
  @Test
  void fetchRecipe_twoRunsOfOneRecipe_fetchOneAfterTheOther() throws Exception {
    origin(TAGS);
    Path abraDir = tmp.resolve("abra");
    Path checkout = abraDir.resolve("recipes/web");
    freshCheckout(checkout);
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ProcessRunner gating = c -> {
      if (!c.argv().contains("fetch")) {
        return ProcessRunner.system().run(c);
      }
      boolean first = events.isEmpty();
      events.add("start");
      if (first) {
        firstStarted.countDown();
        try {
          release.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ProcessResult r = ProcessRunner.system().run(c);
      events.add("end " + r.exitCode());
      return r;
    };
    AbraPlatform abra = new AbraPlatform(new AbraSettings("abra", abraDir, "default", true, List.of()), gating,
        new DockerCli(gating, "docker", Duration.ofSeconds(5)), new Timeouts(null, null, null, null, null, null),
        RecipeProbes.none());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> one = pool.submit(() -> {
        abra.fetchRecipe("web");
        return abra.publishedVersions("web").size();
      });
      assertTrue(firstStarted.await(1, TimeUnit.MINUTES));
      Future<Integer> two = pool.submit(() -> {
        abra.fetchRecipe("web");
        return abra.publishedVersions("web").size();
      });
      Thread.sleep(1500); // the second run's fetch would have started by now
      release.countDown();
      assertEquals(TAGS, one.get(2, TimeUnit.MINUTES));
      assertEquals(TAGS, two.get(2, TimeUnit.MINUTES));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("start", "end 0", "start", "end 0"), events);
    try (Stream<Path> s = Files.list(checkout.getParent())) {
      assertEquals(List.of("web"), s.map(p -> p.getFileName().toString()).toList(), "the fetch lock is gone");
    }
  }

  private static int tagCount(Path checkout) {
    return (int) ProcessRunner.system().run(Command.of("git", "-C", checkout.toString(), "tag", "--list")
        .withTimeout(Duration.ofMinutes(1))).requireSuccess().stdout().lines().count();
  }
}
