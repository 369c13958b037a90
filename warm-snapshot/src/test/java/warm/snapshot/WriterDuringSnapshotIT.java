package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.NativeFs;

/**
 * D1: a writer that truncates and rewrites files while a plain-directory snapshot runs (no quiescence check there).
 * Whatever each attempt does — refuse, or succeed — the known-good must always restore and verify, and a refused
 * attempt must leave the previous known-good in place.
 */
@Tag("reflink")
@Tag("root")
class WriterDuringSnapshotIT {
  private static final int FILES = 3_000;
  private static final int ATTEMPTS = 8;
  private static final int HOT = 16; // the files the writer hammers: a stat→clone window must see a rewrite

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs", "ext4"})
  void knownGoodAlwaysRestores(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      for (int i = 0; i < FILES; i++) {
        Files.writeString(vol.resolve("f" + i), "hello-world!"); // 12 bytes, as in the report
      }
      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      String first = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c0", "1.0.0+1"),
          QuiescenceCheck.assumeQuiet(), Progress.none()).id();

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong rewrites = new AtomicLong();
      Thread writer = new Thread(() -> rewriteLoop(vol, stop, rewrites), "writer");
      writer.start();
      List<String> outcomes = new ArrayList<>();
      int refused = 0;
      try {
        for (int a = 0; a < ATTEMPTS; a++) {
          String before = store.knownGoodId().orElseThrow();
          try {
            SnapshotMeta m = store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c" + (a + 1), "1.0.0+1"),
                QuiescenceCheck.assumeQuiet(), Progress.none());
            outcomes.add("ok " + m.id());
          } catch (SnapshotException e) {
            refused++;
            outcomes.add(e.kind() + " " + e.getMessage());
            assertEquals(SnapshotException.Kind.BUSY, e.kind(), "a volume that changes is 'not quiet': " + e);
            assertEquals(before, store.knownGoodId().orElseThrow(), "a refused snapshot leaves the known-good");
            assertTrue(Files.isDirectory(store.directory().resolve("snap-" + before)), "old known-good kept");
          }
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      System.out.printf("%s: %d rewrites during %d attempts, %d refused: %s%n", fsName, rewrites.get(), ATTEMPTS,
          refused, outcomes);
      assertTrue(rewrites.get() > 0, "the writer ran");

      // The known-good, whichever it is now, restores into an empty directory and verifies against its manifest.
      Path check = Files.createDirectory(work.resolve("check"));
      try {
        store.restore(Map.of("data", check), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      } catch (SnapshotException e) {
        fail("the known-good " + store.knownGoodId().orElse("?") + " (first was " + first
            + ") does not restore after snapshots taken during writes: " + e.getMessage());
      }
      for (int i = HOT; i < FILES; i++) {
        assertEquals(12, Files.size(check.resolve("f" + i)), "f" + i + " (never written) restored whole");
      }
    } finally {
      TestBed.remove(work);
    }
  }

  /**
   * The exact race of the report, made certain: the file is truncated after its stat and before its clone (the
   * {@link NativeFs} below truncates inside {@code cloneFile}). The snapshot is refused and the known-good stays.
   */
  @ParameterizedTest
  @ValueSource(strings = {"xfs", "btrfs"})
  void truncatedBetweenStatAndCloneIsRefused(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      Files.writeString(vol.resolve("a"), "hello-world!");
      Files.writeString(vol.resolve("victim"), "hello-world!");
      Path storeDir = work.resolve("state/app/snapshots");
      String first = SnapshotStore.open(storeDir).snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c0", "1"),
          QuiescenceCheck.assumeQuiet(), Progress.none()).id();
      NativeFs real = NativeFs.platform();
      NativeFs truncating = (NativeFs) Proxy.newProxyInstance(NativeFs.class.getClassLoader(),
          new Class<?>[] {NativeFs.class}, (proxy, m, args) -> {
            if (m.getName().startsWith("clone") && args != null && args[0].equals(vol.resolve("victim"))) {
              Files.write((Path) args[0], new byte[0]); // the writer strikes between stat and clone
            }
            try {
              return m.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      SnapshotStore store = SnapshotStore.open(storeDir, truncating);
      SnapshotException e = assertThrows(SnapshotException.class, () -> store.snapshotAsKnownGood(KnownGoodAuthority.grant(), 
          Map.of("data", vol), SnapshotTag.of("c1", "1"), QuiescenceCheck.assumeQuiet(), Progress.none()));
      assertEquals(SnapshotException.Kind.BUSY, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("victim"), e.getMessage());
      assertEquals(first, store.knownGoodId().orElseThrow(), "the known-good is unchanged");
      assertEquals(List.of(first), store.list().stream().map(SnapshotInfo::id).toList(), "no partial snapshot left");
      Path check = Files.createDirectory(work.resolve("check"));
      store.restore(Map.of("data", check), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      assertEquals("hello-world!", Files.readString(check.resolve("victim")), "the old known-good restores whole");
    } finally {
      TestBed.remove(work);
    }
  }

  /** Truncates a file, then rewrites 12 bytes into it, over and over, across the hot files. */
  private static void rewriteLoop(Path vol, AtomicBoolean stop, AtomicLong count) {
    byte[] text = "HELLO-WORLD?".getBytes(StandardCharsets.US_ASCII);
    int i = 0;
    while (!stop.get()) {
      Path f = vol.resolve("f" + (i++ % HOT));
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        for (int spin = 0; spin < 2_000; spin++) {
          Thread.onSpinWait(); // keep the file empty for a moment, as a real rewrite does between its syscalls
        }
        ch.write(ByteBuffer.wrap(text));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      count.incrementAndGet();
    }
  }
}
