package warm.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;

class StateStoreTest {
  private static final Instant T = Instant.parse("2026-11-27T20:00:00.123Z");

  @TempDir
  Path root;

  private StateStore store() {
    return new StateStore(root.resolve("state"));
  }

  private static CanonicalRecord canonical() {
    return new CanonicalRecord("nextcloud", "warm-nextcloud.ci.example", "10.7.1+26.6.2", "0123abcd", T, "snap-1");
  }

  @Test
  void testReadWrite_everyFileRoundTrips() throws Exception {
    StateStore s = store();
    assertEquals(Optional.empty(), s.read("nextcloud", StateFile.CANONICAL));
    s.write("nextcloud", StateFile.CANONICAL, canonical());
    assertEquals(canonical(), s.read("nextcloud", StateFile.CANONICAL).orElseThrow());

    LastGood lg = new LastGood("1.2.3+4.5", T);
    s.write("keycloak", StateFile.LAST_GOOD, lg);
    assertEquals(lg, s.read("keycloak", StateFile.LAST_GOOD).orElseThrow());

    VolumeState vs = new VolumeState(VolumeState.Kind.DIRTY, "run-abc123", T);
    s.write("nextcloud", StateFile.VOLUME_STATE, vs);
    assertEquals(vs, s.read("nextcloud", StateFile.VOLUME_STATE).orElseThrow());

    Journal j = new Journal("quick", "run-abc123", "nextcloud", "restored", T, T, 42, Map.of("b", "2", "a", "1"));
    s.write("nextcloud", StateFile.JOURNAL, j);
    assertEquals(j, s.read("nextcloud", StateFile.JOURNAL).orElseThrow());

    InfraHold hold = new InfraHold("1.0.0+26.4.7", "2.0.0+26.5.6", List.of("MAJOR_BUMP 2.0.0+26.5.6: recipe major 1 -> 2"),
        List.of("> Run the migration by hand"), T, "20261127T200000Z-upgrade-held-abc123");
    s.write("keycloak", StateFile.HOLD, hold);
    assertEquals(hold, s.read("keycloak", StateFile.HOLD).orElseThrow());

    ReconcileRecord rec = new ReconcileRecord("rolled-back", "1.0.0", "1.1.0", "1.0.0", "unhealthy", T, 1234,
        "auth.ci.example.org");
    s.write("keycloak", StateFile.RECONCILE, rec);
    assertEquals(rec, s.read("keycloak", StateFile.RECONCILE).orElseThrow());
    // A record written before the domain was kept reads with none (prune then keeps the app's state).
    Files.writeString(s.path("keycloak", StateFile.RECONCILE),
        "{\"outcome\": \"no-op\", \"finishedAt\": \"2026-11-27T20:00:00Z\", \"millis\": 5}");
    assertEquals(null, s.read("keycloak", StateFile.RECONCILE).orElseThrow().domain());
    s.write("keycloak", StateFile.RECONCILE, rec);

    LastRun quick = new LastRun("fail", "run-abc123", "10.7.1+26.6.2", "tests exited 1", T);
    s.write("nextcloud", StateFile.LAST_QUICK, quick);
    assertEquals(quick, s.read("nextcloud", StateFile.LAST_QUICK).orElseThrow());
    LastRun promote = new LastRun("promoted", null, "10.7.1+26.6.2", null, T);
    s.write("nextcloud", StateFile.LAST_PROMOTE, promote);
    assertEquals(promote, s.read("nextcloud", StateFile.LAST_PROMOTE).orElseThrow());

    Deenrolled gone = new Deenrolled(T);
    s.write("nextcloud", StateFile.DEENROLLED, gone);
    assertEquals(gone, s.read("nextcloud", StateFile.DEENROLLED).orElseThrow());
    assertTrue(s.path("nextcloud", StateFile.DEENROLLED).endsWith("nextcloud/deenrolled.json"));
    assertThrows(IllegalArgumentException.class, () -> new Deenrolled(null), "the time is required");

    assertEquals(List.of("keycloak", "nextcloud"), s.apps());
  }

