package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static warm.nightly.cli.InProcessWarm.warm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.testing.Prereq;
import warm.core.testing.RealPart;
import warm.nightly.cli.InProcessWarm.Run;

/** {@code warm gate} end to end through the real command line, on a real git checkout with tags. */
class GateCommandTest {
  @TempDir
  Path tmp;
  Path recipe;


  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t", "-c",
        "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-C", dir.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(argv + ": " + log);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    Prereq.require(RealPart.GIT.present(), "git is not installed");
    recipe = Files.createDirectories(tmp.resolve("keycloak"));
    Files.createDirectories(recipe.resolve("release"));
    Files.writeString(recipe.resolve("compose.yml"), "version: \"3.8\"\nservices: {}\n");
    git(recipe, "init", "-q");
    String[][] versions = {{"1.0.0+25.0", null}, {"1.1.0+25.1", "Bump image\n"},
        {"1.2.0+25.2", "ATTENTION: make a backup before upgrading.\n"}, {"2.0.0+26.0", "Security update\n"}};
    for (String[] v : versions) {
      if (v[1] != null) {
        Files.writeString(recipe.resolve("release").resolve(v[0]), v[1]);
      }
      Files.writeString(recipe.resolve("VERSION"), v[0]);
      git(recipe, "add", "-A");
      git(recipe, "commit", "-q", "-m", v[0]);
      git(recipe, "tag", v[0]);
    }
    git(recipe, "tag", "not-a-version");
  }

  @Test
  void testLatest_holdIsExit3WithJson() throws IOException {
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--latest", "--json");
    assertEquals(3, r.exit(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("HOLD", j.get("decision").asText());
    assertEquals("1.0.0+25.0", j.get("from").asText());
    assertEquals("2.0.0+26.0", j.get("to").asText());
    assertEquals("MAJOR_BUMP", j.get("reasons").get(0).get("code").asText());
    assertEquals("MANUAL_MIGRATION", j.get("reasons").get(1).get("code").asText());
    assertEquals("ATTENTION: make a backup before upgrading.", j.get("notes").get("1.2.0+25.2").get(0).asText());
    assertEquals("not-a-version", j.get("ignoredTags").get(0).asText());
  }

  /** A hung git (its packed refs a FIFO nobody writes) is stopped at timeouts.commandSeconds, not a fixed bound. */
  @Test
  void testRecipeDir_gitBoundedByCommandSeconds() throws Exception {
    Path refs = recipe.resolve(".git/packed-refs");
    git(recipe, "pack-refs", "--all");
    Files.delete(refs);
    Process mkfifo = new ProcessBuilder("mkfifo", refs.toString()).redirectErrorStream(true).start();
    assertEquals(0, mkfifo.waitFor(), new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Path config = Files.writeString(tmp.resolve("config.json"), "{\"timeouts\": {\"commandSeconds\": 2}}");
    long start = System.nanoTime();
    Run r = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0",
        "--latest");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertEquals(4, r.exit(), r.err());
    assertTrue(r.err().contains("'git tag --list --no-column' in " + recipe + " did not finish within 2 s"), r.err());
    assertTrue(seconds < 20, "took " + seconds + " s");
  }

  @Test
  void testTo_autoApplyIsExit0() {
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("AUTO_APPLY keycloak 1.0.0+25.0 -> 1.1.0+25.1"), r.out());
  }

  @Test
  void testAck_releasesTheHold() {
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--latest",
        "--ack", "1.2.0+25.2", "--ack", "2.0.0+26.0");
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("acknowledged by the operator: 2.0.0+26.0, 1.2.0+25.2"), r.out());
  }

  @Test
  void testMarker_extraPhraseHolds() {
    Run plain = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(0, plain.exit(), plain.out() + plain.err());
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--marker", "bump IMAGE");
    assertEquals(3, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("MANUAL_MIGRATION 1.1.0+25.1") && r.out().contains("> Bump image"), r.out());
  }

  @Test
  void testExplain_showsEachSentencesClass_inTextAndJson() throws IOException {
    Files.writeString(recipe.resolve("release").resolve("1.1.0+25.1"),
        "## Breaking changes\n\n- The `LEGACY` option has been removed.\n\n## Bug fixes\n\n- Fix login loop\n");
    Run text = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--explain");
    assertEquals(3, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("under \"Breaking changes\":"), text.out());
    assertTrue(text.out().contains("[Breaking changes | BREAKING] REMOVAL HOLDS {removal 'has been removed' on operator"
        + " 'option', now}"), text.out());
    assertTrue(text.out().contains("[Bug fixes | FIXES] ROUTINE"), text.out());
    Run json = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--explain", "--json");
    JsonNode o = new ObjectMapper().readTree(json.out());
    assertEquals("Breaking changes", o.get("reasons").get(0).get("headings").get(0).asText(), json.out());
    JsonNode first = o.get("explained").get(0);
    assertEquals("REMOVAL", first.get("class").asText(), json.out());
    assertEquals("removal 'has been removed' on operator 'option', now", first.get("effect").asText(), json.out());
    assertTrue(first.get("holds").asBoolean(), json.out());
    assertEquals("FIXES", o.get("explained").get(1).get("section").asText(), json.out());
    Run plain = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--json");
    assertTrue(new ObjectMapper().readTree(plain.out()).get("explained") == null, "only with --explain");
  }

  @Test
  void testConfigGateSection_contextAndMarkers() throws IOException {
    Files.writeString(recipe.resolve("release").resolve("1.1.0+25.1"),
        "## Helm chart\n\nThe `ingress.className` value has been removed.\n\nRotate the signing key (ops wiki).\n");
    Run swarm = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(0, swarm.exit(), "Helm-only changes do not hold a Swarm host: " + swarm.out() + swarm.err());
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"gate\": {\"context\": {\"helm\": true}, \"markers\": []}}");
    Run helm = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from",
        "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(3, helm.exit(), helm.out() + helm.err());
    Files.writeString(config, "{\"gate\": {\"markers\": [\"signing key\"]}}");
    Run marked = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from",
        "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(3, marked.exit(), marked.out() + marked.err());
    assertTrue(marked.out().contains("> Rotate the signing key"), marked.out());
    Files.writeString(config, "{\"gate\": {\"markers\": [\" \"]}}");
    Run bad = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from",
        "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(2, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.err().contains("gate.markers[0]"), bad.err());
  }

  /** gate.autoApply from the config, --auto-apply over it for one run, in the text and the JSON; bad values exit 2. */
  @Test
  void testAutoApply_configAndFlag_holdAMinorStepUnderPatch() throws IOException {
    Run minor = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(0, minor.exit(), "the default is minor: " + minor.out() + minor.err());
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"gate\": {\"autoApply\": \"patch\"}}");
    Run patch = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from",
        "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(3, patch.exit(), patch.out() + patch.err());
    assertTrue(patch.out().contains("STEP_ABOVE_AUTO_APPLY 1.1.0+25.1: a minor step (1.0.0 → 1.1.0); gate.autoApply"
        + " is patch"), patch.out());
    Run overridden = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from",
        "1.0.0+25.0", "--to", "1.1.0+25.1", "--auto-apply", "minor");
    assertEquals(0, overridden.exit(), "the flag overrides the config: " + overridden.out() + overridden.err());
    Run flag = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--auto-apply", "patch", "--json");
    assertEquals(3, flag.exit(), flag.out() + flag.err());
    JsonNode j = new ObjectMapper().readTree(flag.out());
    assertEquals("STEP_ABOVE_AUTO_APPLY", j.get("reasons").get(0).get("code").asText());
    assertTrue(j.get("reasons").get(0).get("detail").asText().contains("gate.autoApply is patch"), flag.out());
    Run ack = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--auto-apply", "patch", "--ack", "1.1.0+25.1");
    assertEquals(0, ack.exit(), "acknowledging the target releases the step: " + ack.out() + ack.err());

    Run badFlag = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--auto-apply", "major");
    assertEquals(2, badFlag.exit(), badFlag.out() + badFlag.err());
    assertEquals("", badFlag.out());
    assertTrue(badFlag.err().startsWith("error: --auto-apply must be 'minor' or 'patch', got 'major'"), badFlag.err());
    Files.writeString(config, "{\"gate\": {\"autoApply\": \"Patch\"}}");
    Run badConfig = warm("gate", "--config", config.toString(), "--recipe-dir", recipe.toString(), "--from",
        "1.0.0+25.0", "--to", "1.1.0+25.1");
    assertEquals(2, badConfig.exit(), badConfig.out() + badConfig.err());
    assertTrue(badConfig.err().contains("gate.autoApply") && badConfig.err().contains("'patch'"), badConfig.err());
  }

  @Test
  void testSameVersion_noOpIsExit0() {
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "2.0.0+26.0", "--latest");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("NO_OP"), r.out());
  }

  @Test
  void testUnparsableInstalledVersion_isAHold() {
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "garbage", "--latest");
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.out().contains("UNPARSABLE"), r.out());
  }

  @Test
  void testBadInput_exit2WithOneLine() throws IOException {
    Run missing = warm("gate", "--recipe-dir", tmp.resolve("nope").toString(), "--from", "1.0.0+1", "--latest");
    assertEquals(2, missing.exit());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertTrue(missing.err().startsWith("error: recipe directory") && missing.err().contains("does not exist"),
        missing.err());
    assertEquals("", missing.out());

    assertEquals(2, warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+1").exit(), "no target");
    assertEquals(2, warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+1", "--to", "1.1.0+1",
        "--latest").exit(), "both targets");
    assertEquals(2, warm("gate", "--recipe-dir", recipe.toString(), "--latest").exit(), "no --from");
    assertEquals(2, warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+1", "--latest", "--ack",
        "x/y").exit(), "bad --ack");
    Path exported = Files.createDirectories(tmp.resolve("exported"));
    Files.writeString(exported.resolve("compose.yml"), "services: {}\n");
    Run notGit = warm("gate", "--recipe-dir", exported.toString(), "--from", "1.0.0+1", "--latest");
    assertEquals(2, notGit.exit(), notGit.err());
    assertTrue(notGit.err().contains("not a git repository"), notGit.err());
  }

  /**
   * A directory that is not a recipe at all (no compose.yml, no notes, no git) is bad input naming the problem, with
   * or without git and notes; before this it answered AUTO_APPLY (no notes: nothing in the way).
   */
  @Test
  void testPlainDirectory_isNotARecipe_exit2() throws Exception {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    for (String[] target : new String[][] {{"--to", "1.1.0+25.1"}, {"--latest"}}) {
      List<String> args = new ArrayList<>(List.of("gate", "--recipe-dir", plain.toString(), "--from", "1.0.0+25.0"));
      args.addAll(List.of(target));
      Run r = warm(args.toArray(String[]::new));
      assertEquals(2, r.exit(), r.toString());
      assertEquals("", r.out(), r.toString());
      assertEquals("error: --recipe-dir " + plain + " is not a recipe checkout: it has no compose.yml (give a recipe's "
          + "checkout, e.g. ~/.abra/recipes/<recipe>, or --recipe NAME)", r.err().strip(), r.toString());
    }
    // The same recipe without its compose.yml: its notes and tags do not make it one.
    Files.delete(recipe.resolve("compose.yml"));
    assertEquals(2, warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1")
        .exit());
  }

  /** A real recipe whose versions in range have no note at all: AUTO_APPLY, by design (docs/gate.md). */
  @Test
  void testRecipeWithoutNotesInRange_autoApplies() {
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.0.1+25.0");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("AUTO_APPLY"), r.out());
  }

  @Test
  void testBothTargets_oneClearUsageLine() {
    Run both = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.1.0+25.1",
        "--latest");
    assertEquals(2, both.exit(), both.err());
    assertEquals("", both.out());
    assertEquals("error: give either --to VERSION or --latest, not both", both.err().strip().lines().findFirst()
        .orElse(""), both.err());
    Run none = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0");
    assertEquals(2, none.exit(), none.err());
    assertEquals("error: give the target: --to VERSION or --latest", none.err().strip().lines().findFirst()
        .orElse(""), none.err());
  }

  @Test
  void testNoteOnlyInTheTargetsTag_holds() throws Exception {
    // abra leaves the recipe tree at the deployed tag: the newer notes are only in their tags.
    git(recipe, "-c", "advice.detachedHead=false", "checkout", "-q", "1.0.0+25.0");
    Run r = warm("gate", "--recipe-dir", recipe.toString(), "--from", "1.0.0+25.0", "--to", "1.2.0+25.2");
    assertEquals(3, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("MANUAL_MIGRATION 1.2.0+25.2") && r.out().contains("> ATTENTION: make a backup"),
        r.out());
  }
}
