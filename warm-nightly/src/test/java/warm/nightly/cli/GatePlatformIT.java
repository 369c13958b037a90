package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static warm.nightly.cli.InProcessWarm.warm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.naming.Naming;
import warm.core.process.ProcessRunner;
import warm.core.sample.SampleRecipe;
import warm.core.testing.Prereq;
import warm.nightly.cli.InProcessWarm.Run;

/**
 * {@code warm gate --recipe NAME}: the gate on the configured platform (the real swarm adapter; Swarm must answer),
 * reading versions and notes exactly as the reconciler does. The recipe tree is left at its oldest tag, as abra
 * leaves its shared tree after a deploy: the newer notes are only in their tags.
 */
class GatePlatformIT {
  private static final ProcessRunner RUNNER = ProcessRunner.system();
  @TempDir
  Path root;
  Path config;
  String name;
  Path recipe;


  @BeforeEach
  void setUp() throws Exception {
    Prereq.swarm();
    name = "gate-" + Naming.randomHex();
    recipe = SampleRecipe.materialize(root.resolve("recipes").resolve(name), RUNNER);
    config = root.resolve("config.json");
    Files.writeString(config, """
        {"stateRoot": "%s", "ciDomain": "git-%s.localhost", "swarm": {"recipesDir": "%s", "appsDir": "%s"}}
        """.formatted(root.resolve("state"), Naming.randomHex(), root.resolve("recipes"), root.resolve("apps")));
    SampleRecipe.git(RUNNER, recipe, "-c", "advice.detachedHead=false", "checkout", "-q", "refs/tags/1.0.0+1.0");
  }

  @Test
  void testNoteOnlyInTheTargetsTag_holds() throws Exception {
    assertFalse(Files.exists(recipe.resolve("release/2.0.0+2.0")), "the tree is at 1.0.0+1.0");
    Run r = warm("gate", "--config", config.toString(), "--recipe", name, "--from", "1.0.0+1.0", "--latest",
        "--json");
    assertEquals(3, r.exit(), r.out() + r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("2.0.0+2.0", j.get("to").asText());
    List<String> codes = List.of(j.get("reasons").get(0).get("code").asText(),
        j.get("reasons").get(1).get("code").asText());
    assertEquals(List.of("MAJOR_BUMP", "MANUAL_MIGRATION"), codes, r.out());
    assertEquals("2.0.0+2.0", j.get("reasons").get(1).get("version").asText());
    assertTrue(j.get("notes").get("2.0.0+2.0").get(0).asText().startsWith("ATTENTION"), r.out());

    Run routine = warm("gate", "--config", config.toString(), "--recipe", name, "--from", "1.0.0+1.0", "--to",
        "1.1.0+1.1");
    assertEquals(0, routine.exit(), routine.out() + routine.err());
    assertTrue(routine.out().contains("release notes read: 1.1.0+1.1"), routine.out());
  }

  @Test
  void testSymlinkNoteInATag_holdsAsUnreadable() throws Exception {
    SampleRecipe.git(RUNNER, recipe, "checkout", "-q", "--detach", "refs/tags/2.0.0+2.0");
    Path secret = Files.writeString(root.resolve("outside.txt"), "SECRET-OUTSIDE ATTENTION\n");
    Files.createSymbolicLink(recipe.resolve("release/2.1.0+2.1"), secret);
    SampleRecipe.git(RUNNER, recipe, "add", "-A");
    SampleRecipe.git(RUNNER, recipe, "commit", "-q", "-m", "hostile note");
    SampleRecipe.git(RUNNER, recipe, "tag", "2.1.0+2.1");
    SampleRecipe.git(RUNNER, recipe, "-c", "advice.detachedHead=false", "checkout", "-q", "refs/tags/1.0.0+1.0");
    Run r = warm("gate", "--config", config.toString(), "--recipe", name, "--from", "2.0.0+2.0", "--latest");
    assertEquals(3, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("UNREADABLE_NOTE 2.1.0+2.1") && r.out().contains("symbolic link (not followed)"),
        r.out());
    assertFalse(r.out().contains("SECRET-OUTSIDE"), r.out());
  }

  /** A config whose infra app runs this recipe, with the given {@code upstreamNotes} object. */
  private Path configWithUpstream(String upstreamNotes) throws Exception {
    Path c = root.resolve("config-upstream-" + Naming.randomHex() + ".json");
    Files.writeString(c, """
        {"stateRoot": "%s", "ciDomain": "git-%s.localhost", "swarm": {"recipesDir": "%s", "appsDir": "%s"},
         "infra": [{"name": "infra-%s", "recipe": "%s", "domain": "%s.localhost", "upstreamNotes": %s}]}
        """.formatted(root.resolve("state"), Naming.randomHex(), root.resolve("recipes"), root.resolve("apps"), name,
        name, name, upstreamNotes));
    return c;
  }

  @Test
  void testUpstreamNotesOfTheConfiguredApp_holdTheSameStepTheRecipeLetsThrough() throws Exception {
    Path notes = Files.createDirectories(root.resolve("upstream"));
    Files.writeString(notes.resolve("1.1.md"), "Upstream 1.1: you must reindex by hand after upgrading.\n");
    Path c = configWithUpstream("{\"directory\": \"" + notes + "\"}");
    Run r = warm("gate", "--config", c.toString(), "--recipe", name, "--from", "1.0.0+1.0", "--to", "1.1.0+1.1",
        "--json");
    assertEquals(3, r.exit(), r.out() + r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("MANUAL_MIGRATION", j.get("reasons").get(0).get("code").asText(), r.out());
    assertEquals("upstream 1.1", j.get("reasons").get(0).get("version").asText(), r.out());
    assertEquals(notes.resolve("1.1.md").toString(), j.get("noteSources").get("upstream 1.1").asText(), r.out());

    Path proceed = configWithUpstream("{\"directory\": \"" + root.resolve("gone") + "\", \"onUnreachable\": \"proceed\"}");
    Run warned = warm("gate", "--config", proceed.toString(), "--recipe", name, "--from", "1.0.0+1.0", "--to",
        "1.1.0+1.1");
    assertEquals(0, warned.exit(), warned.out() + warned.err());
    assertTrue(warned.out().contains("WARNING: upstream 1.1 not read") && warned.out().contains("does not exist"),
        warned.out());
    Path hold = configWithUpstream("{\"directory\": \"" + root.resolve("gone") + "\"}");
    Run held = warm("gate", "--config", hold.toString(), "--recipe", name, "--from", "1.0.0+1.0", "--to",
        "1.1.0+1.1");
    assertEquals(3, held.exit(), held.out() + held.err());
    assertTrue(held.out().contains("UPSTREAM_UNREACHABLE upstream 1.1"), held.out());
  }

  @Test
  void testBadRecipe_exit2() {
    Run missing = warm("gate", "--config", config.toString(), "--recipe", "no-such-" + name, "--from", "1.0.0+1.0",
        "--latest");
    assertEquals(2, missing.exit(), missing.err());
    assertTrue(missing.err().startsWith("error: recipe 'no-such-"), missing.err());
    Run hostile = warm("gate", "--config", config.toString(), "--recipe", "../etc", "--from", "1.0.0+1.0", "--latest");
    assertEquals(2, hostile.exit(), hostile.err());
    assertTrue(hostile.err().startsWith("error: invalid recipe name"), hostile.err());
    Run none = warm("gate", "--config", config.toString(), "--from", "1.0.0+1.0", "--latest");
    assertEquals(2, none.exit(), none.err());
    assertTrue(none.err().startsWith("error: give the recipe"), none.err());
  }
}