  @Test
  void testWrite_layoutAndPermissions() throws Exception {
    StateStore s = store();
    s.write("nextcloud", StateFile.CANONICAL, canonical());
    Path file = root.resolve("state/nextcloud/canonical.json");
    assertEquals(file, s.path("nextcloud", StateFile.CANONICAL));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("state"))));
    String text = Files.readString(file);
    assertTrue(text.contains("\"promotedAt\" : \"2026-11-27T20:00:00.123Z\""), text);
    assertTrue(text.endsWith("}\n"));
    try (var list = Files.list(file.getParent())) {
      assertEquals(List.of(file), list.toList(), "no temp file is left behind");
    }
  }

  @Test
  void testVolumeState_jsonShowsCleanAtSnapshot() throws Exception {
    StateStore s = store();
    s.write("app", StateFile.VOLUME_STATE, new VolumeState(VolumeState.Kind.CLEAN, "snap-20261127-abc", T));
    String text = Files.readString(s.path("app", StateFile.VOLUME_STATE));
    assertEquals("{\n  \"state\" : \"clean@snap-20261127-abc\",\n  \"since\" : \"2026-11-27T20:00:00.123Z\"\n}\n", text);
    VolumeState back = s.read("app", StateFile.VOLUME_STATE).orElseThrow();
    assertTrue(back.isCleanAt("snap-20261127-abc"));
    assertFalse(back.isCleanAt("snap-other"));
    assertEquals(Optional.of("snap-20261127-abc"), back.snapshotId());
    assertEquals(Optional.empty(), back.runId());
    assertEquals("dirty@run-1", VolumeState.dirty("run-1").toString());
  }

  @Test
  void testVolumeState_badStateRejected() throws Exception {
    StateStore s = store();
    Path f = s.path("app", StateFile.VOLUME_STATE);
    for (String bad : new String[] {"clean", "clean@", "stale@x", "@x", "dirty@a b"}) {
      AtomicFiles.write(f, ("{\"state\":\"" + bad + "\",\"since\":\"2026-11-27T20:00:00Z\"}").getBytes());
      WarmException e = assertThrows(WarmException.class, () -> s.read("app", StateFile.VOLUME_STATE), bad);
      assertEquals(ExitCode.INFRA, e.exitCode());
      assertTrue(e.getMessage().startsWith("state file " + f + " is unreadable: "), e.getMessage());
    }
  }

  @Test
  void testRead_damagedFilesAreClearErrorsNamingTheFile() throws Exception {
    StateStore s = store();
    Path f = s.path("nextcloud", StateFile.CANONICAL);
    Map<String, String> cases = Map.of(
        "", "No content",
        "{\"recipe\":", "end-of-input",
        "not json", "Unrecognized token",
        "{\"recipe\":\"r\",\"domain\":\"d\",\"version\":\"v\",\"commit\":\"c\",\"promotedAt\":\"2026-11-27T20:00:00Z\","
            + "\"snapshotId\":\"s\",\"extra\":1}", "\"extra\"",
        "{\"recipe\":\"r\",\"domain\":\"d\",\"version\":\"v\",\"promotedAt\":\"2026-11-27T20:00:00Z\","
            + "\"snapshotId\":\"s\"}", "'commit' is missing",
        "{\"recipe\":\"r\",\"domain\":\"d\",\"version\":\"v\",\"commit\":\"c\",\"promotedAt\":\"yesterday\","
            + "\"snapshotId\":\"s\"}", "not an ISO-8601 instant",
        "null", "JSON null",
        "{\"recipe\":\"r\",\"domain\":\"d\",\"version\":\"v\",\"commit\":\"c\",\"promotedAt\":\"2026-11-27T20:00:00Z\","
            + "\"snapshotId\":\"s\"} {}", "Trailing token");
    for (var c : cases.entrySet()) {
      AtomicFiles.write(f, c.getKey().getBytes());
      WarmException e = assertThrows(WarmException.class, () -> s.read("nextcloud", StateFile.CANONICAL), c.getKey());
      assertEquals(ExitCode.INFRA, e.exitCode());
      assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(c.getValue()),
          c.getKey() + " -> " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertEquals(c.getKey(), Files.readString(f), "the damaged file is left as it was");
    }
  }

  @Test
  void testRead_journalWithoutPidIsAnErrorNotPidZero() {
    StateStore s = store();
    Path f = s.path("app", StateFile.JOURNAL);
    AtomicFiles.write(f, ("{\"operation\":\"quick\",\"runId\":\"r\",\"app\":\"app\",\"phase\":\"p\","
        + "\"startedAt\":\"2026-11-27T20:00:00Z\",\"updatedAt\":\"2026-11-27T20:00:00Z\",\"data\":{}}").getBytes());
    WarmException e = assertThrows(WarmException.class, () -> s.read("app", StateFile.JOURNAL));
    assertTrue(e.getMessage().contains("'pid'"), e.getMessage());
  }

  @Test
  void testAppDir_rejectsPathsAndReservedNames() {
    StateStore s = store();
    for (String bad : new String[] {"../x", "a/b", "..", "/etc", "", "Nextcloud"}) {
      WarmException e = assertThrows(WarmException.class,
          () -> s.write(bad, StateFile.CANONICAL, canonical()), bad);
      assertEquals(ExitCode.USAGE, e.exitCode());
    }
    assertTrue(StateStore.RESERVED_NAMES.contains("gate-cache"), "an app of that name would share the gate's cache");
    for (String reserved : StateStore.RESERVED_NAMES) {
      WarmException e = assertThrows(WarmException.class, () -> s.read(reserved, StateFile.CANONICAL));
      assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }
    assertFalse(Files.exists(root.resolve("state")), "bad input changes nothing");
  }

  @Test
  void testApps_skipsReservedAndForeignDirectories() throws Exception {
    StateStore s = store();
    assertEquals(List.of(), s.apps(), "no root yet");
    s.write("b-app", StateFile.LAST_GOOD, LastGood.now("1.0.0"));
    s.write("a_app", StateFile.LAST_GOOD, LastGood.now("1.0.0"));
    Files.createDirectories(root.resolve("state/alerts/outbox"));
    Files.createDirectories(root.resolve("state/locks"));
    Files.createDirectories(root.resolve("state/gate-cache/keycloak")); // the gate's notes, not an app
    Files.createDirectories(root.resolve("state/Backup Copy"));
    Files.writeString(root.resolve("state/c-file"), "x");
    assertEquals(List.of("a_app", "b-app"), s.apps());
  }

  @Test
  void testWriteDelete_siblingsAreNeverTouched() {
    StateStore s = store();
    s.write("keycloak", StateFile.LAST_GOOD, new LastGood("1.0.0", T));
    s.write("keycloak", StateFile.JOURNAL, Journal.begin("reconcile", "r1", "keycloak", "started", Map.of()));
    s.write("keycloak", StateFile.VOLUME_STATE, VolumeState.clean("snap-1"));
    assertTrue(s.delete("keycloak", StateFile.JOURNAL));
    assertFalse(s.delete("keycloak", StateFile.JOURNAL));
    assertEquals(new LastGood("1.0.0", T), s.read("keycloak", StateFile.LAST_GOOD).orElseThrow());
    assertTrue(s.read("keycloak", StateFile.VOLUME_STATE).orElseThrow().isCleanAt("snap-1"));
    assertEquals(Optional.empty(), s.read("keycloak", StateFile.JOURNAL));
  }

  @Test
  void testUpdate_advancesJournalPhase() {
    StateStore s = store();
    assertThrows(WarmException.class, () -> s.update("app", StateFile.JOURNAL, j -> j.withPhase("x")));
    Journal j = Journal.begin("quick", "run-1", "app", "started", Map.of("from", "1.0.0"));
    assertEquals(ProcessHandle.current().pid(), j.pid());
    assertFalse(j.writerIsDead());
    s.write("app", StateFile.JOURNAL, j);
    Journal next = s.update("app", StateFile.JOURNAL, x -> x.withPhase("deployed").with("to", "1.1.0"));
    Journal read = s.read("app", StateFile.JOURNAL).orElseThrow();
    assertEquals(next, read);
    assertEquals("deployed", read.phase());
    assertEquals(Map.of("from", "1.0.0", "to", "1.1.0"), read.data());
    assertEquals(j.startedAt(), read.startedAt());
    assertFalse(read.updatedAt().isBefore(j.updatedAt()));
  }

  @Test
  void testRecords_serialiseWithAnyObjectMapper() throws Exception {
    // Other modules embed these records in their --json output with their own mapper (no jsr310 module).
    ObjectMapper plain = new ObjectMapper();
    String json = plain.writeValueAsString(canonical());
    assertTrue(json.contains("\"promotedAt\":\"2026-11-27T20:00:00.123Z\""), json);
    assertEquals(canonical(), plain.readValue(json, CanonicalRecord.class));
    String vs = plain.writeValueAsString(VolumeState.parse("dirty@run-9", T));
    assertEquals("{\"state\":\"dirty@run-9\",\"since\":\"2026-11-27T20:00:00.123Z\"}", vs);
  }

  @Test
  void testProperty_canonicalRoundTripsAnyText() {
    StateStore s = store();
    qt().withExamples(200).forAll(
        strings().allPossible().ofLengthBetween(1, 40),
        strings().basicLatinAlphabet().ofLengthBetween(1, 20),
        longs().between(0, 4_000_000_000_000L))
        .assuming((text, id, ms) -> !text.isBlank() && !id.isBlank())
        .check((text, id, ms) -> {
          CanonicalRecord r = new CanonicalRecord("app", text, text + "+1", id, Instant.ofEpochMilli(ms), id);
          s.write("app", StateFile.CANONICAL, r);
          return r.equals(s.read("app", StateFile.CANONICAL).orElseThrow());
        });
  }

  @Test
  void testProperty_volumeStateParseFormat() {
    qt().withExamples(300).forAll(strings().basicLatinAlphabet().ofLengthBetween(1, 30))
        .assuming(id -> id.chars().noneMatch(c -> c <= ' ' || c == 0x7f))
        .check(id -> VolumeState.parse("clean@" + id, T).equals(new VolumeState(VolumeState.Kind.CLEAN, id, T))
            && VolumeState.parse(VolumeState.dirty(id).state(), T).runId().orElseThrow().equals(id));
  }
}
