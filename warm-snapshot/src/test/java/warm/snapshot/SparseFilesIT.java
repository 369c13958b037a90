package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.snapshot.authority.KnownGoodAuthority;

/**
 * D5: sparse files. On the tar path A 20 GiB file holding 4 MB snapshots and restores on a 48 MB filesystem (before:
 * ENOSPC), holes kept; a restore that cannot fit is refused before the volume is emptied.
 */
@Tag("root")
class SparseFilesIT {
  private static final long GIB = 1L << 30;
  private static final int MIB = 1 << 20;

  /** Writes {@code mib} MiB of a recognisable pattern at {@code offset}. */
  private static void region(RandomAccessFile f, long offset, int mib, int seed) throws Exception {
    byte[] b = new byte[mib * MIB];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed + i * 31);
    }
    f.seek(offset);
    f.write(b);
  }

  private static byte[] read(Path p, long offset, int len) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
      byte[] b = new byte[len];
      f.seek(offset);
      f.readFully(b);
      return b;
    }
  }

  private static long allocated(Path p) throws Exception {
    return Long.parseLong(TestBed.output(List.of("stat", "-c", "%b", p.toString())).strip()) * 512;
  }

  @Test
  void twentyGibSparseFileOnATinyFilesystem() throws Exception {
    Path work = TestBed.workDir("tiny");
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      Path db = vol.resolve("db");
      long size = 20 * GIB;
      try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
        f.setLength(size);
        region(f, 0, 1, 1);
        region(f, 5 * GIB, 1, 2);
        region(f, size - 2 * MIB, 2, 3);
      }
      byte[] head = read(db, 0, MIB);
      byte[] middle = read(db, 5 * GIB, MIB);
      byte[] tail = read(db, size - 2 * MIB, 2 * MIB);
      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "1"),
          QuiescenceCheck.assumeQuiet(), Progress.none());
      assertEquals(Method.TAR, meta.method());
      long tar = Files.size(store.directory().resolve("snap-" + meta.id()).resolve("data/data.tar"));
      System.out.printf("sparse 20 GiB holding 4 MiB: archive %d KiB, source allocated %d KiB%n", tar >> 10,
          allocated(db) >> 10);
      assertTrue(tar < 8 * MIB, "the archive holds the data regions only: " + tar);

      Files.delete(db);
      store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      assertEquals(size, Files.size(db));
      long alloc = allocated(db);
      System.out.printf("restored: allocated %d KiB%n", alloc >> 10);
      assertTrue(alloc < 8 * MIB, "holes restored as holes: " + alloc + " bytes allocated");
      assertArrayEquals(head, read(db, 0, MIB));
      assertArrayEquals(middle, read(db, 5 * GIB, MIB));
      assertArrayEquals(tail, read(db, size - 2 * MIB, 2 * MIB));
      byte[] zeros = new byte[MIB];
      assertArrayEquals(zeros, read(db, 3 * GIB, MIB), "a hole reads as zeros");
      assertTrue(store.verify(Map.of("data", vol), false).identical());
    } finally {
      TestBed.remove(work);
    }
  }

  /** The reflink path keeps holes by construction (clones share extents); measured for the manual. */
  @Test
  void reflinkPathKeepsHoles() throws Exception {
    Path work = TestBed.workDir("xfs");
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      Path db = vol.resolve("db");
      try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
        f.setLength(20 * GIB);
        region(f, 0, 2, 1);
        region(f, 7 * GIB, 2, 2);
      }
      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      SnapshotMeta meta = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "1"),
          QuiescenceCheck.assumeQuiet(), Progress.none());
      assertEquals(Method.REFLINK, meta.method());
      Path copy = store.directory().resolve("snap-" + meta.id()).resolve("data/data/db");
      Files.delete(db);
      store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none());
      System.out.printf("reflink: sparse 20 GiB holding 4 MiB: snapshot copy allocated %d KiB (shared), "
          + "extra disk %d KiB; restored allocated %d KiB%n", allocated(copy) >> 10, meta.storeBytes() >> 10,
          allocated(db) >> 10);
      assertEquals(20 * GIB, Files.size(db));
      assertTrue(allocated(db) < 8 * MIB, "holes kept on restore");
    } finally {
      TestBed.remove(work);
    }
  }

  /** The sparse entry's content hash (read back with zeros in the holes) equals the file's. */
  @Test
  void contentVerificationOfASparseFile() throws Exception {
    Path work = TestBed.workDir("ext4");
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      try (RandomAccessFile f = new RandomAccessFile(vol.resolve("img").toFile(), "rw")) {
        f.setLength(64L * MIB);
        region(f, 3L * MIB, 1, 7);
        region(f, 40L * MIB, 1, 9);
      }
      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "1"), QuiescenceCheck.assumeQuiet(),
          Progress.none());
      try (RandomAccessFile f = new RandomAccessFile(vol.resolve("img").toFile(), "rw")) {
        f.seek(40L * MIB + 5);
        f.write(42); // same size, same allocation: only the content differs
      }
      VerifyReport r = store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      assertTrue(r.identical() && r.contentCompared(), r.toString());
      assertTrue(allocated(vol.resolve("img")) < 8L * MIB, "holes kept");
    } finally {
      TestBed.remove(work);
    }
  }

  @Test
  void restoreThatCannotFitIsRefusedBeforeEmptying() throws Exception {
    Path work = TestBed.workDir("tiny");
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      byte[] dense = new byte[12 * MIB];
      Arrays.fill(dense, (byte) 1);
      Files.write(vol.resolve("dense"), dense);
      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "1"), QuiescenceCheck.assumeQuiet(),
          Progress.none());
      Files.delete(vol.resolve("dense"));
      Files.writeString(vol.resolve("marker"), "still here");
      long free = Files.getFileStore(work).getUsableSpace();
      Path filler = work.resolve("filler");
      try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
        byte[] chunk = new byte[MIB];
        for (long left = free - 4L * MIB; left > 0; left -= MIB) {
          f.write(chunk); // real blocks, not a hole
        }
      }
      SnapshotException e = assertThrows(SnapshotException.class,
          () -> store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), false, Progress.none()));
      assertEquals(SnapshotException.Kind.NO_SPACE, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
      assertEquals("still here", Files.readString(vol.resolve("marker")), "the volume is as it was");
      Files.delete(filler);
      store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      assertArrayEquals(dense, Files.readAllBytes(vol.resolve("dense")));
    } finally {
      TestBed.remove(work);
    }
  }
}
