package warm.nightly.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.naming.Naming;
import warm.nightly.testing.QuickBed.Run;
import warm.nightly.testing.QuickBed;

/**
 * A quick run refused for its input or preconditions changes nothing (DESIGN I9): a {@code --checkout} that is not a
 * git checkout, a reserved recipe name, no canonical. The state root (canonical, known-good, lock files, alerts) is
 * byte-for-byte, mode and mtime as it was, and nothing is deployed — checked against a real seeded canonical, so a
 * refusal that came only after the known-good deploy would show.
 */
@Tag("docker")
class QuickRefusalIT {
  private static QuickBed bed;
  private static Path good;
  private static Path notGit;

  @BeforeAll
  static void seed() throws Exception {
    bed = QuickBed.seed("qrf", "refusal");
    good = bed.checkout("good", c -> c.replace("SAMPLE_VERSION=2.0.0+2.0", "SAMPLE_VERSION=pr-good"));
    // The recipe's files without its .git: what a runner passes when it exported the PR instead of checking it out.
    notGit = bed.root().resolve("exported");
    Files.createDirectories(notGit);
    try (Stream<Path> files = Files.list(good)) {
      for (Path f : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
        Files.copy(f, notGit.resolve(f.getFileName()));
      }
    }
  }

  @AfterAll
  static void cleanup() {
    if (bed != null) {
      bed.cleanup();
    }
  }

  @Test
  void testRun_checkoutNotGit_exit2_nothingCreatedNothingDeployed() throws Exception {
    Map<String, String> before = tree(stateRoot());
    Run r = bed.quick(bed.recipe(), notGit, "true");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains(notGit + " is not a git checkout"), r.err());
    assertEquals(before, tree(stateRoot()), "state root unchanged");
    assertTrue(bed.platform().deployed(bed.app()).isEmpty(), "nothing deployed");
    bed.assertNothingRunning();
  }

  @Test
  void testPrepare_checkoutNotGit_exit2_nothingCreated() throws Exception {
    Map<String, String> before = tree(stateRoot());
    Path envFile = bed.root().resolve("env-" + Naming.randomHex());
    Run r = bed.warmQuick("prepare", "--recipe", bed.recipe(), "--checkout", notGit.toString(),
        "--env-file", envFile.toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("is not a git checkout"), r.err());
    assertEquals(before, tree(stateRoot()), "state root unchanged");
    assertFalse(Files.exists(envFile), "no env file");
    bed.assertNothingRunning();
  }

  @Test
  void testReservedName_runPrepareFinish_exit2_stateRootUnchanged() throws Exception {
    Map<String, String> before = tree(stateRoot());
    Run run = bed.quick("alerts", good, "true");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().contains("'alerts' is reserved"), run.err());
    Run prepare = bed.warmQuick("prepare", "--recipe", "alerts", "--checkout", good.toString(),
        "--env-file", bed.root().resolve("env-" + Naming.randomHex()).toString());
    assertEquals(2, prepare.exit(), prepare.toString());
    assertTrue(prepare.err().contains("'alerts' is reserved"), prepare.err());
    Run finish = bed.warmQuick("finish", "--recipe", "locks", "--run-id", "q1", "--outcome", "fail");
    assertEquals(2, finish.exit(), finish.toString());
    assertTrue(finish.err().contains("'locks' is reserved"), finish.err());
    assertEquals(before, tree(stateRoot()), "state root unchanged");
  }

  @Test
  void testNoCanonical_exit3_stateRootUnchanged() throws Exception {
    Map<String, String> before = tree(stateRoot());
    Run r = bed.quick("uncanonical", good, "true");
    assertEquals(3, r.exit(), r.toString());
    assertEquals("no-canonical", r.result().path("outcome").asText(), r.result().toString());
    assertEquals(before, tree(stateRoot()), "state root unchanged (no lock file, no journal)");
  }

  @Test
  void testNoCanonical_freshStateRoot_staysAbsent() throws Exception {
    Path fresh = bed.root().resolve("fresh-" + Naming.randomHex());
    Path config = bed.root().resolve("config-" + Naming.randomHex() + ".json");
    Files.writeString(config, Files.readString(bed.config()).replace(stateRoot().toString(), fresh.toString()));
    Path result = bed.root().resolve("fresh-result-" + Naming.randomHex() + ".json");
    Process p = bed.start(config, List.of(), bed.recipe(), good, result, "true");
    QuickBed.finish(p, Duration.ofSeconds(120));
    assertEquals(3, p.exitValue());
    assertFalse(Files.exists(fresh), "no state root created for a refused run");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static Path stateRoot() {
    return bed.cfg().stateRoot();
  }

  /** Every entry under {@code dir}: type, mode, owner, size, mtime and content hash (or link target). */
  private static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String what = a.isSymbolicLink() ? "link " + Files.readSymbolicLink(p)
            : a.isDirectory() ? "dir" : "file " + a.size() + " " + sha256(p);
        m.put(dir.relativize(p).toString(), what + " " + PosixFilePermissions.toString(a.permissions()) + " "
            + a.owner().getName() + " " + a.lastModifiedTime().toMillis());
      }
    }
    return m;
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
