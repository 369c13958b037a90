package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.process.Command;
import warm.core.testing.Prereq;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.PromoteBed;
import warm.nightly.testing.QuickBed;

/**
 * The Python snippets of docs/quick.md, as printed there, run by python3 against the built distribution on the real
 * Swarm (the issue: the runner's side must not rot). {@code warm} and {@code warm-quick} on PATH are the launchers
 * the NixOS package installs: {@code bin/warm} of this checkout, and a wrapper of the same shape as package.nix's.
 * The promote snippet seeds the canonical (a green cold run on the latest release), is refused for an older release,
 * and the quick snippet then passes from that known-good.
 */
@Tag("docker")
class RunnerSnippetsIT {
  private PromoteBed bed;

  @AfterEach
  void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  /** Every ```python block of the page, in order. */
  static List<String> pythonBlocks(Path page) throws Exception {
    List<String> blocks = new ArrayList<>();
    String text = Files.readString(page);
    int at = 0;
    while ((at = text.indexOf("```python\n", at)) >= 0) {
      int start = at + "```python\n".length();
      int end = text.indexOf("```", start);
      blocks.add(text.substring(start, end));
      at = end + 3;
    }
    return blocks;
  }

  @Test
  void promoteThenQuick_asTheRunnerCallsThem() throws Exception {
    Prereq.require(QuickBed.RUNNER.run(Command.of("python3", "--version")).ok(), "python3");
    List<String> blocks = pythonBlocks(Distribution.repoRoot().resolve("docs/quick.md"));
    assertEquals(2, blocks.size(), "the quick and the promote snippet");
    assertTrue(blocks.get(1).contains("def promote_after_cold("), blocks.get(1));

    bed = PromoteBed.create("snippets", "sample");
    Path bin = Files.createDirectories(bed.root().resolve("bin"));
    Files.createSymbolicLink(bin.resolve("warm"), Distribution.repoRoot().resolve("bin/warm"));
    Path quick = bin.resolve("warm-quick");
    Files.writeString(quick, "#!/bin/sh\nexec \"$JAVA\" -p '" + Distribution.lib() + "' -m warm.quick \"$@\"\n");
    quick.toFile().setExecutable(true);
    Path pr = bed.root().resolve("pr");
    QuickBed.RUNNER.run(Command.of("git", "clone", "-q", bed.recipeDir().toString(), pr.toString())).requireSuccess();
    Files.writeString(pr.resolve("compose.yml"), Files.readString(pr.resolve("compose.yml"))
        .replace("INIT_SECONDS=${INIT_SECONDS:-1}", "INIT_SECONDS=${INIT_SECONDS:-1}\n      - PR=1"));

    String latest = PromoteBed.SAMPLE_LATEST;
    String older = warm.core.sample.SampleRecipe.VERSIONS.get(0);
    Path script = bed.root().resolve("runner.py");
    Files.writeString(script, String.join("\n", blocks) + """

        import sys
        recipe, latest, latest_commit, older, older_commit, checkout = sys.argv[1:7]
        assert promote_after_cold(recipe, older, older_commit) is False, "an older release must be refused"
        assert promote_after_cold(recipe, latest, latest_commit) is True, "the first green cold run seeds"
        outcome = run_quick(recipe, checkout, ["true"])
        assert outcome == "pass", outcome
        print("SNIPPETS OK")
        """);
    ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), bed.recipe(), latest,
        bed.commitOf(latest), older, bed.commitOf(older), pr.toString())
        .redirectOutput(bed.root().resolve("runner-out.txt").toFile());
    pb.environment().remove("WARM_LIB");
    pb.environment().remove("JOURNAL_STREAM");
    pb.environment().putAll(Map.of("WARM_CONFIG", bed.config().toString(), "JAVA", Distribution.java(),
        "PATH", bin + ":" + Path.of(Distribution.java()).getParent() + ":" + System.getenv("PATH")));
    Process p = pb.start();
    String err = QuickBed.finish(p, Duration.ofMinutes(6));
    String out = Files.readString(bed.root().resolve("runner-out.txt"));
    assertEquals(0, p.exitValue(), out + "\n--- stderr\n" + err);
    assertTrue(out.contains("not promoted: error: the cold run tested sample " + older), out);
    assertTrue(out.contains("seeded sample at " + latest + ": known-good " + bed.knownGoodId()), out);
    assertTrue(out.contains("quick pass (lower confidence) from known-good " + latest), out);
    assertTrue(out.endsWith("SNIPPETS OK\n"), out);
    assertEquals(latest, bed.canonical().version());
  }
}
