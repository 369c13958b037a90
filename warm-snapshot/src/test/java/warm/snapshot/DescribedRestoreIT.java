package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ChangeRecord;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.Stat;

/**
 * A full reflink restore at the default level (issue 15, row 2) verifies and records from what the kernel said of
 * each object its copy created, instead of walking the restored volume again: no regular file of the volume is
 * looked up by path after its clone, yet the verification is exact (a re-scan with hashes agrees), the change record
 * equals what a walk of the volume gives, entry for entry and trusted (the next restore is a delta of the one file
 * changed), a tampered snapshot or an xattr the filesystem dropped is still refused, and {@code --verify-content}
 * still re-scans.
 */
@Tag("reflink")
@Tag("root")
class DescribedRestoreIT {

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void defaultRestoreVerifiesAndRecordsFromItsCopy(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 500, 0);
      ManifestScanner scanner = new ManifestScanner(NativeFs.platform());
      List<ManifestEntry> expected = scanner.scan(vol, true).entries();
      LookupFs fs = new LookupFs(NativeFs.platform(), vol);
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
          SnapshotTag.of("abc", "1.0.0+1"), QuiescenceCheck.assumeQuiet(), Progress.none());
      assertEquals(Method.REFLINK, meta.method());

      Files.delete(store.directory().resolve("change-record")); // a full restore
      Files.writeString(vol.resolve("many/d2/f201"), "damaged");
      fs.looked.clear();
      VerifyReport r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertTrue(r.identical(), r.differences().toString());
      assertEquals(RestoreOutcome.FULL, r.restore().kind());
      assertEquals(expected.size(), r.entriesCompared());
      assertTrue(fs.looked.stream().noneMatch(p -> p.endsWith("many/d2/f201") || p.endsWith("with-xattr")),
          "regular files were looked up by path after their clone: " + fs.looked.size());
      assertTrue(fs.looked.size() < 100, "the restored volume was walked again: " + fs.looked.size() + " lookups");
      assertEquals(List.of(), ManifestComparer.compare("data", expected, scanner.scan(vol, true).entries()).listed());

      // The record written from the copy is what a walk of the volume says, every entry trusted.
      ChangeRecord.Loaded loaded = ChangeRecord.load(store.directory().resolve("change-record"));
      assertNotNull(loaded.record(), loaded.refusal());
      List<ChangeRecord.Seen> recorded = loaded.record().volumes().get("data");
      assertEquals(ChangeRecord.walk(NativeFs.platform(), vol), recorded);

      // So the next restore is a delta of exactly what changed.
      Files.writeString(vol.resolve("many/d3/f300"), "changed after the restore");
      r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertTrue(r.identical(), r.differences().toString());
      assertEquals(RestoreOutcome.DELTA, r.restore().kind(), r.restore().fullReason());
      assertEquals(List.of("data: many/d3/f300"), r.restore().changed());

      // --verify-content re-scans the volume.
      Files.delete(store.directory().resolve("change-record"));
      fs.looked.clear();
      r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      assertTrue(r.identical(), r.differences().toString());
      assertTrue(r.contentCompared());
      assertTrue(fs.looked.contains(vol.resolve("many/d2/f201")), "--verify-content did not re-scan the volume");

      // An xattr the filesystem silently dropped is caught at the default level.
      Files.delete(store.directory().resolve("change-record"));
      DroppingFs dropping = new DroppingFs(NativeFs.platform(), "with-xattr");
      SnapshotException e = assertThrows(SnapshotException.class, () -> SnapshotStore.open(work.resolve("store"),
          dropping).restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none()));
      assertEquals(SnapshotException.Kind.MISMATCH, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("with-xattr"), e.getMessage());
      assertTrue(dropping.dropped > 0, "the xattr was never written");
    } finally {
      TestBed.remove(work);
    }
  }

  /** The real filesystem (clones on descriptors, as in production), noting every path under the volume looked up. */
  static final class LookupFs extends ForwardingFs {
    final Set<Path> looked = ConcurrentHashMap.newKeySet();
    private final Path vol;

    LookupFs(NativeFs real, Path vol) {
      super(real);
      this.vol = vol;
    }

    @Override
    public Stat stat(Path path) throws IOException {
      note(path);
      return real.stat(path);
    }

    @Override
    public Map<String, byte[]> readXattrs(Path path) throws IOException {
      note(path);
      return real.readXattrs(path);
    }

    @Override
    public Cloned cloneWithMeta(Path src, Path dst, int uid, int gid, int perms, Map<String, byte[]> xattrs,
        long mtimeNanos, boolean statAfter) throws IOException {
      return real.cloneWithMeta(src, dst, uid, gid, perms, xattrs, mtimeNanos, statAfter);
    }

    @Override
    public Created cloneWithMetaDescribed(Path src, Path dst, int uid, int gid, int perms,
        Map<String, byte[]> xattrs, long mtimeNanos) throws IOException {
      return real.cloneWithMetaDescribed(src, dst, uid, gid, perms, xattrs, mtimeNanos);
    }

    private void note(Path p) {
      if (p.startsWith(vol) && !p.equals(vol)) {
        looked.add(p);
      }
    }
  }

  /** A filesystem that reports success for an xattr on files named {@code name} but does not keep it. */
  static final class DroppingFs extends ForwardingFs {
    private final String name;
    volatile int dropped;

    DroppingFs(NativeFs real, String name) {
      super(real);
      this.name = name;
    }

    @Override
    public void writeXattr(Path path, String attr, byte[] value) throws IOException {
      if (path.getFileName().toString().equals(name)) {
        dropped++;
        return;
      }
      real.writeXattr(path, attr, value);
    }
  }
}
