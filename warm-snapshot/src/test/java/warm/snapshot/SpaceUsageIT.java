package warm.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Space counted by extents on real filesystems: a reflinked copy on XFS and btrfs shares its blocks with the
 * original, so the two together count once; a byte copy on ext4 counts twice.
 */
@Tag("root")
class SpaceUsageIT {
  private static final long MIB = 1 << 20;
  /** Directory and metadata blocks around the data (XFS keeps small directories inline: zero). */
  private static final long SLACK = 256 * 1024;

  private static Map<String, List<Path>> volumeAndCopy(Path work, boolean reflink) throws Exception {
    Path vol = Files.createDirectory(work.resolve("vol"));
    Path snap = Files.createDirectory(work.resolve("snap"));
    byte[] data = new byte[(int) (4 * MIB)];
    new Random(7).nextBytes(data);
    Path f = vol.resolve("db");
    Files.write(f, data);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.force(true); // allocated now, not delayed: FIEMAP then reports real addresses
    }
    assertEquals(0, TestBed.run(List.of("cp", reflink ? "--reflink=always" : "--reflink=never", f.toString(),
        snap.resolve("db").toString())), "cp");
    TestBed.run(List.of("sync", "-f", snap.resolve("db").toString()));
    Map<String, List<Path>> parts = new LinkedHashMap<>();
    parts.put("volumes", List.of(vol));
    parts.put("snapshots", List.of(snap));
    return parts;
  }

  private static void assertAbout(long expected, long actual, String what) {
    assertTrue(actual >= expected && actual <= expected + SLACK, what + ": expected about " + expected + ", got "
        + actual);
  }

  private void reflinkedCountsOnce(String fs) throws Exception {
    Path work = TestBed.workDir(fs);
    try {
      SpaceUsage.Report r = SpaceUsage.measure(volumeAndCopy(work, true));
      assertTrue(r.extentMapped(), r.toString());
      assertAbout(4 * MIB, r.parts().get("volumes"), fs + " volume " + r);
      assertAbout(4 * MIB, r.parts().get("snapshots"), fs + " reflinked copy, on its own " + r);
      assertAbout(4 * MIB, r.totalBytes(), fs + " both together: shared extents once " + r);
      assertTrue(r.sharedBetweenParts() >= 4 * MIB - SLACK, r.toString());
    } finally {
      TestBed.remove(work);
    }
  }

  @Test
  void testReflinkedCopy_onXfs_countsOnce() throws Exception {
    reflinkedCountsOnce("xfs");
  }

  @Test
  void testReflinkedCopy_onBtrfs_countsOnce() throws Exception {
    reflinkedCountsOnce("btrfs");
  }

  @Test
  void testByteCopy_onExt4_countsTwice() throws Exception {
    Path work = TestBed.workDir("ext4");
    try {
      SpaceUsage.Report r = SpaceUsage.measure(volumeAndCopy(work, false));
      assertTrue(r.extentMapped(), r.toString());
      assertAbout(8 * MIB, r.totalBytes(), "ext4 byte copy " + r);
      assertEquals(0, r.sharedBetweenParts(), r.toString());
    } finally {
      TestBed.remove(work);
    }
  }
}
