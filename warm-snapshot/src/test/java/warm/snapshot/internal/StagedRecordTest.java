package warm.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChangeRecord#stage}: a snapshot's record written and fsynced under a {@code .tmp-} name (what every store
 * operation sweeps as a leftover) without touching the record in place, until it is published or discarded.
 */
class StagedRecordTest {
  @TempDir
  Path dir;

  @Test
  void stagedRecordReplacesTheOldOneOnlyWhenPublished() throws IOException {
    Path record = dir.resolve("change-record");
    Files.write(record, new byte[] {1, 2, 3});
    byte[] next = {4, 5, 6, 7};

    ChangeRecord.Staged staged = ChangeRecord.stage(record, next);

    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(record), "the old record stays until published");
    Path temp = staged.temp().temp();
    assertEquals(List.of(temp.getFileName().toString()), tempNames());
    assertTrue(temp.getFileName().toString().startsWith(".tmp-change-record-"), temp.toString());
    assertArrayEquals(next, Files.readAllBytes(temp));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)));

    staged.publish();

    assertArrayEquals(next, Files.readAllBytes(record));
    assertEquals(List.of(), tempNames());
  }

  @Test
  void discardedRecordLeavesTheOldOneAndNoTempFile() throws IOException {
    Path record = dir.resolve("change-record");
    Files.write(record, new byte[] {1, 2, 3});

    ChangeRecord.stage(record, new byte[] {9}).discard();

    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(record));
    assertEquals(List.of(), tempNames());
  }

  @Test
  void noRecordKeptRemovesTheOldOneWhenPublished() throws IOException {
    Path record = dir.resolve("change-record");
    Files.write(record, new byte[] {1, 2, 3});

    ChangeRecord.Staged staged = ChangeRecord.stage(record, null); // past MAX_ENTRIES: no record is kept

    assertNull(staged.temp());
    assertTrue(Files.exists(record), "nothing changes before the publish");
    staged.discard();
    assertTrue(Files.exists(record), "a discarded empty staging changes nothing");
    staged.publish();
    assertFalse(Files.exists(record));
    assertEquals(List.of(), tempNames());
  }

  private List<String> tempNames() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).sorted().toList();
    }
  }
}
