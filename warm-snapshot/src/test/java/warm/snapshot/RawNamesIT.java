package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.TreeCopier;

/**
 * D6: Linux names are bytes. File, directory, symlink-target and hard-link names that are not valid UTF-8 survive a
 * snapshot and a restore byte for byte (reflink on XFS, tar on ext4), and verify lists differences instead of
 * failing.
 */
@Tag("root")
class RawNamesIT {
  /** A child of {@code dir} whose name is {@code ascii} followed by the raw bytes {@code 0xE9 0xFF} (not UTF-8). */
  static Path raw(Path dir, String ascii) {
    return Path.of(URI.create(dir.toAbsolutePath().toUri().toString().replaceAll("/$", "") + "/" + ascii + "%E9%FF"));
  }

  /** Every name, type and link target under {@code dir}, as hex of the raw bytes (no decoding on the way). */
  static String listing(Path dir) throws Exception {
    return TestBed.output(List.of("bash", "-c", "cd \"$1\" && find . -printf '%P|%y|%l|%s|%n\\0' | LC_ALL=C sort -z"
        + " | od -An -tx1 | tr -d ' \\n'", "listing", dir.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"xfs", "ext4"})
  void rawNamesRoundTrip(String fsName) throws Exception {
    Path work = TestBed.workDir(fsName);
    try {
      Path vol = Files.createDirectory(work.resolve("vol"));
      Path dir = Files.createDirectory(raw(vol, "dir"));
      Path file = Files.writeString(raw(dir, "file"), "latin-1 name");
      Files.writeString(raw(vol, "top"), "top");
      Files.createLink(raw(vol, "hard"), file);
      Files.createSymbolicLink(raw(vol, "link"), vol.relativize(file));
      Files.writeString(vol.resolve("plain"), "plain");
      String before = listing(vol);
      assertTrue(before.contains("e9ff"), "the test tree really holds non-UTF-8 bytes: " + before);

      SnapshotStore store = SnapshotStore.forApp(work.resolve("state"), "app");
      store.snapshotAsKnownGood(KnownGoodAuthority.grant(), Map.of("data", vol), SnapshotTag.of("c", "1"), QuiescenceCheck.assumeQuiet(),
          Progress.none());
      assertTrue(store.verify(Map.of("data", vol), true).identical(), "verify of the untouched volume");

      Files.writeString(file, "changed!", StandardOpenOption.TRUNCATE_EXISTING);
      VerifyReport diff = store.verify(Map.of("data", vol), false);
      assertFalse(diff.identical(), "a change under a raw name is listed, not an error");

      TreeCopier.emptyDirectory(vol);
      store.restore(Map.of("data", vol), QuiescenceCheck.assumeQuiet(), true, Progress.none());
      assertEquals(before, listing(vol), "names, types, link targets, sizes and link counts byte for byte");
      assertEquals("latin-1 name", Files.readString(raw(raw(vol, "dir"), "file")));
    } finally {
      TestBed.remove(work);
    }
  }
}
