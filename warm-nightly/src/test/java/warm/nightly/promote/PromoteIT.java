package warm.nightly.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.sample.SampleRecipe;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.nightly.testing.PromoteBed;
import warm.nightly.testing.PromoteBed.Fingerprint;
import warm.nightly.testing.PromoteBed.Run;
import warm.nightly.testing.QuickBed;
import warm.snapshot.SnapshotMeta;

/**
 * {@code warm promote} through the built distribution on the real Swarm: the seed, a promotion across a version bump
 * that upgrades the canonical's own data, refusals that change nothing, each form of failure rolled back to the old
 * known-good (a failed first seed leaving nothing), and a quick run after a promotion.
 */
@Tag("docker")
class PromoteIT {
  private static final String LATEST = PromoteBed.SAMPLE_LATEST;
  private PromoteBed bed;

  @AfterEach
  void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  /** A release whose compose file docker refuses (an unknown key): the deploy command fails. */
  private static String invalidCompose(String compose) {
    return compose.replace("    stop_grace_period: 3s", "    stop_grace_period: 3s\n    bogus_key: 1");
  }

  /** The first green cold run on the latest release seeds the canonical through {@code warm promote}. */
  private JsonNode seed() throws Exception {
    Run r = bed.warm("promote", "--recipe", bed.recipe(), "--json",
        "--cold-result", bed.coldResult(LATEST, bed.commitOf(LATEST), "pass").toString());
    assertEquals(0, r.exit(), r.toString());
    return r.json();
  }

  @Test
  void seedThenPromoteAcrossAVersionBump_dataUpgradedInPlace() throws Exception {
    bed = PromoteBed.create("promote", "sample");
    JsonNode seeded = seed();
    assertEquals("promoted", seeded.path("outcome").asText(), seeded.toString());
    assertTrue(seeded.path("seed").asBoolean(), seeded.toString());
    CanonicalRecord first = bed.canonical();
    assertEquals(LATEST, first.version());
    assertEquals(bed.commitOf(LATEST), first.commit());
    assertEquals(first.snapshotId(), bed.knownGoodId());
    assertEquals(first.snapshotId(), seeded.path("snapshotId").asText());
    bed.assertAtRest();
    assertEquals("initialised by " + LATEST + "\n", Files.readString(bed.volume().resolve("www/index.html")));

    String commit = bed.publish("2.1.0+2.1", c -> c);
    Path check = bed.script("check.sh", """
        test "$WARM_VERSION" = 2.1.0+2.1 || { echo "WARM_VERSION=$WARM_VERSION" >&2; exit 1; }
        c=$(docker ps -q --filter "label=com.docker.swarm.service.name=${WARM_STACK}_app" | head -n 1)
        docker exec "$c" grep -q "boot 2.1.0+2.1" /data/boots.log""");
    Run r = bed.warm("promote", "--recipe", bed.recipe(), "--commit", commit.substring(0, 12), "--json",
        "--cold-result", bed.coldResult("2.1.0+2.1", commit, "pass").toString(), "--", check.toString());
    assertEquals(0, r.exit(), r.toString());
    JsonNode j = r.json();
    assertEquals("promoted", j.path("outcome").asText(), j.toString());
    assertFalse(j.path("seed").asBoolean(), j.toString());
    assertEquals(first.snapshotId(), j.path("previousSnapshotId").asText());

    CanonicalRecord now = bed.canonical();
    assertEquals("2.1.0+2.1", now.version());
    assertEquals(commit, now.commit(), "the full commit is recorded");
    assertNotEquals(first.snapshotId(), now.snapshotId(), "the known-good advanced");
    assertEquals(now.snapshotId(), bed.knownGoodId());
    assertEquals(now.snapshotId(), j.path("snapshotId").asText());
    assertTrue(now.promotedAt().isAfter(first.promotedAt()));
    SnapshotMeta meta = bed.store().knownGood().orElseThrow();
    assertEquals("2.1.0+2.1", meta.tag().version());
    assertEquals(commit, meta.tag().commit());
    assertEquals(List.of("snap-" + now.snapshotId()), bed.snapshots(), "the old snapshot was pruned");
    bed.assertAtRest();
    // The canonical upgraded its own data: what the older release wrote is still there, with the new boot after it.
    assertEquals("initialised by " + LATEST + "\n", Files.readString(bed.volume().resolve("www/index.html")));
    String boots = Files.readString(bed.volume().resolve("boots.log"));
    int older = boots.indexOf("boot " + LATEST);
    assertTrue(older >= 0 && boots.indexOf("boot 2.1.0+2.1") > older, boots);
    assertEquals(List.of(), bed.alertKinds(), "a promotion raises no alert");
  }

