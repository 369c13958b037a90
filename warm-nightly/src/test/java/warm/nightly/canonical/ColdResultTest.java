package warm.nightly.canonical;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;

/** The cold-result file the runner hands to {@code warm promote}: only a green cold run of the recipe passes. */
class ColdResultTest {
  @TempDir
  Path dir;

  private Path file(String json) throws Exception {
    Path f = dir.resolve("cold-" + System.nanoTime() + ".json");
    Files.writeString(f, json);
    return f;
  }

  private static void refused(Runnable r, String fragment) {
    WarmException e = assertThrows(WarmException.class, r::run);
    assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void green_readAndAccepted() throws Exception {
    ColdResult r = ColdResult.read(file("""
        {"recipe": "sample", "version": "2.0.0+2.0", "commit": "abcdef1", "mode": "cold", "outcome": "pass",
         "extra": 1}"""));
    assertEquals(new ColdResult("sample", "2.0.0+2.0", "abcdef1", "cold", "pass"), r);
    assertDoesNotThrow(() -> r.requireGreenColdRunOf("sample"));
  }

  @Test
  void red_wrongMode_otherRecipe_refused() {
    refused(() -> new ColdResult("sample", "v", "abcdef1", "cold", "fail").requireGreenColdRunOf("sample"),
        "was not green (outcome 'fail')");
    refused(() -> new ColdResult("sample", "v", "abcdef1", "quick", "pass").requireGreenColdRunOf("sample"),
        "'quick' run: only a green cold run promotes");
    refused(() -> new ColdResult("other", "v", "abcdef1", "cold", "pass").requireGreenColdRunOf("sample"),
        "of recipe 'other', not sample");
  }

  @Test
  void malformed_refused() throws Exception {
    refused(() -> ColdResult.read(dir.resolve("missing.json")), "is not a regular file");
    Path notJson = file("{nope");
    refused(() -> ColdResult.read(notJson), "is not readable JSON");
    Path array = file("[1]");
    refused(() -> ColdResult.read(array), "is not a JSON object");
    Path noOutcome = file("{\"recipe\": \"sample\", \"version\": \"v\", \"commit\": \"c\", \"mode\": \"cold\"}");
    refused(() -> ColdResult.read(noOutcome), "has no 'outcome'");
    Path numeric = file("{\"recipe\": \"sample\", \"version\": \"v\", \"commit\": \"c\", \"mode\": \"cold\","
        + " \"outcome\": 0}");
    refused(() -> ColdResult.read(numeric), "has no 'outcome'");
  }

  @Test
  void sameCommit_prefixesOfSevenOrMoreHexDigits() {
    String full = "0123456789abcdef0123456789abcdef01234567";
    assertTrue(PromoteTarget.sameCommit(full, full));
    assertTrue(PromoteTarget.sameCommit("0123456", full));
    assertTrue(PromoteTarget.sameCommit("0123456789ABCDEF", full));
    assertFalse(PromoteTarget.sameCommit("012345", full), "six digits are too few");
    assertFalse(PromoteTarget.sameCommit("1123456", full));
    assertFalse(PromoteTarget.sameCommit("0123456;", full));
  }
}
