package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Round 5 of issue 14: an entry holds for what it does to an existing deployment (effect × object × tense), wherever
 * it is listed; the section is a prior, not a gate. The sentences are written for this test, not taken from the corpus.
 */
class StructuralEvidenceTest {
  private static final NoteClassifier DEFAULT = NoteClassifierTest.DEFAULT;

  private static boolean holds(String note) {
    return !DEFAULT.classify(note).holding().isEmpty();
  }

  @Test
  void testRemovalOfOperatorFacingThing_holdsUnderFixesFeaturesAndOther() {
    for (String heading : List.of("Bug fixes", "Features", "Other", "Improvements")) {
      for (String entry : List.of(
          "Dropped the `--insecure-listen` flag",
          "The `MAILER_HOST` environment variable is no longer read",
          "Support for MySQL 5.7 was dropped",
          "The /api/v1/export endpoint was deleted")) {
        String note = "## " + heading + "\n\n- " + entry + "\n- Fix a typo in the about page\n";
        assertTrue(holds(note), heading + ": " + entry);
      }
    }
  }

  @Test
  void testRefusalStartFailureDefaultRequirementRename_holdUnderFeatures() {
    for (String entry : List.of(
        "Uploads larger than the `max_upload` setting are now rejected",
        "The server will fail to start when `SECRET_KEY` is shorter than 32 characters",
        "Registration is now disabled by default",
        "The `storage.backend` option is now mandatory",
        "The on-disk index format changed and older versions cannot read it")) {
      assertTrue(holds("## Features\n\n- " + entry + "\n"), entry);
    }
  }

  @Test
  void testRename_holdsOutsideRoutineSectionsOnly() {
    String entry = "Renamed the `web.port` setting to `http.port`; the old name no longer works";
    assertTrue(holds("## Changes\n\n- " + entry + "\n"));
    assertTrue(holds("## Other\n\n- " + entry + "\n"));
    // a rename listed as a feature: on the tuning products only false holds (machine-docs/DECISIONS.md)
    assertFalse(holds("## Features\n\n- " + entry + "\n"));
  }

  @Test
  void testInternalObjects_doNotHoldUnderRoutineSections() {
    for (String entry : List.of(
        "Removed the unused helper function from the exporter",
        "Dropped the old sidebar icon",
        "Remove duplicate translations strings",
        "Renamed internal test fixtures",
        "Removed a noisy debug log message")) {
      assertFalse(holds("## Bug fixes\n\n- " + entry + "\n"), entry);
    }
  }

  @Test
  void testAnnouncedForLaterOrNegatedOrAutomatic_doesNotHold() {
    for (String entry : List.of(
        "The `--legacy-mode` flag will be removed in a future version",
        "The `LEGACY_DSN` variable is deprecated but still works",
        "The `cache_dir` setting is no longer required",
        "The config file format changed; existing files are converted automatically",
        "Nothing was removed from the API in this release")) {
      assertFalse(holds("## Other\n\n- " + entry + "\n"), entry);
    }
  }

  @Test
  void testBenignEffects_doNotHold() {
    for (String entry : List.of(
        "Added the `--dry-run` flag to the import command",
        "You can now set `SMTP_TIMEOUT` to change the mail timeout",
        "Fixed the `PORT` variable being ignored when set to 80",
        "Improved error messages of the `/api/v2/users` endpoint")) {
      assertFalse(holds("## Features\n\n- " + entry + "\n"), entry);
    }
  }

  @Test
  void testSectionIsAPrior_documentationAndDependenciesStayQuiet() {
    assertFalse(holds("## Documentation\n\n- Removed the `--insecure-listen` flag from the examples\n"));
    assertFalse(holds("## Dependencies\n\n- Dropped `left-pad` from the build\n"));
  }

  @Test
  void testExplain_showsEffectObjectAndTense_inTextAndJson() {
    String note = "## Fixes\n\n- The `LEGACY_SMTP` option has been removed\n- Fix login loop\n";
    ReleaseNoteSource source = v -> v.equals("1.0.1+2") ? new NoteLookup.Found(note, false) : NoteLookup.absent();
    GateDecision d = UpgradeGate.decide("app", "1.0.0+1", "1.0.1+2", PublishedVersions.of(List.of("1.0.0+1",
        "1.0.1+2")), source, GatePolicy.defaults());
    String text = d.toText(true);
    assertTrue(text.contains("[Fixes | FIXES] REMOVAL HOLDS {removal 'has been removed' on operator 'LEGACY_SMTP', now}"),
        text);
    assertTrue(text.contains("[Fixes | FIXES] ROUTINE {benign 'Fix' on unknown, none}"), text);
    String json = d.toJson(true);
    assertTrue(json.contains("\"effect\":\"removal 'has been removed' on operator 'LEGACY_SMTP', now\""), json);
  }

  @Test
  void testHoldQuotesTheEntryWithItsHeading() {
    NoteClassifier.Verdict v = DEFAULT.classify("# v2.1\n\n## Fixes\n\n- The `LEGACY_SMTP` option has been removed\n");
    assertEquals(1, v.holding().size());
    assertEquals("v2.1 › Fixes", v.holding().get(0).heading());
    assertEquals(NoteClassifier.SentenceClass.REMOVAL, v.holding().get(0).cls());
  }
}
