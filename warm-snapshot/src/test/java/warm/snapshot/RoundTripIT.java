package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;

/** Snapshot + restore of the hostile tree on XFS and btrfs (reflink) and ext4 (tar), proven bit-identical. */
@Tag("reflink")
@Tag("root")
class RoundTripIT {
  static final long BIG = 200L << 20;

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs", "ext4"})
  void roundTrip(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 10_000, BIG);
      Path app = Files.createDirectories(work.resolve("state/app"));
      Files.writeString(app.resolve("canonical.json"), "{\"sibling\":true}");
      ManifestScanner scanner = new ManifestScanner(NativeFs.platform());
      List<ManifestEntry> expected = scanner.scan(vol, true).entries();

      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      run("sync");
      long freeBefore = Files.getFileStore(work).getUnallocatedSpace();
      long t0 = System.nanoTime();
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("abc123", "1.2.0+3.4"),
          QuiescenceCheck.assumeQuiet(), Progress.none());
      long t1 = System.nanoTime();
      run("sync");
      long used = freeBefore - Files.getFileStore(work).getUnallocatedSpace();
      System.out.printf("%s: snapshot by %s in %d ms, free space used %d KiB, meta storeBytes %d KiB%n", fsName,
          meta.method().label(), (t1 - t0) / 1_000_000, used >> 10, meta.storeBytes() >> 10);

      Path snap = store.directory().resolve("snap-" + meta.id());
      assertEquals("snap-" + meta.id(), Files.readSymbolicLink(store.directory().resolve("known-good")).toString());
      assertEquals("abc123", store.knownGood().orElseThrow().tag().commit());
      if (fsName.equals("ext4")) {
        assertEquals(Method.TAR, meta.method());
        assertTrue(Files.isRegularFile(snap.resolve("data/data.tar")));
      } else {
        assertEquals(Method.REFLINK, meta.method());
        String frag = TestBed.output(List.of("filefrag", "-v", snap.resolve("data/data/big.bin").toString()));
        assertTrue(frag.contains("shared"), "big.bin extents are shared with the volume:\n" + frag);
        assertTrue(used < BIG / 10, "a reflinked snapshot of 200 MiB took " + (used >> 20) + " MiB of free space");
      }
      assertEquals(0700, (int) Files.getAttribute(store.directory(), "unix:mode") & 0777);
      assertEquals(0600, (int) Files.getAttribute(snap.resolve("meta.json"), "unix:mode") & 0777);
      assertTrue(meta.volumes().get("data").logicalBytes() >= BIG);

      // Damage the volume every way, then restore.
      Files.delete(vol.resolve("hard2"));
      Files.writeString(vol.resolve("intruder"), "x");
      HostileTree.mode(vol.resolve("setuid-bin"), 0755);
      Files.writeString(vol.resolve("many/d3/f300"), "changed");
      long r0 = System.nanoTime();
      VerifyReport report = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      System.out.printf("%s: restore + content verify in %d ms%n", fsName, (System.nanoTime() - r0) / 1_000_000);
      assertTrue(report.identical(), report.differences().toString());
      assertTrue(report.contentCompared());

      // Independent proof: the manifest taken before the snapshot equals the restored tree's, hashes included.
      List<ManifestEntry> actual = scanner.scan(vol, true).entries();
      ManifestComparer.Result r = ManifestComparer.compare("data", expected, actual);
      assertEquals(List.of(), r.listed());
      assertEquals(expected.size(), actual.size());
      assertEquals("{\"sibling\":true}", Files.readString(app.resolve("canonical.json")));

      // The comparison catches a single flipped bit and a single mode bit.
      Object mtime = Files.getLastModifiedTime(vol.resolve("big.bin"));
      try (RandomAccessFile f = new RandomAccessFile(vol.resolve("big.bin").toFile(), "rw")) {
        f.seek(123_456_789);
        int b = f.read();
        f.seek(123_456_789);
        f.write(b ^ 1);
      }
      Files.setLastModifiedTime(vol.resolve("big.bin"), (FileTime) mtime);
      HostileTree.mode(vol.resolve("sticky"), 0777);
      ManifestComparer.Result bad = ManifestComparer.compare("data", expected, scanner.scan(vol, true).entries());
      assertEquals(2, bad.count(), bad.listed().toString());
      VerifyReport v = store.verify(Map.of("data", vol), true);
      assertEquals(2, v.differenceCount(), v.differences().toString());
    } finally {
      TestBed.remove(work);
    }
  }

  private static void run(String... cmd) {
    TestBed.run(List.of(cmd));
  }
}
