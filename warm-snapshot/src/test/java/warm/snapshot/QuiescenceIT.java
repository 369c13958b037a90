package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.authority.KnownGoodAuthority;

/** Snapshot and restore refuse while the caller's check reports a volume in use, and change nothing. */
class QuiescenceIT {
  @TempDir
  Path tmp;

  @Test
  void testSnapshot_busyRefused() throws Exception {
    Path vol = Files.createDirectory(tmp.resolve("vol"));
    Files.writeString(vol.resolve("f"), "data");
    SnapshotStore store = SnapshotStore.open(tmp.resolve("snapshots"));
    QuiescenceCheck busy = (v, d) -> {
      throw SnapshotException.busy("volume " + v + " is used by container x");
    };
    SnapshotException e = assertThrows(SnapshotException.class,
        () -> store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "v"), busy, Progress.none()));
    assertEquals(SnapshotException.Kind.BUSY, e.kind());
    assertEquals(List.of(".lock"), names(store.directory()), "a busy refusal leaves only the (empty) store");

    store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "v"), QuiescenceCheck.assumeQuiet(),
        Progress.none());
    Files.writeString(vol.resolve("f"), "changed");
    assertThrows(SnapshotException.class, () -> store.restore(Map.of("data", vol), busy, false, Progress.none()));
    assertEquals("changed", Files.readString(vol.resolve("f")), "a refused restore changes nothing");
  }

  @Test
  void testSnapshot_badInputChangesNothing() throws Exception {
    SnapshotStore store = SnapshotStore.open(tmp.resolve("snapshots"));
    Path vol = Files.createDirectory(tmp.resolve("vol"));
    for (String bad : List.of("../x", "a/b", "..", ".hidden", "")) {
      SnapshotException e = assertThrows(SnapshotException.class, () -> store.snapshotAsKnownGood(KnownGoodAuthority.grant(), 
          Map.of(bad, vol), SnapshotTag.of(null, null), QuiescenceCheck.assumeQuiet(), Progress.none()));
      assertEquals(SnapshotException.Kind.USAGE, e.kind());
    }
    assertThrows(SnapshotException.class, () -> store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("v", tmp.resolve("missing")),
        SnapshotTag.of(null, null), QuiescenceCheck.assumeQuiet(), Progress.none()));
    assertThrows(SnapshotException.class, () -> SnapshotStore.forApp(tmp, "../evil"));
    SnapshotException overlap = assertThrows(SnapshotException.class, () -> store.snapshotAsKnownGood(KnownGoodAuthority.grant(), 
        Map.of("v", tmp), SnapshotTag.of(null, null), QuiescenceCheck.assumeQuiet(), Progress.none()));
    assertEquals(SnapshotException.Kind.USAGE, overlap.kind());
    assertThrows(SnapshotException.class,
        () -> store.restore(Map.of("v", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none()));
    assertFalse(Files.exists(store.directory()), "refused input created not even the store (D9)");
    assertFalse(Files.exists(tmp.resolve("evil")));
  }

  /** A real container holding a named volume: the docker-backed test check refuses; after removal it passes. */
  @Test
  @Tag("docker")
  void testSnapshot_realContainerHoldsVolume() throws Exception {
    TestBed.require(TestBed.run(List.of("docker", "info")) == 0, "docker engine not reachable");
    String name = "warm-snap-test-" + UUID.randomUUID().toString().substring(0, 8);
    TestBed.output(List.of("docker", "volume", "create", name));
    try {
      Path dir = Path.of(TestBed.output(List.of("docker", "volume", "inspect", "-f", "{{.Mountpoint}}", name)).trim());
      TestBed.output(List.of("docker", "run", "-d", "--name", name, "-v", name + ":/data", "warm-test/busybox:1",
          "sh", "-c", "echo hello > /data/f; sleep 600"));
      QuiescenceCheck docker = (v, d) -> {
        try {
          String ids = TestBed.output(List.of("docker", "ps", "-aq", "--filter", "volume=" + v)).trim();
          if (!ids.isEmpty()) {
            throw SnapshotException.busy("volume " + v + " is held by container(s) " + ids.replace('\n', ' '));
          }
        } catch (IOException | InterruptedException e) {
          throw new SnapshotException(SnapshotException.Kind.IO, "docker ps failed: " + e.getMessage(), e);
        }
      };
      SnapshotStore store = SnapshotStore.open(tmp.resolve("snapshots"));
      SnapshotException e = assertThrows(SnapshotException.class,
          () -> store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of(name, dir), SnapshotTag.of(null, null), docker, Progress.none()));
      assertEquals(SnapshotException.Kind.BUSY, e.kind(), e.getMessage());
      TestBed.output(List.of("docker", "rm", "-f", name));
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of(name, dir), SnapshotTag.of(null, null), docker,
          Progress.none());
      assertEquals(1, meta.volumes().get(name).manifest().stream().filter(m -> m.path().equals("f")).count());
    } finally {
      TestBed.run(List.of("docker", "rm", "-f", name));
      TestBed.run(List.of("docker", "volume", "rm", name));
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
