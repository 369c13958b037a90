package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.ManifestEntry;
import warm.snapshot.Progress;

/**
 * The tar restore reads the archive on one thread and creates the small files on a few others: what it extracts
 * equals a one-thread extraction (hard links to a file still in the pool's queue, directory mtimes set after their
 * files), and a failed creation fails the extraction with no creation thread left running after it.
 */
class TarParallelExtractTest {
  @TempDir
  Path dir;

  @Test
  void testExtract_createsSmallFilesOnOtherThreadsAndExtractsTheSameTree() throws Exception {
    NativeFs real = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    Random r = new Random(15);
    for (int d = 0; d < 20; d++) {
      Path sub = Files.createDirectory(src.resolve("d" + d));
      for (int f = 0; f < 50; f++) {
        byte[] data = new byte[r.nextInt(20_000)];
        r.nextBytes(data);
        Files.write(sub.resolve("f" + f), data);
      }
      // A second name of the file just written: in the archive right after it, while it may still be queued.
      Files.createLink(sub.resolve("g"), sub.resolve("f49"));
      Files.createSymbolicLink(sub.resolve("sym"), Path.of("f1"));
      Files.setLastModifiedTime(sub, Files.getLastModifiedTime(src.resolve("d0/f0")));
    }
    byte[] big = new byte[3 << 20]; // bigger than a small file: written by the reading thread
    r.nextBytes(big);
    Files.write(src.resolve("big"), big);
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      f.setLength(64L << 20);
      f.seek(32L << 20);
      f.write(big, 0, 4096);
    }
    ManifestBuilder built = new ManifestBuilder(real);
    new TarArchiver(real, Progress.none(), 1).write(src, dir.resolve("v.tar"), built);
    List<ManifestEntry> expected = built.build().entries();
    Set<Thread> creators = ConcurrentHashMap.newKeySet();
    NativeFs recording = new ForwardingFs(real) {
      @Override
      public void writeNewFile(Path file, byte[] data, int len, int uid, int gid, int perms,
          Map<String, byte[]> xattrs, long mtimeNanos) throws IOException {
        creators.add(Thread.currentThread());
        real.writeNewFile(file, data, len, uid, gid, perms, xattrs, mtimeNanos);
      }
    };

    Path out = Files.createDirectory(dir.resolve("out"));
    List<ManifestEntry> described = new TarArchiver(recording, Progress.none(), 3).extract(dir.resolve("v.tar"), out,
        expected);

    assertFalse(creators.contains(Thread.currentThread()), "files were created by the reading thread: " + creators);
    assertTrue(creators.size() > 1, "files were created on one thread only: " + creators);
    assertEquals(List.of(), ManifestComparer.compare("v", expected, new ManifestScanner(real).scan(out, false)
        .entries()).listed());
    assertEquals(expected.stream().map(ManifestEntry::path).toList(),
        described.stream().map(ManifestEntry::path).toList());
    assertArrayEquals(big, Files.readAllBytes(out.resolve("big")));
    assertEquals(List.of(), creationThreads(), "creation threads outlive the extraction");

    Path seq = Files.createDirectory(dir.resolve("seq"));
    new TarArchiver(real, Progress.none(), 1).extract(dir.resolve("v.tar"), seq, expected);
    assertEquals(List.of(), ManifestComparer.compare("v", new ManifestScanner(real).scan(seq, false).entries(),
        new ManifestScanner(real).scan(out, false).entries()).listed());
  }

  @Test
  void testExtract_aFailedCreationFailsTheExtractionAndStopsTheOthers() throws Exception {
    NativeFs real = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    for (int i = 0; i < 2000; i++) {
      Files.writeString(src.resolve(String.format("f%04d", i)), "hello-world!");
    }
    new TarArchiver(real, Progress.none(), 1).write(src, dir.resolve("v.tar"), null);
    Path out = Files.createDirectory(dir.resolve("out"));
    Files.writeString(out.resolve("f0100"), "already here"); // the create-exclusive of this member fails
    AtomicInteger created = new AtomicInteger();
    NativeFs counting = new ForwardingFs(real) {
      @Override
      public void writeNewFile(Path file, byte[] data, int len, int uid, int gid, int perms,
          Map<String, byte[]> xattrs, long mtimeNanos) throws IOException {
        real.writeNewFile(file, data, len, uid, gid, perms, xattrs, mtimeNanos);
        created.incrementAndGet();
      }
    };

    IOException e = assertThrows(IOException.class,
        () -> new TarArchiver(counting, Progress.none(), 3).extract(dir.resolve("v.tar"), out, List.of()));

    assertTrue(e instanceof FileAlreadyExistsException || e.getMessage().contains("f0100"), e.toString());
    assertEquals(List.of(), creationThreads(), "creation threads outlive the failed extraction");
    int after = created.get();
    assertTrue(after < 2000, "the extraction went on after the failure: " + after + " files");
    assertEquals("already here", Files.readString(out.resolve("f0100")));
  }

  private static List<String> creationThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("tar-create")).toList();
  }
}
