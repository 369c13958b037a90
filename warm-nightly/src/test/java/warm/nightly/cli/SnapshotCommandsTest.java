package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.nightly.Main;
import warm.nightly.canonical.KnownGoods;
import warm.snapshot.Progress;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotInfo;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/** The four snapshot commands on plain directories, through the real picocli wiring and exit-code mapping. */
class SnapshotCommandsTest {
  @TempDir
  Path tmp;

  private int warm(String... args) {
    return Main.execute(args);
  }

  @Test
  void testSnapshotVerifyRestore() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol/sub"));
    Files.writeString(vol.resolve("f"), "one");
    Path store = tmp.resolve("store");
    String v = "data=" + tmp.resolve("vol");
    assertEquals(0, warm("snapshot", "--store", store.toString(), "--volume", v, "--commit", "abc"));
    assertEquals(0, warm("verify", "--store", store.toString(), "--volume", v));
    Files.writeString(vol.resolve("f"), "changed");
    assertEquals(1, warm("verify", "--store", store.toString(), "--volume", v));
    assertEquals(0, warm("restore", "--store", store.toString(), "--volume", v, "--verify-content"));
    assertEquals("one", Files.readString(vol.resolve("f")));

    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, "UTF-8"));
    try {
      assertEquals(0, warm("snapshots", "--store", store.toString(), "--json"));
    } finally {
      System.setOut(old);
    }
    String json = out.toString("UTF-8");
    assertTrue(json.contains("\"knownGood\" : true") && json.contains("\"commit\" : \"abc\""), json);
  }

  /** `warm snapshots` reads no volume: its usage offers no --volume, and one given is an unknown option (exit 2). */
  @Test
  void snapshotsOffersNoVolumeOption() {
    for (CommandLine.Model.CommandSpec spec : List.of(new CommandLine(new SnapshotsCommand()).getCommandSpec(),
        new CommandLine(DataCommands.SNAPSHOTS.model()).getCommandSpec())) {
      assertNull(spec.findOption("--volume"), spec.name() + " lists --volume");
      assertNotNull(spec.findOption("--store"));
    }
    assertEquals(2, warm("snapshots", "--store", tmp.resolve("store").toString(), "--volume", "d=" + tmp));
  }

  /** D2: prune with the known-good link lost repairs it from canonical.json and removes nothing it names. */
  @Test
  void sizesPrintTheSameUnderADecimalCommaLocale() throws Exception {
    // The data commands format with Locale.US (no locale data loaded after the work: issue 15 row 3).
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Files.write(vol.resolve("f"), new byte[3 * 1024 + 512]);
    Path store = tmp.resolve("store");
    Locale before = Locale.getDefault();
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Locale.setDefault(Locale.GERMANY);
    System.setOut(new PrintStream(out, true, "UTF-8"));
    try {
      assertEquals(0, warm("snapshot", "--store", store.toString(), "--volume", "data=" + vol));
    } finally {
      System.setOut(old);
      Locale.setDefault(before);
    }
    String text = out.toString("UTF-8");
    assertTrue(text.contains("2 entries") && text.contains("3.5 KiB logical"), text);
    assertEquals("3.5 KiB", SnapshotCli.human(3 * 1024 + 512));
  }

  @Test
  void pruneWithLostLinkRepairsFromCanonicalRecord() throws Exception {
    Path root = tmp.resolve("state");
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Files.writeString(vol.resolve("f"), "one");
    SnapshotStore store = SnapshotStore.forApp(root, "app");
    String id = KnownGoods.ofPlainStore(store, Map.of("data", vol), SnapshotTag.of("abc", "1.0.0+1"),
        QuiescenceCheck.assumeQuiet(), Progress.none()).id();
    new StateStore(root).write("app", StateFile.CANONICAL,
        new CanonicalRecord("app", "warm-app.ci.example.org", "1.0.0+1", "abc", Instant.now(), id));
    Files.delete(store.directory().resolve("known-good"));

    assertEquals(0, warm("snapshots", "--app", "app", "--state-root", root.toString(), "--prune"));
    assertEquals(Optional.of(id), store.knownGoodId(), "the lost link is back, at the snapshot canonical.json names");
    assertEquals(List.of(id), store.list().stream().map(SnapshotInfo::id).toList(), "nothing removed");
  }

  /** I7: a hand snapshot/restore/verify of an app waits for the app's lock (bounded) and never interleaves. */
  @Test
  void appModeWaitsForTheAppLockThenGivesUp() throws Exception {
    Path root = tmp.resolve("state");
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Files.writeString(vol.resolve("f"), "one");
    Path cfg = Files.writeString(tmp.resolve("config.json"),
        "{\"stateRoot\": \"" + root + "\", \"timeouts\": {\"lockWaitSeconds\": 1}}");
    String v = "data=" + vol;
    assertEquals(0, warm("snapshot", "--app", "app", "--volume", v, "--config", cfg.toString()));
    List<SnapshotInfo> before = SnapshotStore.forApp(root, "app").list();
    try (LockFile held = new AppLocks(root).tryAcquire("app", "quick run-1").orElseThrow()) {
      for (String cmd : List.of("snapshot", "restore", "verify")) {
        assertEquals(4, warm(cmd, "--app", "app", "--volume", v, "--config", cfg.toString()), cmd);
      }
      assertEquals(4, warm("snapshots", "--app", "app", "--prune", "--config", cfg.toString()));
    }
    assertEquals(before.stream().map(SnapshotInfo::id).toList(),
        SnapshotStore.forApp(root, "app").list().stream().map(SnapshotInfo::id).toList(),
        "nothing was snapshotted under a held lock");
  }

  /**
   * Bad input in app mode changes nothing, not even a lock file: a restore or verify with no known-good, a hand
   * snapshot of an infra app, a prune of an app with no store.
   */
  @Test
  void appModeBadInputCreatesNoLockFile() throws Exception {
    Path root = tmp.resolve("state");
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Files.writeString(vol.resolve("f"), "one");
    Path cfg = Files.writeString(tmp.resolve("config.json"), "{\"stateRoot\": \"" + root + "\", \"infra\": "
        + "[{\"name\": \"traefik\", \"recipe\": \"traefik\", \"domain\": \"proxy.ci.example.org\"}]}");
    String v = "data=" + vol;
    assertEquals(2, warm("restore", "--app", "typo", "--volume", v, "--config", cfg.toString()));
    assertEquals(2, warm("verify", "--app", "typo", "--volume", v, "--config", cfg.toString()));
    assertEquals(2, warm("snapshot", "--app", "traefik", "--volume", v, "--config", cfg.toString()));
    assertEquals(2, warm("snapshots", "--app", "typo", "--prune", "--config", cfg.toString()));
    assertFalse(Files.exists(root), "a refused command created the state root (a lock file)");
    assertEquals("one", Files.readString(vol.resolve("f")));
  }

  /** I1: an infra app's known-good is the reconciler's; a hand snapshot of one is refused, nothing created. */
  @Test
  void handSnapshotOfAnInfraAppIsRefused() throws Exception {
    Path root = tmp.resolve("state");
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Path cfg = Files.writeString(tmp.resolve("config.json"), "{\"stateRoot\": \"" + root + "\", \"infra\": "
        + "[{\"name\": \"traefik\", \"recipe\": \"traefik\", \"domain\": \"proxy.ci.example.org\"}]}");
    assertEquals(2, warm("snapshot", "--app", "traefik", "--volume", "data=" + vol, "--config", cfg.toString()));
    assertEquals(List.of(), SnapshotStore.forApp(root, "traefik").list(), "no known-good written by hand");
  }

  /** D9: a bad or reserved app name is refused before anything is created. */
  @Test
  void badAppNameCreatesNothing() throws Exception {
    Path root = tmp.resolve("state");
    for (String app : List.of("locks", "alerts", "RelUp", "../x")) {
      assertEquals(2, warm("snapshots", "--app", app, "--state-root", root.toString()), app);
    }
    assertFalse(Files.exists(root), "the state root was created by refused commands");
  }

  /** Runs one line; its exit code, stdout and stderr. */
  private record Ran(int exit, String out, String err) {}

  private Ran warmCaptured(String... args) throws Exception {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, "UTF-8"));
      System.setErr(new PrintStream(err, true, "UTF-8"));
      code = warm(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Ran(code, out.toString("UTF-8"), err.toString("UTF-8"));
  }

  /**
   * Listing a store that is not there is bad input, as restoring from it is: exit 2 naming the store (an empty
   * listing with exit 0 hid a typo in --store or --app), in plain-directory and app mode, with or without --json.
   */
  @Test
  void listingAMissingStoreIsBadInput() throws Exception {
    Path store = tmp.resolve("typo/store");
    Ran plain = warmCaptured("snapshots", "--store", store.toString());
    assertEquals(2, plain.exit(), plain.toString());
    assertEquals("error: no snapshot store at " + store + "\n", plain.err(), plain.toString());
    assertEquals("", plain.out());
    assertEquals(2, warmCaptured("snapshots", "--store", store.toString(), "--json").exit());
    Path root = tmp.resolve("state");
    Ran app = warmCaptured("snapshots", "--app", "never", "--state-root", root.toString());
    assertEquals(2, app.exit(), app.toString());
    assertTrue(app.err().startsWith("error: no snapshot store at " + root.resolve("never/snapshots")), app.toString());
    assertFalse(Files.exists(root), "a refused listing created the state root");
    Files.createDirectories(store);
    Ran empty = warmCaptured("snapshots", "--store", store.toString());
    assertEquals(0, empty.exit(), "an existing store with no snapshot is listed: " + empty);
    assertEquals("no snapshots in " + store + "\n", empty.out());
  }

  /** A snapshot taken without --commit or --recipe-version is listed without them, not as "commit=null". */
  @Test
  void listingLeavesOutATagItHasNot() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol"));
    Files.writeString(vol.resolve("f"), "one");
    Path store = tmp.resolve("store");
    assertEquals(0, warm("snapshot", "--store", store.toString(), "--volume", "data=" + vol));
    Ran bare = warmCaptured("snapshots", "--store", store.toString());
    assertEquals(0, bare.exit(), bare.toString());
    assertFalse(bare.out().contains("null"), bare.out());
    assertFalse(bare.out().contains("commit=") || bare.out().contains("version="), bare.out());
    assertTrue(bare.out().contains(" logical, "), bare.out());
    assertEquals(0, warm("snapshot", "--store", store.toString(), "--volume", "data=" + vol, "--commit", "abc"));
    Ran commit = warmCaptured("snapshots", "--store", store.toString());
    assertTrue(commit.out().contains("  commit=abc  ") && !commit.out().contains("version="), commit.out());
    assertEquals("commit=abc version=1.0.0+1  ", SnapshotsCommand.tag(SnapshotTag.of("abc", "1.0.0+1")));
    assertEquals("version=1.0.0+1  ", SnapshotsCommand.tag(SnapshotTag.of(null, "1.0.0+1")));
    assertEquals("", SnapshotsCommand.tag(null));
  }

  /** D9: a refused or read-only command on a missing store leaves it missing. */
  @Test
  void missingStoreStaysMissing() throws Exception {
    Path store = tmp.resolve("nonexistent/store");
    assertEquals(2, warm("snapshot", "--store", store.toString(), "--volume", "x=" + tmp.resolve("missing")));
    assertEquals(2, warm("snapshots", "--store", store.toString()));
    assertEquals(2, warm("verify", "--store", store.toString(), "--volume", "x=" + tmp));
    assertEquals(2, warm("restore", "--store", store.toString(), "--volume", "x=" + tmp));
    assertFalse(Files.exists(tmp.resolve("nonexistent")), "a refused or read-only command created the store");
  }

  @Test
  void testBadInput_exit2() {
    String store = tmp.resolve("store").toString();
    assertEquals(2, warm("snapshot", "--store", store, "--volume", "a/b=" + tmp));
    assertEquals(2, warm("snapshot", "--store", store, "--volume", "novalue"));
    assertEquals(2, warm("snapshot", "--store", store));
    assertEquals(2, warm("snapshot", "--volume", "d=" + tmp));
    assertEquals(2, warm("snapshot", "--store", store, "--app", "x", "--volume", "d=" + tmp));
    assertEquals(2, warm("restore", "--store", store, "--volume", "d=" + tmp));
    assertEquals(2, warm("snapshot", "--app", "../evil", "--state-root", tmp.toString(), "--volume", "d=" + tmp));
    assertEquals(2, warm("snapshot", "--app", "app", "--state-root", tmp.toString()));
  }
}
