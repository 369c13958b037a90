package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;

/**
 * The parallel tree copy (issue 15) on XFS, btrfs (reflink) and ext4 (tar): objects are cloned and their metadata
 * set on more than one thread, yet the result is exact (hard links across directories, directory mtimes set after
 * their children, xattrs); the default restore proves itself from the manifest written during its copy or read from
 * the archive's entries (no second scan of the volume) and still refuses a snapshot copy that no longer matches its
 * manifest.
 */
@Tag("reflink")
@Tag("root")
class ParallelEngineIT {

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs", "ext4"})
  void parallelCopyIsExactAndRestoreVerifiesFromTheCopy(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 3_000, 0);
      for (int i = 0; i < 30; i++) { // hard-link groups whose names land in different batches and directories
        Files.createLink(vol.resolve("many/d" + (29 - i) + "/link-of-" + i), vol.resolve("many/d" + i + "/f" + (i * 100)));
      }
      Files.setLastModifiedTime(vol.resolve("many"), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_123L));
      ManifestScanner scanner = new ManifestScanner(NativeFs.platform());
      List<ManifestEntry> expected = scanner.scan(vol, true).entries();

      RecordingFs fs = new RecordingFs(NativeFs.platform());
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
          SnapshotTag.of("abc", "1.0.0+1"), QuiescenceCheck.assumeQuiet(), Progress.none());
      boolean reflink = !fsName.equals("ext4");
      assertEquals(reflink ? Method.REFLINK : Method.TAR, meta.method());
      assertEquals(ManifestComparer.compare("data", strip(expected), meta.volumes().get("data").manifest()).listed(),
          List.of(), "the manifest written during the copy describes the volume");
      if (reflink && Runtime.getRuntime().availableProcessors() > 1) {
        assertTrue(fs.ownerThreads.size() > 1, "objects were set up on one thread only: " + fs.ownerThreads);
      }

      // Damage the volume, then restore at the default level.
      Files.delete(vol.resolve("hard2"));
      Files.writeString(vol.resolve("intruder"), "x");
      Files.writeString(vol.resolve("many/d3/f300"), "changed");
      HostileTree.mode(vol.resolve("setuid-bin"), 0755);
      fs.ownerThreads.clear();
      // Without a change record the restore is a full one: the parallel copy is what is under test here.
      Files.delete(store.directory().resolve("change-record"));
      VerifyReport r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertTrue(r.identical(), r.differences().toString());
      assertEquals(expected.size(), r.entriesCompared());
      if (reflink) {
        if (Runtime.getRuntime().availableProcessors() > 1) {
          assertTrue(fs.ownerThreads.size() > 1, "restore set objects up on one thread only: " + fs.ownerThreads);
        }
      }
      List<ManifestEntry> actual = scanner.scan(vol, true).entries();
      assertEquals(List.of(), ManifestComparer.compare("data", expected, actual).listed());

      if (reflink) {
        // A snapshot copy that no longer matches its manifest is refused by the default level too.
        Path copy = store.directory().resolve("snap-" + meta.id()).resolve("data/data/many/d5/f501");
        HostileTree.mode(copy, 0666);
        Files.delete(store.directory().resolve("change-record")); // full, so the tampered copy is what comes back
        SnapshotException e = assertThrows(SnapshotException.class,
            () -> store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none()));
        assertEquals(SnapshotException.Kind.MISMATCH, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("many/d5/f501"), e.getMessage());
      }
    } finally {
      TestBed.remove(work);
    }
  }

  private static List<ManifestEntry> strip(List<ManifestEntry> withHashes) {
    return withHashes.stream().map(e -> e.withSha256(null)).toList();
  }

  /** The real filesystem, noting which threads set owners. */
  static final class RecordingFs extends ForwardingFs {
    final Set<String> ownerThreads = ConcurrentHashMap.newKeySet();

    RecordingFs(NativeFs real) {
      super(real);
    }

    @Override
    public void setOwner(Path path, int uid, int gid) throws IOException {
      ownerThreads.add(Thread.currentThread().getName());
      real.setOwner(path, uid, gid);
    }
  }
}
