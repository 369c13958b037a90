package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.testing.Prereq;
import warm.core.testing.RealPart;

/** A real git checkout with tags 1.0.0+1.0 … 2.0.0+2.0: {@code latest} picks the right tag and explains each hold. */
class LatestTagFixtureTest {
  @TempDir
  Path tmp;
  Path recipe;

  /** Notes of the fixture recipe, by version (null = no note file). */
  static final Map<String, String> NOTES = new LinkedHashMap<>();

  static {
    NOTES.put("1.0.0+1.0", "First release.\n");
    NOTES.put("1.0.1+1.0.1", "Bump image to 1.0.1\n");
    NOTES.put("1.1.0+1.1", null);
    NOTES.put("1.2.0+1.2", "Add healthcheck.\nATTENTION: run `abra app cmd <app> app reindex` after upgrading.\n");
    NOTES.put("1.3.0+1.3", "Security update.\n");
    NOTES.put("2.0.0+2.0", "BREAKING: config moved to env vars; you must edit your .env.\n");
  }

  /** Creates a git repository at {@code dir} with one commit and one tag per version, plus junk tags. */
  static Path fixture(Path dir) throws IOException {
    Prereq.require(RealPart.GIT.present(), "git is not installed");
    Files.createDirectories(dir.resolve("release"));
    git(dir, "init", "-q");
    Files.writeString(dir.resolve("compose.yml"), "version: '3.8'\nservices: {}\n");
    for (Map.Entry<String, String> e : NOTES.entrySet()) {
      if (e.getValue() != null) {
        Files.writeString(dir.resolve("release").resolve(e.getKey()), e.getValue());
      }
      Files.writeString(dir.resolve("VERSION"), e.getKey());
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "release " + e.getKey());
      git(dir, "tag", e.getKey());
    }
    Files.writeString(dir.resolve("release").resolve("2.1.0-rc.1+2.1"), "ATTENTION: not final\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "rc");
    git(dir, "tag", "2.1.0-rc.1+2.1");
    git(dir, "tag", "not-a-version");
    git(dir, "tag", "v9");
    return dir;
  }

  static void git(Path dir, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=gate-test", "-c", "user.email=gate@test",
        "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main", "-C",
        dir.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(argv + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    recipe = fixture(tmp.resolve("traefik"));
  }

  @Test
  void testPublishedVersions_fromGitTags() {
    PublishedVersions p = UpgradeGate.publishedVersions(recipe);
    assertEquals("2.0.0+2.0", p.latest().orElseThrow().toString(), "the pre-release is never latest");
    assertEquals(List.of("not-a-version", "v9"), p.ignored());
    assertEquals(7, p.releases().size());
  }

  @Test
  void testLatest_fromFirstRelease_explainsEveryHold() {
    GateDecision d = UpgradeGate.decideLatest(recipe, "1.0.0+1.0", GatePolicy.defaults());
    System.out.println(d.toText());
    assertEquals("2.0.0+2.0", d.to());
    assertEquals("traefik", d.recipe());
    assertEquals(List.of("not-a-version", "v9"), d.ignoredTags());
    assertEquals(List.of("1.0.1+1.0.1", "1.2.0+1.2", "1.3.0+1.3", "2.0.0+2.0"), d.notesRead());
    List<String> explained = d.reasons().stream().map(r -> r.code() + " " + r.version()).toList();
    assertEquals(List.of("MAJOR_BUMP 2.0.0+2.0", "MANUAL_MIGRATION 1.2.0+1.2", "MANUAL_MIGRATION 2.0.0+2.0"),
        explained);
    assertEquals(List.of("ATTENTION: run `abra app cmd <app> app reindex` after upgrading."),
        d.notes().get("1.2.0+1.2"));
    String text = d.toText();
    assertTrue(text.startsWith("HOLD traefik 1.0.0+1.0 -> 2.0.0+2.0\n"), text);
    assertTrue(text.contains("> BREAKING: config moved to env vars; you must edit your .env."), text);
  }

  @Test
  void testLatest_pastTheAttentionNote_onlyTheMajorStepHolds() {
    GateDecision d = UpgradeGate.decideLatest(recipe, "1.2.0+1.2", GatePolicy.defaults());
    assertEquals(List.of("MAJOR_BUMP", "MANUAL_MIGRATION"), d.reasons().stream().map(r -> r.code().name()).toList());
    assertEquals(List.of("1.3.0+1.3", "2.0.0+2.0"), d.notesRead());
  }

  @Test
  void testLatest_acknowledged_autoApplies() {
    GatePolicy p = GatePolicy.defaults().withAcknowledged("traefik", Set.of("1.2.0+1.2", "2.0.0+2.0"));
    GateDecision d = UpgradeGate.decideLatest(recipe, "1.0.1+1.0.1", p);
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertEquals(List.of("2.0.0+2.0", "1.2.0+1.2"), d.acknowledged());
  }

  @Test
  void testLatest_whenInstalledIsLatest_isNoOp() {
    assertEquals(GateDecision.Outcome.NO_OP,
        UpgradeGate.decideLatest(recipe, "2.0.0+2.0", GatePolicy.defaults()).outcome());
  }

  @Test
  void testLatest_withinAMajor() throws IOException {
    GateDecision d = UpgradeGate.decide(recipe, "1.2.0+1.2", "1.3.0+1.3", GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
  }

  @Test
  void testLatest_notAGitRepository_fail() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Prereq.require(RealPart.GIT.present(), "git is not installed");
    RecipeCheckoutException e = assertThrows(RecipeCheckoutException.class,
        () -> UpgradeGate.decideLatest(plain, "1.0.0+1.0", GatePolicy.defaults()));
    assertTrue(e.getMessage().contains("not a git repository"), e.getMessage());
  }

  @Test
  void testLatest_noReleaseTag_fail() throws IOException {
    Path bare = Files.createDirectories(tmp.resolve("bare"));
    git(bare, "init", "-q");
    Files.writeString(bare.resolve("x"), "x");
    git(bare, "add", "-A");
    git(bare, "commit", "-q", "-m", "x");
    git(bare, "tag", "nightly");
    RecipeCheckoutException e = assertThrows(RecipeCheckoutException.class,
        () -> UpgradeGate.decideLatest(bare, "1.0.0+1.0", GatePolicy.defaults()));
    assertTrue(e.getMessage().contains("no release tag") && e.getMessage().contains("nightly"), e.getMessage());
  }
}
