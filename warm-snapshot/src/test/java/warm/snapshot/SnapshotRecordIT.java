package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.ChangeRecord;
import warm.snapshot.internal.ForwardingFs;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.Stat;

/**
 * A snapshot, reflink (issue 15, row 1; XFS, btrfs) or tar (row 4; ext4), takes the change record from its own copy
 * — each object's stat before its copy and after it — instead of walking the volume before and after: no regular file
 * is looked up by path more than once, the record equals a walk of the volume with every quiet entry trusted (the
 * next restore is a delta of the one file changed since), and a directory that gained an entry during the copy is
 * recorded untrusted, the new entry not at all (the next restore removes it).
 */
@Tag("reflink")
@Tag("root")
class SnapshotRecordIT {

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs", "ext4"})
  void snapshotRecordsFromItsCopy(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      HostileTree.build(vol, 500, 0);
      Thread.sleep(100); // older than the record's clock margin: every entry can be trusted
      CountingFs fs = new CountingFs(NativeFs.platform(), vol);
      SnapshotStore store = SnapshotStore.open(work.resolve("store"), fs);
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol),
          SnapshotTag.of("abc", "1.0.0+1"), QuiescenceCheck.assumeQuiet(), Progress.none());
      assertEquals(fsName.equals("ext4") ? Method.TAR : Method.REFLINK, meta.method());
      assertEquals(1, (int) fs.lookups.get(vol.resolve("many/d2/f201")), "lookups of a file: " + fs.lookups.get(
          vol.resolve("many/d2/f201")));
      assertTrue(fs.lookups.values().stream().allMatch(n -> n <= 2), "an object was looked up more than twice");

      ChangeRecord.Loaded loaded = ChangeRecord.load(store.directory().resolve("change-record"));
      assertNotNull(loaded.record(), loaded.refusal());
      List<ChangeRecord.Seen> recorded = loaded.record().volumes().get("data");
      assertEquals(ChangeRecord.walk(NativeFs.platform(), vol), recorded);

      Files.writeString(vol.resolve("many/d3/f300"), "changed after the snapshot");
      VerifyReport r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertTrue(r.identical(), r.differences().toString());
      assertEquals(RestoreOutcome.DELTA, r.restore().kind(), r.restore().fullReason());
      assertEquals(List.of("data: many/d3/f300"), r.restore().changed());

      // A writer adds a file to many/d4 while the copy runs, when it copies a file of that directory: the walk has
      // listed it (the copy runs beside the rest of the walk, so another directory might not be listed yet).
      Thread.sleep(100);
      fs.writeDuringCopy = vol.resolve("many/d4/arrived-during-copy");
      store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("abc", "1.0.0+1"),
          QuiescenceCheck.assumeQuiet(), Progress.none());
      assertTrue(fs.written.get(), "the writer never ran");
      recorded = ChangeRecord.load(store.directory().resolve("change-record")).record().volumes().get("data");
      assertTrue(recorded.stream().noneMatch(s -> s.path().equals("many/d4/arrived-during-copy")), "recorded");
      ChangeRecord.Seen d4 = recorded.stream().filter(s -> s.path().equals("many/d4")).findFirst().orElseThrow();
      assertEquals(-1, d4.ctimeNanos(), "a directory changed during the copy was trusted");
      ChangeRecord.Seen f = recorded.stream().filter(s -> s.path().equals("many/d0/f0")).findFirst().orElseThrow();
      assertTrue(f.ctimeNanos() != -1, "an untouched file was not trusted");
      r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertTrue(r.identical(), r.differences().toString());
      assertEquals(RestoreOutcome.DELTA, r.restore().kind(), r.restore().fullReason());
      assertTrue(Files.notExists(vol.resolve("many/d4/arrived-during-copy")));
    } finally {
      TestBed.remove(work);
    }
  }

  /**
   * The real filesystem (clones and small-file reads on descriptors), counting path lookups under the volume;
   * optionally a writer, when the copy takes the data of {@code many/d4/f450} (its clone, or its read for the tar).
   */
  static final class CountingFs extends ForwardingFs {
    final Map<Path, Integer> lookups = new ConcurrentHashMap<>();
    final AtomicBoolean written = new AtomicBoolean();
    volatile Path writeDuringCopy;
    private final Path vol;

    CountingFs(NativeFs real, Path vol) {
      super(real);
      this.vol = vol;
    }

    @Override
    public Stat stat(Path path) throws IOException {
      if (path.startsWith(vol)) {
        lookups.merge(path, 1, Integer::sum);
      }
      return real.stat(path);
    }

    @Override
    public Cloned cloneWithMeta(Path src, Path dst, int uid, int gid, int perms, Map<String, byte[]> xattrs,
        long mtimeNanos, boolean statAfter) throws IOException {
      write(src);
      return real.cloneWithMeta(src, dst, uid, gid, perms, xattrs, mtimeNanos, statAfter);
    }

    @Override
    public Head readHead(Path file, byte[] buf, int offset, int len) throws IOException {
      write(file);
      return real.readHead(file, buf, offset, len);
    }

    @Override
    public Head readHead(Path file, ByteBuffer into) throws IOException {
      write(file);
      return real.readHead(file, into);
    }

    private void write(Path copied) throws IOException {
      Path w = writeDuringCopy;
      if (w != null && copied.toString().endsWith("many/d4/f450") && written.compareAndSet(false, true)) {
        Files.writeString(w, "new");
      }
    }
  }
}
