package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.snapshot.ManifestEntry;
import warm.snapshot.Progress;

/**
 * The tar path reads the next files on a small pool while one thread writes the archive: the archive, its member
 * index and the manifest are exactly those of a one-thread write, and a file that changes before its read is still
 * refused.
 */
class TarReadAheadTest {
  @TempDir
  Path dir;

  @Test
  void testWrite_readsAheadOnOtherThreadsAndWritesTheSameArchive() throws Exception {
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
      Files.createLink(sub.resolve("hard"), src.resolve("d0/f" + d));
      Files.createSymbolicLink(sub.resolve("sym"), Path.of("f1"));
    }
    byte[] big = new byte[3 << 20]; // bigger than a read-ahead buffer: streamed by the writer
    r.nextBytes(big);
    Files.write(src.resolve("big"), big);
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      f.setLength(64L << 20);
      f.seek(32L << 20);
      f.write(big, 0, 4096);
    }
    Set<Thread> readers = ConcurrentHashMap.newKeySet();
    NativeFs recording = new Forwarding(real) {
      @Override
      public NativeFs.Head readHead(Path file, ByteBuffer into) throws IOException {
        readers.add(Thread.currentThread()); // the small files' reads ahead (the writer reads hard-linked ones)
        return real.readHead(file, into);
      }
    };

    ManifestBuilder one = new ManifestBuilder(real);
    new TarArchiver(real, Progress.none(), 1).write(src, dir.resolve("one.tar"), one);
    ManifestBuilder three = new ManifestBuilder(real);
    new TarArchiver(recording, Progress.none(), 3).write(src, dir.resolve("three.tar"), three);

    assertFalse(readers.contains(Thread.currentThread()), "files were read by the writing thread: " + readers);
    assertTrue(readers.size() > 1, "files were read on one thread only: " + readers);
    assertArrayEquals(Files.readAllBytes(dir.resolve("one.tar")), Files.readAllBytes(dir.resolve("three.tar")),
        "the archive is one ordered stream");
    assertEquals(TarIndex.read(dir.resolve("one.tar")).members(), TarIndex.read(dir.resolve("three.tar")).members());
    List<ManifestEntry> expected = new ManifestScanner(real).scan(src, false).entries();
    assertEquals(expected, three.build().entries());
    assertEquals(expected, one.build().entries());
    Path out = Files.createDirectory(dir.resolve("out"));
    new TarArchiver(real, Progress.none()).extract(dir.resolve("three.tar"), out, expected);
    assertEquals(List.of(), ManifestComparer.compare("v", expected, new ManifestScanner(real).scan(out, false)
        .entries()).listed());
    assertArrayEquals(big, Files.readAllBytes(out.resolve("big")));
  }

  @Test
  void testWrite_aFileTruncatedAfterItsStatIsRefused() throws Exception {
    NativeFs real = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    for (int i = 0; i < 200; i++) {
      Files.writeString(src.resolve("f" + i), "hello-world!");
    }
    Path victim = src.resolve("f150");
    NativeFs truncating = new Forwarding(real) {
      @Override
      public NativeFs.Head readHead(Path file, ByteBuffer into) throws IOException {
        if (file.equals(victim)) {
          Files.write(victim, new byte[0]); // the writer strikes between the walk's stat and the read
        }
        return real.readHead(file, into);
      }
    };

    ChangedDuringCopyException e = assertThrows(ChangedDuringCopyException.class,
        () -> new TarArchiver(truncating, Progress.none(), 3).write(src, dir.resolve("v.tar"), null));
    assertEquals(victim, e.path());
  }

  @Test
  void testWrite_aFileThatGrowsShrinksOrIsRewrittenAfterItsStatIsRefused() throws Exception {
    NativeFs real = NativeFs.platform();
    for (String how : List.of("grows", "shrinks", "rewritten")) {
      Path src = Files.createDirectory(dir.resolve("src-" + how));
      for (int i = 0; i < 200; i++) {
        Files.writeString(src.resolve("f" + i), "hello-world!");
      }
      Path victim = src.resolve("f150");
      NativeFs striking = new Forwarding(real) {
        @Override
        public NativeFs.Head readHead(Path file, ByteBuffer into) throws IOException {
          if (file.equals(victim)) { // the writer strikes between the walk's stat and the read
            switch (how) {
              case "grows" -> Files.writeString(victim, "hello-world! and more");
              case "shrinks" -> Files.writeString(victim, "hello");
              default -> { // same size, new bytes: only the stat after the read can tell
                FileTime was = Files.getLastModifiedTime(victim);
                Files.writeString(victim, "HELLO-WORLD!");
                Files.setLastModifiedTime(victim, FileTime.fromMillis(was.toMillis() + 1000));
              }
            }
          }
          return real.readHead(file, into);
        }
      };

      ManifestBuilder manifest = new ManifestBuilder(real);
      ChangedDuringCopyException e = assertThrows(ChangedDuringCopyException.class,
          () -> new TarArchiver(striking, Progress.none(), 3).write(src, dir.resolve(how + ".tar"), manifest,
              new SnapshotSeen()), how);
      assertEquals(victim, e.path(), how);
    }
  }

  @Test
  void testWrite_aDirectorysChildrenInNameOrder() throws Exception {
    NativeFs real = NativeFs.platform();
    Path src = Files.createDirectory(dir.resolve("src"));
    List<String> created = List.of("m", "b", "z", "a10", "a2", "a1", "d", "c");
    for (String n : created) {
      if (n.equals("d")) {
        Files.createDirectory(src.resolve(n));
        Files.writeString(src.resolve("d/y"), "y");
        Files.writeString(src.resolve("d/x"), "x");
      } else {
        Files.writeString(src.resolve(n), n);
      }
    }
    new TarArchiver(real, Progress.none(), 3).write(src, dir.resolve("v.tar"), null);

    List<String> members = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(dir.resolve("v.tar")))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        members.add(e.getName());
      }
    }
    assertEquals(List.of("./", "a1", "a10", "a2", "b", "c", "d/", "d/x", "d/y", "m", "z"), members);
  }

  /**
   * Passes every call the tar path makes to the real filesystem, its native region map and one-call read too (the
   * ones {@link ForwardingFs} leaves to their defaults); a test overrides the one it watches.
   */
  private static class Forwarding extends ForwardingFs {
    Forwarding(NativeFs real) {
      super(real);
    }

    @Override
    public SparseMap dataRegions(Path file, long size) throws IOException {
      return real.dataRegions(file, size);
    }

    @Override
    public NativeFs.Head readHead(Path file, byte[] buf, int offset, int len) throws IOException {
      return real.readHead(file, buf, offset, len);
    }

    @Override
    public NativeFs.Head readHead(Path file, ByteBuffer into) throws IOException {
      return real.readHead(file, into);
    }
  }
}
