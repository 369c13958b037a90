package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.testing.Prereq;
import warm.core.testing.RealPart;

/**
 * abra leaves its one shared recipe tree checked out at the deployed tag, so the notes of newer versions exist only in
 * their own tags. A real git repository, its working tree back at the oldest tag: the gate must still read them.
 */
class NotesAtTagsTest {
  private static final String OLD = "1.0.0+1.0";
  private static final String ROUTINE = "1.1.0+1.1";
  private static final String MANUAL = "1.2.0+1.2";
  private static final String MANUAL_LINE = "ATTENTION: run the realm migration by hand before upgrading.";

  @TempDir
  Path tmp;
  Path recipe;

  @BeforeEach
  void setUp() throws IOException {
    Prereq.require(RealPart.GIT.present(), "git is not installed");
    recipe = Files.createDirectories(tmp.resolve("keycloak").resolve("release")).getParent();
    LatestTagFixtureTest.git(recipe, "init", "-q");
    release(OLD, "First release.\n");
    release(ROUTINE, "Bump image.\n");
    release(MANUAL, "Security update.\n" + MANUAL_LINE + "\n");
    LatestTagFixtureTest.git(recipe, "-c", "advice.detachedHead=false", "checkout", "-q", OLD);
  }

  private void release(String version, String note) throws IOException {
    Files.writeString(recipe.resolve("release").resolve(version), note);
    Files.writeString(recipe.resolve("VERSION"), version);
    LatestTagFixtureTest.git(recipe, "add", "-A");
    LatestTagFixtureTest.git(recipe, "commit", "-q", "-m", "release " + version);
    LatestTagFixtureTest.git(recipe, "tag", version);
  }

  @Test
  void testDecide_noteOnlyInTheTargetsTag_holds() {
    assertFalse(Files.exists(recipe.resolve("release").resolve(MANUAL)), "the fixture's working tree is at " + OLD);
    GateDecision d = UpgradeGate.decide(recipe, OLD, MANUAL, GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome(), d.toText());
    assertEquals(List.of("MANUAL_MIGRATION " + MANUAL),
        d.reasons().stream().map(r -> r.code() + " " + r.version()).toList(), d.toText());
    assertEquals(List.of(MANUAL_LINE), d.reasons().get(0).quotes());
    assertEquals(List.of(ROUTINE, MANUAL), d.notesRead());
  }

  @Test
  void testDecideLatest_noteOnlyInTheTargetsTag_holds() {
    GateDecision d = UpgradeGate.decideLatest(recipe, OLD, GatePolicy.defaults());
    assertEquals(MANUAL, d.to());
    assertEquals(GateDecision.Outcome.HOLD, d.outcome(), d.toText());
    assertTrue(d.toText().contains("> " + MANUAL_LINE), d.toText());
  }

  @Test
  void testDecide_intermediateNoteOnlyInItsTag_counts() {
    GateDecision d = UpgradeGate.decide(recipe, OLD, ROUTINE, GatePolicy.defaults());
    assertEquals(GateDecision.Outcome.AUTO_APPLY, d.outcome(), d.toText());
    assertEquals(List.of(ROUTINE), d.notesRead(), "the routine note was read from its tag");
  }

  @Test
  void testSymlinkCommittedInTheTag_isNotFollowedAndHolds() throws IOException {
    Path outside = tmp.resolve("outside-secret.txt");
    Files.writeString(outside, "SECRET-OUTSIDE ATTENTION\n");
    LatestTagFixtureTest.git(recipe, "checkout", "-q", "--detach", MANUAL);
    Files.createSymbolicLink(recipe.resolve("release").resolve("1.3.0+1.3"), outside);
    Files.writeString(recipe.resolve("VERSION"), "1.3.0+1.3");
    LatestTagFixtureTest.git(recipe, "add", "-A");
    LatestTagFixtureTest.git(recipe, "commit", "-q", "-m", "release 1.3.0+1.3");
    LatestTagFixtureTest.git(recipe, "tag", "1.3.0+1.3");
    LatestTagFixtureTest.git(recipe, "checkout", "-q", OLD);
    GateDecision d = UpgradeGate.decide(recipe, MANUAL, "1.3.0+1.3", GatePolicy.defaults());
    assertEquals(List.of("UNREADABLE_NOTE 1.3.0+1.3"),
        d.reasons().stream().map(r -> r.code() + " " + r.version()).toList(), d.toText());
    assertTrue(d.reasons().get(0).detail().contains("in tag 1.3.0+1.3 is a symbolic link"), d.toText());
    assertFalse(d.toJson().contains("SECRET-OUTSIDE"));
  }

  @Test
  void testHugeNoteInTheTag_readsOnlyTheBoundAndHolds() throws IOException {
    LatestTagFixtureTest.git(recipe, "checkout", "-q", "--detach", MANUAL);
    String line = "bump image, fix typo, nothing to do\n";
    release("1.3.0+1.3", line.repeat((3 << 20) / line.length()) + "ATTENTION: beyond the first MiB\n");
    LatestTagFixtureTest.git(recipe, "checkout", "-q", OLD);
    GateDecision d = UpgradeGate.decide(recipe, MANUAL, "1.3.0+1.3", GatePolicy.defaults());
    assertEquals(List.of("UNREADABLE_NOTE 1.3.0+1.3"),
        d.reasons().stream().map(r -> r.code() + " " + r.version()).toList(), d.toText());
    assertTrue(d.reasons().get(0).detail().contains("larger than 1 MiB"), d.toText());
    assertFalse(d.toText().contains("beyond the first MiB"), "bytes past the bound were not kept");
  }

  @Test
  void testWorkingTreeNoteIsRead_whenTheTreeHasIt() throws IOException {
    // An untagged note in the working tree counts too: a missing tag must not hide a warning.
    Files.writeString(recipe.resolve("release").resolve("1.0.5+1.0"), "You must rotate the admin password.\n");
    GateDecision d = UpgradeGate.decide(recipe, OLD, ROUTINE, GatePolicy.defaults());
    assertEquals(List.of("MANUAL_MIGRATION 1.0.5+1.0"),
        d.reasons().stream().map(r -> r.code() + " " + r.version()).toList(), d.toText());
    assertEquals(List.of("1.0.5+1.0", ROUTINE), d.notesRead());
  }
}