  @Test
  void quickRunAfterAPromotion_startsFromTheNewKnownGood_neverChangesCanonicalJson() throws Exception {
    bed = PromoteBed.create("promoteq", "sample");
    seed();
    String commit = bed.publish("2.1.0+2.1", c -> c);
    Run p = bed.warm("promote", "--recipe", bed.recipe(), "--cold-result",
        bed.coldResult("2.1.0+2.1", commit, "pass").toString());
    assertEquals(0, p.exit(), p.toString());
    assertTrue(p.out().startsWith("promoted " + bed.recipe() + " to 2.1.0+2.1"), p.toString());
    CanonicalRecord promoted = bed.canonical();
    String canonicalJson = Files.readString(bed.state().path(bed.recipe(), StateFile.CANONICAL));
    // Volumes dirty since the promotion (as a PASS leaves them): the quick run must restore the NEW known-good.
    Files.writeString(bed.volume().resolve("www/index.html"), "drifted\n");

    Path pr = bed.root().resolve("pr");
    QuickBed.RUNNER.run(warm.core.process.Command.of("git", "clone", "-q", bed.recipeDir().toString(), pr.toString()))
        .requireSuccess();
    Files.writeString(pr.resolve("compose.yml"), Files.readString(pr.resolve("compose.yml"))
        .replace("INIT_SECONDS=${INIT_SECONDS:-1}", "INIT_SECONDS=${INIT_SECONDS:-1}\n      - PR=1"));
    Path result = bed.root().resolve("quick.json");
    Path assertion = bed.script("assert.sh", """
        c=$(docker ps -q --filter "label=com.docker.swarm.service.name=${WARM_STACK}_app" | head -n 1)
        docker exec "$c" grep -q "initialised by %s" /data/www/index.html""".formatted(LATEST));
    Process q = QuickBed.launch("warm.quick", List.of("run", "--config", bed.config().toString(), "--recipe",
        bed.recipe(), "--checkout", pr.toString(), "--json", result.toString(), "--", assertion.toString())).start();
    String err = QuickBed.finish(q, java.time.Duration.ofMinutes(5));
    assertEquals(0, q.exitValue(), err);
    JsonNode r = PromoteBed.JSON.readTree(result.toFile());
    assertEquals("pass", r.path("outcome").asText(), r.toString());
    assertTrue(r.path("restored").asBoolean(), "the drifted volumes were restored first: " + r);
    assertEquals(promoted.snapshotId(), r.path("canonical").path("snapshotId").asText());
    assertEquals("2.1.0+2.1", r.path("canonical").path("version").asText());
    assertEquals(canonicalJson, Files.readString(bed.state().path(bed.recipe(), StateFile.CANONICAL)),
        "a quick run never changes canonical.json");
    assertEquals(promoted.snapshotId(), bed.knownGoodId(), "nor the known-good");
  }

  @Test
  void refusals_changeNothing() throws Exception {
    bed = PromoteBed.create("promoter", "sample");
    seed();
    String oldCommit = bed.commitOf(LATEST);
    String commit = bed.publish("2.1.0+2.1", c -> c);
    Fingerprint before = bed.fingerprint();

    Run notLatest = bed.warm("promote", "--recipe", bed.recipe(), "--cold-result",
        bed.coldResult(LATEST, oldCommit, "pass").toString());
    assertRefused(notLatest, "which is not the latest published release (2.1.0+2.1)", before);

    Run red = bed.warm("promote", "--recipe", bed.recipe(), "--cold-result",
        bed.coldResult("2.1.0+2.1", commit, "fail").toString());
    assertRefused(red, "was not green (outcome 'fail')", before);

    Run otherCommit = bed.warm("promote", "--recipe", bed.recipe(), "--commit", oldCommit);
    assertRefused(otherCommit, "but the latest release 2.1.0+2.1 of " + bed.recipe() + " is commit " + commit, before);

    Path unenrolled = bed.root().resolve("unenrolled.json");
    Files.writeString(unenrolled, Files.readString(bed.config()).replace("\"recipes\": [{\"name\": \"sample\"}],", ""));
    Run notEnrolled = bed.warm("promote", "--recipe", bed.recipe(), "--config", unenrolled.toString(),
        "--cold-result", bed.coldResult("2.1.0+2.1", commit, "pass").toString());
    assertRefused(notEnrolled, "is not enrolled", before);
  }

