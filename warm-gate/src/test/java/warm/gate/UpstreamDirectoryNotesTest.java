package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream notes as files named by upstream version, on a real directory. */
class UpstreamDirectoryNotesTest {
  @TempDir
  Path dir;

  @Test
  void testLookup_everyNameThatExistsIsRead() throws IOException {
    Files.writeString(dir.resolve("26.5.0.md"), "## 26.5.0\nYou must migrate the realm by hand.\n");
    Files.writeString(dir.resolve("26.5.0.html"), "<p>Also: <b>breaking</b> change.</p>");
    UpstreamRead r = UpstreamNoteSource.directory(dir).lookup("26.5.0");
    String text = assertInstanceOf(NoteLookup.Found.class, r.result()).text();
    assertTrue(text.contains("migrate the realm") && text.contains("breaking"), text);
    assertTrue(r.from().contains("26.5.0.md") && r.from().contains("26.5.0.html"), r.from());
  }

  @Test
  void testLookup_plainNameAndNoNote() throws IOException {
    Files.writeString(dir.resolve("26.5.0"), "fixes only");
    assertEquals("fixes only", ((NoteLookup.Found) UpstreamNoteSource.directory(dir).lookup("26.5.0").result()).text());
    assertInstanceOf(NoteLookup.Absent.class, UpstreamNoteSource.directory(dir).lookup("26.6.0").result());
  }

  @Test
  void testLookup_missingDirectoryIsUnreachable() {
    UpstreamRead r = UpstreamNoteSource.directory(dir.resolve("nope")).lookup("26.5.0");
    assertTrue(assertInstanceOf(NoteLookup.Unreadable.class, r.result()).detail().contains("does not exist"));
  }

  @Test
  void testLookup_symlinkIsNotFollowed() throws IOException {
    Path secret = Files.writeString(dir.resolve("outside"), "must not be read");
    Path notes = Files.createDirectory(dir.resolve("notes"));
    Files.createSymbolicLink(notes.resolve("26.5.0.md"), secret);
    UpstreamRead r = UpstreamNoteSource.directory(notes).lookup("26.5.0");
    assertTrue(assertInstanceOf(NoteLookup.Unreadable.class, r.result()).detail().contains("symbolic link"));
  }

  @Test
  void testLookup_oversizeIsUnreachable() throws IOException {
    Files.write(dir.resolve("26.5.0"), new byte[ReleaseNoteSource.MAX_NOTE_BYTES + 1]);
    UpstreamRead r = UpstreamNoteSource.directory(dir).lookup("26.5.0");
    assertTrue(assertInstanceOf(NoteLookup.Unreadable.class, r.result()).detail().contains("larger than 1 MiB"));
  }
}