  private void assertRefused(Run r, String why, Fingerprint before) throws Exception {
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains(why), r.toString());
    assertEquals(before, bed.fingerprint(), "nothing changed");
    bed.assertAtRest();
    assertEquals(List.of(), bed.alertKinds(), "a refusal is no failure: no alert");
  }

  @Test
  void failures_rollBackToTheOldKnownGood() throws Exception {
    bed = PromoteBed.create("promotef", "sample");
    seed();
    Fingerprint before = bed.fingerprint();

    // The deploy fails (the release does not converge: an invalid compose file).
    String c1 = bed.publish("2.1.0+2.1", PromoteIT::invalidCompose);
    assertRolledBack(bed.warm("promote", "--recipe", bed.recipe(), "--json", "--cold-result",
        bed.coldResult("2.1.0+2.1", c1, "pass").toString()), 4, before, 1);

    // The release deploys but never becomes healthy.
    String c2 = bed.publish("2.2.0+2.2", c -> c.replace("test -f /data/initialised &&", "test -f /data/never &&"));
    assertRolledBack(bed.warm("promote", "--recipe", bed.recipe(), "--json", "--commit", c2), 4, before, 2);

    // The check command fails against the upgraded canonical.
    String c3 = bed.publish("2.3.0+2.3", c -> c);
    Path failing = bed.script("failing-check.sh", "echo 'the upgraded app lost its data' >&2; exit 3");
    Run checked = bed.warm("promote", "--recipe", bed.recipe(), "--json", "--commit", c3, "--", failing.toString());
    assertRolledBack(checked, 1, before, 3);
    assertTrue(checked.json().path("reason").asText().contains("the check command failed (exit 3)"),
        checked.toString());

    // The snapshot fails: the store cannot take a new snapshot (immutable directory, as a read-only store would be).
    String c4 = bed.publish("2.4.0+2.4", c -> c);
    Path breaker = bed.script("break-store.sh", "chattr +i '" + bed.store().directory() + "'");
    Run snap = bed.warm("promote", "--recipe", bed.recipe(), "--json", "--commit", c4, "--", breaker.toString());
    QuickBed.RUNNER.run(warm.core.process.Command.of("chattr", "-i", bed.store().directory().toString()))
        .requireSuccess();
    assertRolledBack(snap, 4, before, 4);
    assertTrue(snap.json().path("reason").asText().contains("snapshot of the canonical"), snap.toString());
  }

  private void assertRolledBack(Run r, int exit, Fingerprint before, int alerts) throws Exception {
    assertEquals(exit, r.exit(), r.toString());
    JsonNode j = r.json();
    assertEquals("failed", j.path("outcome").asText(), j.toString());
    assertTrue(j.path("restored").asBoolean(), j.toString());
    assertEquals(before.knownGood(), j.path("snapshotId").asText());
    assertTrue(r.err().contains("error: promotion of " + bed.recipe()), r.toString());
    assertEquals(before, bed.fingerprint(), "known-good, canonical.json and volumes as before");
    bed.assertAtRest();
    assertEquals(List.of("snap-" + before.knownGood()), bed.snapshots(), "the failed promotion's snapshot is gone");
    assertEquals(alerts, bed.alertKinds().stream().filter("promote-failed"::equals).count(), "one alert per failure");
  }

  @Test
  void failedFirstSeed_leavesNothingBehind() throws Exception {
    bed = PromoteBed.create("promotes", "sample");
    Path failing = bed.script("failing-check.sh", "exit 1");
    Run r = bed.warm("promote", "--recipe", bed.recipe(), "--json", "--", failing.toString());
    assertEquals(1, r.exit(), r.toString());
    assertEquals("failed", r.json().path("outcome").asText());
    assertTrue(r.json().path("seed").asBoolean());
    assertTrue(r.err().contains("(everything it made was removed)"), r.toString());
    bed.assertNothingLeft();

    bed.publish("2.1.0+2.1", PromoteIT::invalidCompose);
    Run broken = bed.warm("promote", "--recipe", bed.recipe(), "--json");
    assertEquals(4, broken.exit(), broken.toString());
    bed.assertNothingLeft();
    assertEquals(2, bed.alertKinds().stream().filter("promote-failed"::equals).count());

    // The same path, through 'warm canonical seed', at an older release: the command keeps working.
    Run seeded = bed.warm("canonical", "seed", "--recipe", bed.recipe(), "--recipe-version",
        SampleRecipe.VERSIONS.get(0));
    assertEquals(0, seeded.exit(), seeded.toString());
    assertEquals(SampleRecipe.VERSIONS.get(0), bed.canonical().version());
    bed.assertAtRest();
  }
}
