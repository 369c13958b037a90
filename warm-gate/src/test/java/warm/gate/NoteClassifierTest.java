package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy's classes of language, each in the structure real notes use. */
class NoteClassifierTest {
  static final NoteClassifier DEFAULT = new NoteClassifier(DeploymentContext.defaults(), List.of());

  static List<NoteClassifier.Classified> holding(String note) {
    return DEFAULT.classify(note).holding();
  }

  static NoteClassifier.SentenceClass classOf(String note, String sentenceStart) {
    return DEFAULT.classify(note).sentences().stream().filter(c -> c.text().startsWith(sentenceStart)).findFirst()
        .orElseThrow(() -> new AssertionError("no sentence '" + sentenceStart + "' in " + DEFAULT.classify(note)))
        .cls();
  }

  @Test
  void testDeprecationIsNotRemoval() {
    assertEquals(List.of(), holding("The `LEGACY_AUTH` option is deprecated and will be removed in a future major."));
    assertEquals(NoteClassifier.SentenceClass.REMOVAL,
        classOf("The `LEGACY_AUTH` option has been removed.", "The `LEGACY_AUTH`"));
    assertEquals(NoteClassifier.SentenceClass.REMOVAL, classOf(
        "This release removes support for the `structured` logging option, which was deprecated in v1.23.", "This"));
  }

  @Test
  void testOptInFeatureDoesNotHold() {
    assertEquals(List.of(), holding("To use the new LDAP login, enable it in your configuration with LDAP_ENABLED."));
    assertEquals(List.of(), holding("New optional feature: SAML login. Disabled by default."));
  }

  @Test
  void testChangedBehaviourStatedDescriptively_holds() {
    for (String note : List.of(
        "Starting with v3, clients without a client certificate are refused by default.",
        "This can no longer be turned off.",
        "The default value of `session_timeout` changed from 30d to 1d.",
        "The `X-Forwarded-For` header is no longer sent to upstreams.",
        "The mutual rooms endpoint is now disabled by default and will be removed later.")) {
      assertFalse(holding(note).isEmpty(), note);
    }
  }

  @Test
  void testNegationAndAutomation_release() {
    assertEquals(List.of(), holding("Database migrations run automatically on start."));
    assertEquals(List.of(), holding("The schema changed. Migrations are applied automatically, no action required."));
    assertEquals(List.of(), holding("This release is backwards compatible."));
    assertEquals(List.of(), holding("## Breaking changes\n\nNone.\n\n## Bug fixes\n\n- Fix login loop\n"));
  }

  @Test
  void testMentionWithoutAsking_doesNotHold() {
    assertEquals(List.of(), holding("## Documentation\n\n- Update the upgrade guide for v4 migrations (#123)\n"));
    assertEquals(List.of(), holding("- [docs] Explain how to migrate from SQLite\n- refactor: migrate to the new HTTP library\n"));
    assertEquals(List.of(), holding("## Bug fixes\n\n- Fix crash when a migration is skipped\n- Fix data loss on Safari drafts\n"));
  }

  @Test
  void testBreakingSectionItems_holdUnderTheirHeading() {
    String note = "# v5.0\n\n## Breaking changes\n\n- Sessions are stored in Redis.\n\n## Features\n\n- Dark mode\n";
    List<NoteClassifier.Classified> held = holding(note);
    assertEquals(1, held.size(), held.toString());
    assertEquals("v5.0 › Breaking changes", held.get(0).heading());
    assertEquals("Sessions are stored in Redis.", held.get(0).quote());
  }

  @Test
  void testScope_configurable() {
    String note = "## Helm chart\n\nThe `ingress.className` value has been removed; you must set it in values.yaml.\n";
    assertEquals(List.of(), holding(note), "Kubernetes/Helm changes do not concern a Swarm host");
    NoteClassifier k8s = new NoteClassifier(DeploymentContext.defaultsWith(Map.of("helm", true)), List.of());
    assertFalse(k8s.classify(note).holding().isEmpty(), "a deployment that uses Helm holds");
  }

  @Test
  void testFormats_headingsOfEveryKind() {
    String asciidoc = "= Release 2.0\n\n== Upgrade notes\n\nRun the reindex job after deploying.\n";
    String rst = "Release 2.0\n===========\n\nUpgrade notes\n-------------\n\nRun the reindex job after deploying.\n";
    String html = "<h2>Upgrade notes</h2><ul><li>Run the reindex job after deploying.</li></ul>";
    for (String note : List.of(asciidoc, rst, html)) {
      List<NoteClassifier.Classified> held = holding(note);
      assertEquals(1, held.size(), note + " → " + held);
      assertTrue(held.get(0).heading().endsWith("Upgrade notes"), held.get(0).heading());
    }
  }

  @Test
  void testMarkdownWithTags_keepsItsLinesAndAngleBracketText() {
    String note = "## Upgrade notes\n\n<details><summary>More</summary>\n\n- Run `abra app cmd <app> app migrate`"
        + " after deploying.\n\n</details>\n";
    List<NoteClassifier.Classified> held = holding(note);
    assertEquals(1, held.size(), held.toString());
    assertEquals("Run `abra app cmd <app> app migrate` after deploying.", held.get(0).quote());
    assertEquals("Upgrade notes", held.get(0).heading());
  }

  @Test
  void testHtml_placeholderInAngleBracketsIsText() {
    List<NoteClassifier.Classified> held = holding("<p>Upstream bugfix release.</p>\n"
        + "Run abra app cmd <app> app upgrade_db before upgrading.\n");
    assertEquals(1, held.size(), held.toString());
    assertEquals("Run abra app cmd <app> app upgrade_db before upgrading.", held.get(0).quote());
  }

  @Test
  void testTableRow_isAUnit() {
    String note = "| Setting | Change |\n|---|---|\n| `SMTP_HOST` | has been removed |\n| `LOG` | unchanged |\n";
    List<NoteClassifier.Classified> held = holding(note);
    assertEquals(1, held.size(), held.toString());
    assertTrue(held.get(0).text().contains("SMTP_HOST"));
  }

  @Test
  void testExtraMarker_literalAnyWhere() {
    NoteClassifier withMarker = new NoteClassifier(DeploymentContext.defaults(), List.of("rotate the OIDC secret"));
    assertFalse(withMarker.classify("## Documentation\n\n- Remember to rotate the OIDC secret.\n").holding()
        .isEmpty());
    assertFalse(withMarker.classify("## Kubernetes\n\nRotate the OIDC secret.\n").holding().isEmpty(),
        "an operator's marker holds even in a section about an unused platform");
  }

  @Test
  void testGarbage_isUnreadable() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      b.append('\uFFFD').append((char) (i % 31 + 1));
    }
    assertTrue(DEFAULT.classify(b.toString()).unreadable().contains("not text"));
  }

  @Test
  void testConditionalAdvice_forSomeSetups_doesNotHold() {
    for (String note : List.of(
        "## Upgrade notes\n\nIf you are using the bundled mail relay, make sure to check its queue settings.\n",
        "## Upgrade notes\n\nUsers of the LDAP sync should review their filters before upgrading.\n",
        "## Upgrade notes\n\nIf you run several workers you may need to adjust your proxy routes.\n",
        "## Upgrade notes\n\nIf you use the S3 backend, check your bucket policy after upgrading.\n",
        "The server now requires Redis 7 if Redis is configured as its cache.")) {
      assertEquals(List.of(), holding(note), note);
    }
    assertEquals(NoteClassifier.SentenceClass.CONDITIONAL, classOf(
        "## Upgrade notes\n\nIf you are using the bundled mail relay, make sure to check its queue settings.\n", "If"));
  }

  @Test
  void testConditionalAdvice_withAnObligation_holds() {
    for (String note : List.of(
        "## Upgrade notes\n\nIf you use the S3 backend, you must set `S3_REGION` before upgrading.\n",
        "## Upgrade notes\n\nIf you are using workers, you need to update your reverse proxy routes.\n",
        "## Upgrade notes\n\nUpdate your reverse proxy configuration before upgrading.\n",
        "## Upgrade notes\n\nIf you have `cache_days` set to 0 you should change your configuration.\n",
        "## Upgrade notes\n\nIf you use the S3 backend, run `app migrate-objects` after upgrading.\n",
        "## Upgrade notes\n\nIf you are using LDAP, a manual migration of the group mapping is needed.\n")) {
      assertFalse(holding(note).isEmpty(), note);
    }
  }

  @Test
  void testBreakingSectionThatSaysItIsNotBreaking_doesNotHold() {
    assertEquals(List.of(), holding("## Breaking\n\n- Rename the internal webhook payload struct (#101)\n"
        + "  The change is not really breaking: most users are not affected.\n"));
    assertEquals(List.of(), holding("## Breaking changes\n\nWhen the new query mode is on, errors return 207.\n\n"
        + "When it is off, errors return 400 (no breaking change).\n"));
    assertFalse(holding("## Breaking changes\n\n- The `LEGACY_AUTH` option has been removed.\n"
        + "- Renamed a log field; this one is not really breaking.\n").isEmpty(),
        "a removal said in so many words still holds");
    assertFalse(holding("## Breaking changes\n\n- Sessions are stored in Redis.\n").isEmpty(),
        "an item of a breaking section still holds when nothing says otherwise");
  }

  @Test
  void testBreakingItemsForDevelopers_doNotHold() {
    assertEquals(List.of(), holding("## Breaking changes\n\n- The `Spinner` export was removed from `@acme/widgets`.\n"));
    assertEquals(List.of(), holding("## Breaking changes\n\nWe moved these components from `@acme/widgets` to "
        + "`@acme/lab`.\n\n- Spinner\n- Toolbar\n"));
    assertEquals(List.of(), holding("## Breaking changes\n\n- Strings now live in one file per language. "
        + "All strings are contributed via the translation platform.\n"));
    assertFalse(holding("## Breaking changes\n\nWe moved the `Spinner` component to `@acme/lab`.\n\n"
        + "- The `SMTP_HOST` setting has been removed.\n").isEmpty(), "an operator's removal still holds");
  }

  @Test
  void testNoLongerPossible_aloneIsNotABehaviourChange() {
    // "no longer possible" held only one dev product's items, all of them held by other words too (issue 14).
    assertEquals(List.of(), holding("## Upgrade notes\n\nIt is no longer possible to pick a colour per chart line.\n"));
    assertFalse(holding("## Upgrade notes\n\nPlain HTTP logins are no longer allowed.\n").isEmpty());
  }

  @Test
  void testAdviceToReadTheNotes_aloneDoesNotHold() {
    // The gate reads every note between current and target itself (issue 14, round 2: cryptpad; also gitea, nextcloud).
    assertEquals(List.of(), holding("## Upgrade notes\n\nBefore you upgrade, take some time to read the release "
        + "notes of every version in between.\n"));
    assertEquals(List.of(), holding("If you come from an older release, please review the changelog of each "
        + "version since yours before upgrading."));
    assertFalse(holding("## Upgrade notes\n\nYou must read the migration notes and run the migration command "
        + "before upgrading.\n").isEmpty(), "an obligation next to the reading still holds");
  }

  @Test
  void testCatchAllHeading_doesNotHideItsBreakingList() {
    // "Other changes" is a catch-all, not an internal section: its "BREAKING" list is still breaking (issue 14).
    assertFalse(holding("## Other changes\n\n* BREAKING\n  * Drop the embedded search backend (#123)\n").isEmpty());
    assertEquals(List.of(), holding("## Developer\n\n### Removed\n\n- Removed the `render_hook` callback\n"));
  }

  @Test
  void testConditionalAdvice_onAFeatureInUseOrOnTheHost_doesNotHold() {
    // Issue 14, round 2: bookstack ("if you make use of", "if you allow"), forgejo ("if the number of ... is low").
    assertEquals(List.of(), holding("If you make use of shared inboxes, you should upgrade right away."));
    assertEquals(List.of(), holding("If you allow guests to upload files you should update soon."));
    assertEquals(List.of(), holding("Set `WORKER_COUNT` to 4 or less if the number of CPU cores is low."));
    assertFalse(holding("If you make use of shared inboxes, you must set `INBOX_MODE` before upgrading.").isEmpty(),
        "an obligation still holds");
  }

  @Test
  void testSkip_onlyAVersionOrAStepIsAnUpgradePath() {
    // Issue 14, round 3: "don't skip OCR" is a fix to what the software processes, not an upgrade path.
    assertEquals(List.of(), holding("## Bug fixes\n\n- Fix: don't skip thumbnails for scanned images (#41)\n"));
    assertEquals(List.of(), holding("- Fixed: never skip the spam filter for local senders\n"));
    for (String note : List.of("Do not skip this release when upgrading.", "Don't skip versions: go 2.x, then 3.x.",
        "You must not skip the 1.20 release.", "Never skip a major version.", "Do not skip this step.")) {
      assertEquals(NoteClassifier.SentenceClass.UPGRADE_PATH, classOf(note, note.substring(0, 8)), note);
    }
  }

  @Test
  void testImperative_aWordThatOnlyStartsWithReIsNotAnInstruction() {
    // Issue 14, round 3: "Recent versions ..." in an upgrade section read as the imperative "re-…".
    assertEquals(List.of(), holding("## Upgrade notes\n\nRecent versions have introduced a faster editor.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nResults of searches are now cached in memory.\n"));
    for (String note : List.of("## Upgrade notes\n\nRe-run the setup wizard.\n",
        "## Upgrade notes\n\nRebuild the search index.\n", "## Upgrade notes\n\nReload your proxy.\n")) {
      assertFalse(holding(note).isEmpty(), note);
    }
  }

  @Test
  void testStandardStepsTheImagePerforms_doNotHold() {
    // Issue 14, round 3 (cryptpad, bookstack): a deployment that runs the upstream's container image gets the
    // standard steps of a bare-metal upgrade, and the runtime the release needs, from the image.
    assertEquals(List.of(), holding("## Upgrade notes\n\n1. Stop your server\n2. Install the latest dependencies with "
        + "`yarn install`\n3. Restart your server\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nThis version requires new front-end dependencies.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nClear the application cache.\n"));
    assertEquals(List.of(), holding("- Node 20 or greater is now required to run the server.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nRequires PHP 8.2+.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nAfter upgrading, open the admin panel to confirm that all "
        + "checks pass.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nWe recommend checking the status page after updating to "
        + "verify that the workers are running.\n"));
  }

  @Test
  void testStandardStepsTheImagePerforms_nextToAnotherStep_hold() {
    assertFalse(holding("## Upgrade notes\n\nStop your server, then edit `settings.yml` to set `MAIL_HOST`.\n")
        .isEmpty());
    assertFalse(holding("## Upgrade notes\n\nStop your server and restore the uploads folder from the backup.\n")
        .isEmpty());
    assertFalse(holding("PostgreSQL 14 is now required.").isEmpty(), "a database is a service of its own");
    assertFalse(holding("You must restart your server twice after upgrading.").isEmpty(), "an obligation stays");
    assertFalse(holding("After upgrading, restart the mail service by hand.").isEmpty(), "a step done by hand stays");
  }

  @Test
  void testStandardSteps_holdWhenTheDeploymentDoesNotRunTheImage() {
    NoteClassifier fromSource = new NoteClassifier(DeploymentContext.defaultsWith(Map.of("container image", false)),
        List.of());
    assertFalse(fromSource.classify("## Upgrade notes\n\n1. Stop your server\n2. Restart your server\n").holding()
        .isEmpty());
  }

  @Test
  void testAdviceForLocallyCustomisedInstances_doesNotHold() {
    // Issue 14, round 3 (cryptpad, bookstack): a deployment that runs the upstream's image unmodified has no local
    // customisations; advice to those who patched their templates is for a setup only some deployments have.
    assertEquals(List.of(), holding("## Upgrade notes\n\nIf you have customised the templates of your instance, "
        + "test them against this release before upgrading.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nIf you've modified the stylesheets you might see "
        + "incompatibilities with your local changes.\n"));
    assertEquals(List.of(), holding("If you made heavy customisations to the theme, they may need to be adapted."));
    assertFalse(holding("If you have customised the templates, you must move them to `templates/custom` before "
        + "upgrading.").isEmpty(), "an obligation still holds");
  }

  @Test
  void testRequiredNewSetting_statedInPassing_holds() {
    // the purpose of the setting ("to automatically …") is not the software doing the upgrade step itself
    for (String note : List.of(
        "- NOTE: a new config.yml entry is required to automatically renew certificates",
        "## 4.2\n\nA new `signing_key` secret is now required for federation.")) {
      assertFalse(holding(note).isEmpty(), note);
    }
    assertEquals(List.of(), holding("Sessions are now renewed automatically, no new setting is required."));
  }

  @Test
  void testNewLimitThatRejectsWhatWasAccepted_holds() {
    for (String note : List.of(
        "## Changes\n\n- Uploaded avatars are now limited to 512 KB to protect the server.",
        "## Changes\n\n- Webhook payloads are now capped at 1 MB; larger ones are dropped.")) {
      assertFalse(holding(note).isEmpty(), note);
    }
    assertEquals(List.of(), holding("## Changes\n\n- The search page is limited to 20 results per page."));
  }

  @Test
  void testDefaultPolicyNarrowed_holds() {
    for (String note : List.of(
        "## Security\n\n- This release removes inline scripts from the default Content-Security-Policy.",
        "## Changes\n\nThis version sets default values for the LDAP group mapping for security reasons.")) {
      assertFalse(holding(note).isEmpty(), note);
    }
  }

  @Test
  void testDontForgetToActOnTheDeployment_holds() {
    assertFalse(holding("## Features\n\n- Add an index on comments (do not forget to run the migrations)").isEmpty());
    assertEquals(List.of(), holding("## Features\n\n- New dark theme (don't forget to tell your friends)"));
  }

  @Test
  void testItemOfARemovedSection_holds() {
    assertFalse(holding("## 3.1.0\n\n### Removed\n\n- Support for the Gotify notifier, its library is unmaintained.")
        .isEmpty());
  }

  @Test
  void testConditionalAdviceForSingleSignOn_holds() {
    // single sign-on is how users log into a Co-op Cloud deployment: the gate cannot tell it is not used
    for (String note : List.of(
        "If you use OIDC login, please make sure to review your OIDC configuration.",
        "## Upgrade\n\nIf you are using SAML sign-in, follow the upgrade manual to update the configuration.")) {
      assertFalse(holding(note).isEmpty(), note);
    }
    assertEquals(List.of(), holding("If you use the S3 storage, make sure to check your bucket policy."));
  }

  @Test
  void testStricterDefault_holdsEvenInAFeatureList() {
    assertFalse(holding("## Features\n\n- Webhooks : Make outgoing webhook calls validate certificates by default #12")
        .isEmpty());
    assertEquals(List.of(), holding("## Features\n\n- Add a dark theme, used by default on new accounts"));
  }

  @Test
  void testOldBehaviourNotPreserved_holds() {
    assertFalse(holding("Quota checks now count shared files. Setting `quota_mode` does not keep the old behaviour.")
        .isEmpty());
  }

  @Test
  void testWrappedLineEndingInAColon_continuesItsSentence() {
    // "your\nsqlite database:" is one sentence wrapped, not a sentence and then a title "sqlite database"
    List<NoteClassifier.Classified> held = holding("- Bug: fix the alias import.\n\n  If you imported already, simply"
        + " run this against your\n  sqlite database:\n\n      UPDATE alias SET x=0 WHERE x IS NULL;\n");
    assertFalse(held.isEmpty());
    assertTrue(held.get(0).text().contains("sqlite database"), held.toString());
  }

  @Test
  void testRuntimeVersionsTheImageShips_inEveryWording_doNotHold() {
    // Issue 14, round 6: the runtime rule of round 3 read "Node 20 is required", not the other ways notes say it
    assertEquals(List.of(), holding("Note: this version drops support for Node 18, which reached its end of life.\n"));
    assertEquals(List.of(), holding("Prerequisites: the minimum required Python version is 3.11.\n"));
    assertEquals(List.of(), holding("This release raises the minimum supported PHP versions to `8.2` and `8.3`.\n"));
    // a service of its own beside the runtime still holds
    assertFalse(holding("This version drops support for MariaDB 10.4 and Node 18.\n").isEmpty());
  }

  @Test
  void testConditionalAdviceWithAConsequence_holds() {
    // Issue 14, round 6: what goes wrong without the step makes conditional advice an obligation for that setup
    assertFalse(holding("If you run behind a load balancer, make sure it forwards the `Host` header, otherwise "
        + "uploads will fail.\n").isEmpty());
    assertEquals(List.of(), holding("If you run behind a load balancer, make sure it forwards the `Host` header.\n"));
  }

  @Test
  void testUpgradeBoilerplate_doesNotHold() {
    // Issue 14, round 6: a backup offered to whoever wants one, the upgrade itself as the only step, and "no other
    // breaking changes" are what every upgrade guide says, not a step on this deployment
    assertEquals(List.of(), holding("## Upgrading\n\nIf you would like a snapshot of the database before upgrading, "
        + "take a backup first.\n"));
    assertEquals(List.of(), holding("## How to upgrade\n\nUpgrade using the container installation.\n"));
    assertEquals(List.of(), holding("## Upgrade notes\n\nUpdate as soon as possible.\n"));
    assertEquals(List.of(), holding("## Changes\n\nNo further breaking changes, though several fields are now "
        + "optional.\n"));
    // a demanded backup, upgrading something else, and an upgrade path still hold
    assertFalse(holding("## Upgrading\n\nTake a full backup before upgrading.\n").isEmpty());
    assertFalse(holding("## Upgrading\n\nIf you would like to keep your data, you must back up the database first.\n")
        .isEmpty());
    assertFalse(holding("## Upgrade notes\n\nUpgrade your PostgreSQL server to 15.\n").isEmpty());
    assertFalse(holding("## Upgrade notes\n\nUpgrade to 3.2 first, then to 4.0.\n").isEmpty());
  }

  @Test
  void testBreakingChangesOfALaterReleaseOrOnlyPossible_doNotHold() {
    // Issue 14, round 7: breaking changes announced for a later release, only as a possibility, or of another release
    // are not a change this upgrade makes
    assertEquals(List.of(), holding("## Fixed\n\n- Warnings about old options are now hidden in production: they "
        + "only mean that something will break in a future version.\n"));
    assertEquals(List.of(), holding("## Notes\n\nThe next major release will bring some breaking changes to the "
        + "plugin system.\n"));
    assertEquals(List.of(), holding("## Notes\n\nThe importer rework could represent a breaking change for scripts "
        + "that parse its output.\n"));
    assertEquals(List.of(), holding("## 2.3.1\n\nThe notes of 2.3.0 introduced breaking changes.\n"));
    assertEquals(List.of(), holding("## Notes\n\nThis should not be a breaking change for anyone.\n"));
    // a breaking change of this release, said plainly or conditionally on a setup, still holds
    assertFalse(holding("## Notes\n\nThis release introduces a breaking change to the webhook payload.\n").isEmpty());
    assertFalse(holding("## Notes\n\nThis will break existing webhook consumers.\n").isEmpty());
    assertFalse(holding("## Notes\n\nThis might be a breaking change if you parse the log lines.\n").isEmpty());
    assertFalse(holding("## Notes\n\nThe endpoints were removed as they could not be fixed without breaking "
        + "changes.\n").isEmpty());
  }

  @Test
  void testChangelogTitleWithAReference_isNotAnInstruction() {
    // Issue 14, round 7: "Update `libfoo` #123" in a changelog list names a change the project made, not a step
    assertEquals(List.of(), holding("## 3.1.0\n\n- Update library `lib_yaml` #4410\n- Replace `lib_curlish` by "
        + "`http_kit` for feed retrieval #4420\n"));
    assertEquals(List.of(), holding("## Changed\n\n- Updated StatusController, add `reply_count` to the status "
        + "endpoint (a1b2c3d4)\n"));
    // without a reference, or in an upgrade section, it is still read as a step; a removed setting still holds
    assertFalse(holding("## 3.1.0\n\n- Update `MAIL_HOST` in your configuration.\n").isEmpty());
    assertFalse(holding("## Upgrade notes\n\n- Set `TRUSTED_PROXIES` to your proxy's address (#4411)\n").isEmpty());
    assertFalse(holding("## 3.1.0\n\n- Removed the `legacy_mode` setting #4412\n").isEmpty());
  }

  @Test
  void testRoadmapSection_doesNotHold() {
    // Issue 14, round 7: what the author plans for later releases is not a change of this one
    assertEquals(List.of(), holding("## Next Steps\n\nMy attention for the next cycle will be the permission "
        + "system, which needs to be reworked.\n"));
    assertEquals(List.of(), holding("## Roadmap\n\nThe search system is in need of some attention.\n"));
  }

  @Test
  void testWarningThatOnlyAnnouncesASecurityFix_doesNotHold() {
    // Issue 14, round 7: "IMPORTANT: this version updates X to fix CVE-…" asks for nothing but the upgrade itself
    assertEquals(List.of(), holding("## 4.2\n\nIMPORTANT: This version updates the bundled XMPP server to 1.2.3 to "
        + "fix CVE-2031-0001.\n"));
    assertEquals(List.of(), holding("## 4.2\n\nWarning: this release fixes a security vulnerability in the upload "
        + "handler.\n"));
    // a warning that asks for a step, or warns of something else, still holds
    assertFalse(holding("## 4.2\n\nIMPORTANT: to fix CVE-2031-0001 you must rotate the `JWT_SECRET`.\n").isEmpty());
    assertFalse(holding("## 4.2\n\nIMPORTANT: the upload handler now stores files in another volume.\n").isEmpty());
  }

  @Test
  void testRemovalOfSomethingNoLongerUsed_doesNotHold() {
    // Issue 14, round 7: "no longer used" says the same as "unused": nothing a deployment still relies on
    assertEquals(List.of(), holding("## 5.1\n\n- Remove the no longer used `cache_dir` config setting.\n"));
    assertEquals(List.of(), holding("## 5.1\n\n- Removed the `legacy_sessions` option, which is not needed any "
        + "more.\n"));
    assertFalse(holding("## 5.1\n\n- Removed the `legacy_sessions` option.\n").isEmpty());
  }

  @Test
  void testFixReportThatSaysWhatTheBugBroke_doesNotHold() {
    // Issue 14, round 7: "Fix that X could break existing sessions" tells what the bug did, not what the release does
    assertEquals(List.of(), holding("## Bugfixes\n\n- Fix that a slow disk can break existing uploads of large "
        + "files\n"));
    assertEquals(List.of(), holding("## Bugfixes\n\n- Prevent a race that breaks your open editor tabs\n"));
    // what the release itself breaks still holds, also as a fix
    assertFalse(holding("## Bugfixes\n\n- The upload fix breaks existing clients that send chunked requests\n")
        .isEmpty());
    assertFalse(holding("## Bugfixes\n\n- Fix upload handling; this is a breaking change for chunked clients\n")
        .isEmpty());
  }

  @Test
  void testFileNameExtension_doesNotNameAPlatform() {
    // Issue 14, round 8: `config.ini.php` is the product's settings file, not PHP the platform (gate.context)
    assertFalse(holding("## 4.1.1\n\n### Changed config.ini.php settings\n\n* The config settings "
        + "`login_password_recovery_email_address` and `login_password_recovery_name` have been removed.\n").isEmpty());
    assertFalse(holding("## 3.9.0\n\n### Breaking Changes\n* Logs will now be written to `tmp/logs/app.log`. The "
        + "path can be edited in your config/config.ini.php.\n").isEmpty());
    // a heading or an item about PHP itself still concerns only an unused platform
    assertEquals(List.of(), holding("## 4.1.1\n\n### PHP settings\n\n* The config setting `php_memory_limit` "
        + "has been removed.\n"));
  }

  @Test
  void testBreakingItemAboutInternalsOrTheImagesRuntime_doesNotHold() {
    // Issue 14, round 8: an item of a "Breaking changes" or "Removed" list that names, in its own words, code, a
    // dependency, a UI element or the runtime the container image ships breaks nothing a deployment configures
    assertEquals(List.of(), holding("## 5.2.0\n\n### Breaking Changes\n\n* The dependency `jQuery.dotdotdot` has "
        + "been removed.\n"));
    assertEquals(List.of(), holding("## 1.0.41\n\nBreaking changes:\n\n- Remove method getQrCodeUrl() from "
        + "PostAuthenticationProviderInterface\n"));
    assertEquals(List.of(), holding("## v4.5.0\n\n### Removed\n\n- Drop Node 18 (EOL) support (#5041 by @dev)\n"));
    // an item about something the operator configures still holds there, and so does one about nothing recognised
    assertFalse(holding("## 5.2.0\n\n### Breaking Changes\n\n* The `LEGACY_AUTH` setting has been removed.\n")
        .isEmpty());
    assertFalse(holding("## 5.2.0\n\n### Breaking Changes\n\n* Sessions are now stored per tenant.\n").isEmpty());
    // an explicit word of the item still holds
    assertFalse(holding("## 5.2.0\n\n### Breaking Changes\n\n* The dependency `foo` has been removed. You must "
        + "install it yourself.\n").isEmpty());
  }

  @Test
  void testTitleThatOnlyNamesItsSection_isNotASentence() {
    // Issue 14, round 8: "Breaking changes:" over a list names the section its items are read in; it says nothing
    // itself (an item about the runtime the image ships does not hold, so nothing does)
    assertEquals(List.of(), holding("Version 1.2.0\n-------------\n\nBreaking changes:\n\n* The app supports only PHP "
        + ">= 5.6 (PHP 5.3, 5.4 and 5.5 are not supported anymore)\n\nNew features:\n\n* Sessions are stored in the "
        + "database\n"));
    // a title that says something itself still does
    assertFalse(holding("## 2.0\n\nPlugins you need to update by hand:\n\n* calendar\n").isEmpty());
  }

  @Test
  void testCategoryBulletUnderATitle_nestsInItsSection() {
    // Issue 14, round 8: "* API procedures:" under "Breaking changes:" is a group of that section, not a new one
    String note = "Version 1.0.26\n--------------\n\nBreaking changes:\n\n* API procedures:\n    - \"moveColumnUp\" is "
        + "replaced by \"changeColumnPosition\"\n\nNew features:\n\n* Add drag and drop\n";
    assertEquals(NoteClassifier.SentenceClass.BREAKING_SECTION, classOf(note, "\"moveColumnUp\""));
    assertEquals(NoteClassifier.SentenceClass.ROUTINE, classOf(note, "Add drag"));
  }

  @Test
  void testAdviceForCustomisationsInTheConditional_doesNotHold() {
    // Issue 14, round 8: "when performing customizations, you'd need to …" is a customised setup's case, and "you'd
    // need to" is what one would do, not an obligation (like "may need to")
    assertEquals(List.of(), holding("## v22.06\n\nIt's quite common that, when performing customizations, you'd need "
        + "to add custom code at the start and end of the page.\n"));
    assertFalse(holding("## v22.06\n\nWhen performing customizations you must add the new `head` block.\n")
        .isEmpty());
    assertFalse(holding("## v22.06\n\nYou need to add the new `APP_KEY` setting.\n").isEmpty());
  }

  @Test
  void testALimitThatWillNowApply_holdsAsANewFeaturesSetting() {
    // Issue 14, round 8: a new setting listed as a feature that narrows what was accepted reaches existing setups
    assertFalse(holding("## 4.2.0\n\n### New config.ini.php settings\n\n* A config setting `download_from_trusted_hosts`"
        + " was introduced. Downloading GeoIP databases will now be limited to those configured hosts only.\n").isEmpty());
  }

  @Test
  void testBoldTitleWithAnEmoji_isATitle() {
    // Issue 14, round 8: "**Security:** ⚠️" heads a list of security fixes; the sign decorates the title
    String note = "## v2.7.0\n\n**Security:** ⚠️\n\n* Fixes issue with access tokens getting deleted (#838)\n";
    assertEquals(List.of(), holding(note));
    assertEquals(1, DEFAULT.classify(note).sentences().size(), "the title is no sentence of its own");
    assertTrue(DEFAULT.classify(note).sentences().get(0).heading().contains("Security"));
    // a warning sign on a sentence still holds
    assertFalse(holding("## v2.7.0\n\n⚠️ The `auth-file` is now read at start only.\n").isEmpty());
  }

  @Test
  void testARemovalOfWhatTheDeploymentUses_holdsUnderRefactorOrDeprecationsToo() {
    // Issue 14, round 9: first contacts filed the removal of an integration or a configured thing under "Refactor",
    // "Refactors" or "Deprecations"; done now, on an operator object, it breaks a deployment that used it
    assertFalse(holding("## 3.0\n\n### Refactor\n\n* Remove meilisearch support (abc1234)\n").isEmpty());
    assertFalse(holding("## 3.0\n\n### Deprecations\n\n* Removed the deprecated `legacy_ldap` provider\n").isEmpty());
    // code, tests and what is only announced stay informational there
    assertEquals(List.of(), holding("## 3.0\n\n### Refactor\n\n* Remove environment variable requirements for go test\n"));
    assertEquals(List.of(), holding("## 3.0\n\n### Deprecations\n\n* The `legacy_ldap` provider will be removed in 4.0\n"));
    assertEquals(List.of(), holding("## 3.0\n\n### Refactor\n\n* Removed the `render()` helper from the API module\n"));
  }

  @Test
  void testSomethingExistingSwitchedOffByDefault_holdsWithoutTheWordNow() {
    // Issue 14, round 11: a plain entry saying an existing service, interface or protocol is disabled by default is a
    // default changed under existing setups, not an opt-in; a new thing "added, disabled by default" stays opt-in
    assertFalse(holding("## 4.1.0\n\n### Changelist\n\n- Admin socket interface is disabled by default (#1830)\n")
        .isEmpty());
    assertFalse(holding("## 2.3.0\n\n1. TLS 1.0 and 1.1 disabled by default client-side.\n").isEmpty());
    assertEquals(List.of(), holding("## 4.1.0\n\n- Add rate limiting of uploads (disabled by default)\n"));
    assertEquals(List.of(), holding("## 4.1.0\n\n- A new `queue` option was added and is disabled by default.\n"));
    assertEquals(List.of(), holding("## 4.1.0\n\n- Allow retries on HTTP 429 for remote writes. Disabled by default.\n"));
    assertEquals(List.of(), holding("## 4.1.0\n\n* Operators can assign labels. This is disabled by default.\n"));
  }

  @Test
  void testARefusalByDefault_holdsWhateverTheLengthOfWhatItRefuses() {
    // Issue 14, round 11: the stricter default reads its object up to 80 characters ("Deny … peers by default")
    assertFalse(holding("## 4.2\n\n- Deny link-local / unique-local / site-local relay peers by default (#19)\n")
        .isEmpty());
    assertFalse(holding("## 4.2\n\n- Forbid plain-text logins over unencrypted connections by default\n").isEmpty());
  }

  @Test
  void testAConfigurationRefusedAtStartup_holdsAsAListEntry() {
    // Issue 14, round 11: a start refused on what was accepted, said as a changelog entry of any section but fixes
    assertFalse(holding("## 0.19.0\n\n* [CHANGE] Reject invalid external URLs at startup. #1960\n").isEmpty());
    assertFalse(holding("## 4.11\n\n### Changelist\n\n- Abort on malformed peer lists at startup (#1872)\n")
        .isEmpty());
    assertEquals(List.of(), holding("## 0.9.7\n\n* Migrations are detected more reliably to prevent unexpected errors"
        + " at startup\n"));
  }

  @Test
  void testARemovedDeprecatedFlagBehindAnIssueNumber_holdsUnderRemoved() {
    // Issue 14, round 11: "#123 Remove deprecated `--flag` flag." under "Removed" is done now, not a deprecation
    assertFalse(holding("## v0.33.0\n\n### Removed\n\n- #6686 Remove deprecated `--legacy.mode` flag.\n")
        .isEmpty());
    assertEquals(List.of(), holding("## v0.33.0\n\n### Changed\n\n- #6686 Deprecate the `--log.format` flag.\n"));
    // outside a "Removed" list, "Remove deprecated X" keeps the deprecation's reading (a Go field, a library option)
    assertEquals(List.of(), holding("## 2.0.49\n\n* Remove deprecated `PreferFastCiphers` TLS option\n"));
  }

  @Test
  void testAdviceWhoseOneStepIsTheUpgrade_doesNotHold() {
    // Issue 14, round 11 (F-SEC): "make sure to upgrade as soon as possible" asks for the upgrade the gate decides on
    assertEquals(List.of(), holding("## 4.0.2\n\n### Security issues\n\nThis release fixes several security issues."
        + " Please make sure to upgrade as soon as possible.\n"));
    assertEquals(List.of(), holding("## 4.0.2\n\nYou should update to the latest version.\n"));
    // advice with a step of its own still holds
    assertFalse(holding("## 4.0.2\n\n### Security issues\n\nPlease make sure to update your proxy configuration.\n")
        .isEmpty());
    assertFalse(holding("## 4.0.2\n\nMake sure to upgrade your PostgreSQL to 15 first.\n").isEmpty());
  }

  @Test
  void testAStepWordNamedByAFixOrAsAFunction_doesNotHold() {
    // Issue 14, round 12 (F-FIX, F-CL): "chown" is a step when the note asks for it, not when a fix names the issue
    // it had or a code change names the system call
    assertEquals(List.of(), holding("## 2.3.8\n\n- Changed cache flushing to now use chmod() instead of chown().\n"));
    assertEquals(List.of(), holding("## 1.31.0\n\n### Bug fixes\n\n* Fix `chown` issues with RHEL-like systems (#566)\n"));
    // asked of the operator, it still holds
    assertFalse(holding("## 4.3.0\n\nPlease chown the data directory to uid 1000.\n").isEmpty());
    assertFalse(holding("## 4.3.0\n\n    chown -R root:app /etc/app\n\nIt is recommended to recursively `chown`"
        + " directories used by the server.\n").isEmpty());
  }

  @Test
  void testAnIncompatibilityOnlyPossibleInTheFuture_doesNotHold() {
    // Issue 14, round 12 (F-LATER): "may have backwards-incompatible changes in the future" is no change of this one
    assertEquals(List.of(), holding("## 2.15.0\n\nThis feature is still considered experimental; its configuration"
        + " may have backwards-incompatible changes in the future.\n"));
    assertEquals(List.of(), holding("## 2.15.0\n\nThe next major release might bring incompatible changes to the"
        + " storage plugins.\n"));
    // an incompatibility of this release still holds
    assertFalse(holding("## 2.15.0\n\nThis release has backwards-incompatible changes to the configuration.\n")
        .isEmpty());
    assertFalse(holding("## 2.15.0\n\nThe new format is incompatible with previous versions.\n").isEmpty());
  }

  @Test
  void testHedgedAdviceForAnotherInstallMethod_doesNotHold() {
    // Issue 14, round 12 (F-UNUSED): advice that "may / might" be needed, given only to an install method the
    // deployment does not use (a source build, a packager's build, binary packages), is not the operator's step
    assertEquals(List.of(), holding("## 2.18.0\n\nConversely, if you were already building from source, you may need"
        + " to adjust your build commands in order to maintain parity.\n"));
    assertEquals(List.of(), holding("## 4.4.0\n\nPackagers: the server build now emits to the dist/ folder. You might"
        + " need to adapt your build scripts.\n"));
    assertEquals(List.of(), holding("## 4.0.0\n\n### Breaking changes\n\n#### Source installations\n\n"
        + "* Elixir 15 is now required\n\n#### Release (binary package) installations\n\n"
        + "* The latest-package URL now links to the package built against Debian Bookworm.\n"));
    // an obligation to such a setup is said in so many words and still holds; so does a step for the image
    assertFalse(holding("## 2.18.0\n\nIf you build from source, you must run `make assets` before starting.\n")
        .isEmpty());
    assertFalse(holding("## 2.18.0\n\nYou may need to adjust your `APP_URL` setting.\n").isEmpty());
  }

  @Test
  void testNoChangesToTheFormats_isNoMigration() {
    // Issue 14, round 12: a release introduction that denies any change to the configuration or database format
    assertEquals(List.of(), holding("## 2.13.1\n\nThis release includes no changes to the config file format or"
        + " database format.\n"));
    assertEquals(List.of(), holding("## 2.3.0\n\nThis release includes no changes to the config file format or"
        + " database changes.\n"));
    assertFalse(holding("## 2.13.1\n\nThis release changes the database format.\n").isEmpty());
  }

  @Test
  void testAFailureSaidInThePast_isTheBugTheReleaseFixed() {
    // Issue 14, round 12 (F-FIX): a NEWS entry in the past tense says what the bug did, not what the release does
    assertEquals(List.of(), holding("## 2.3.17\n\n- master: The server failed to start if ssl_ca was too large.\n"));
    assertEquals(List.of(), holding("## 2.3.16\n\n- Event filters: Unquoted '?' wildcard caused a crash at"
        + " startup\n"));
    assertEquals(List.of(), holding("## 2.3.6\n\n- fts_solr: Plugin was no longer compatible with Solr 7.\n"));
    assertEquals(List.of(), holding("## 2.3.17.1\n\n- dsync: Add back accidentally removed parameters.\n"));
    // the release's own failure, said now or for the future, still holds
    assertFalse(holding("## 3.0\n\n- The server will fail to start if `ssl_ca` is unset.\n").isEmpty());
    assertFalse(holding("## 3.0\n\n- The plugin is no longer compatible with Solr 7.\n").isEmpty());
  }

  @Test
  void testAReplacementWhoseOldFormStillWorks_doesNotHold() {
    // Issue 14, round 12 (F-LATER): "X maintains backwards compatibility with the old format" in the same paragraph
    // says what "keeps backwards compatibility" says: the replaced form still works
    assertEquals(List.of(), holding("## 1.2.0\n\nThis release includes a change to the config file format: the old"
        + " `server.listen` format has been replaced by a new `server.listeners` format. For now, the server maintains"
        + " backwards compatibility with the old format.\n"));
    // denied, it does not release the replacement
    assertFalse(holding("## 1.2.0\n\nThe old `server.listen` format has been replaced by a new `server.listeners`"
        + " format. We don't maintain backwards compatibility with the old format.\n").isEmpty());
  }

  @Test
  void testBeSureToRunAStep_holds() {
    // Issue 14, round 12 (M-STEP): "be sure to run / execute / apply …" asks for a step as "make sure to" does
    assertFalse(holding("## 0.5.0\n\nThis release also updates the database, so be sure to run the `app upgradedb`"
        + " command.\n").isEmpty());
    assertFalse(holding("## 1.0.2\n\n**This release adds new migrations, be sure to run them before restarting the"
        + " server**\n").isEmpty());
    // a code change's title, or advice about what users made, is no step on the deployment
    assertEquals(List.of(), holding("## 4.9.13\n\n- lmdb: be sure to abort pending transactions in the correct"
        + " order.\n"));
    assertEquals(List.of(), holding("## 9.0.1\n\nPlease be sure to check your dashboards for hardcoded links.\n"));
  }

  @Test
  void testARenamedSettingOrAStartPrevented_holdsAsAListEntry() {
    // Issue 14, round 13 (M-REN, M-REQ): a replaced configured name, a renamed thing named by its old and new names,
    // and a start refused "now", said as plain changelog entries
    assertFalse(holding("## 0.16.3\n\n### Changed\n\n- Replaced `APP_HTTPS_PORT` with `APP_PUBLIC_URL`.\n").isEmpty());
    assertFalse(holding("## 3.7.1\n\n* Change: replace server/listen_addr by the `bind` option\n").isEmpty());
    assertFalse(holding("## 19.09\n\n### Admin\n\n- Rename room command arguments from Host to Service (#12)\n")
        .isEmpty());
    assertFalse(holding("## 0.6.2\n\n### Changed\n\n- A missing signing secret now prevents startup.\n").isEmpty());
    // a fixed bug that prevented the start, and a tool replaced, do not hold
    assertEquals(List.of(), holding("## 4.0.1\n\n- Fixes the configuration that prevented the image to launch\n"));
    assertEquals(List.of(), holding("## 1.2.0\n\n### Changed\n\n- Replace `goimports` with `gci`\n"));
  }

  @Test
  void testLinkReferenceDefinitions_areNoSentences() {
    // Issue 14, round 13 (F-OTHER): "[#12]: https://…" lines render as nothing; under "Removed" they held as items
    List<NoteClassifier.Classified> held = holding("## 1.0.6\n\n### Removed\n\n- Go 1.16 support.\n\n"
        + "[#3717]: https://example.org/issues/3717\n[#4437]: https://example.org/issues/4437\n\n"
        + "[CVE-2022-24675]: https://example.org/cve/CVE-2022-24675\n[ms-v1.0.6]:    https://example.org/milestone/42?closed=1\n");
    assertEquals(List.of("Go 1.16 support."), held.stream().map(NoteClassifier.Classified::text).toList());
    // a line that only looks like one says something, and is read
    assertFalse(holding("## 1.0.6\n\n### Removed\n\n[legacy]: the `legacy_auth` option is gone\n").isEmpty());
  }

  @Test
  void testTrafficRefusedNowInAFixEntry_holds() {
    // Issue 14, round 13 (M-DEF): a fix entry whose next sentence says existing traffic is now refused
    assertFalse(holding("## 2.0.12\n\n# Security\n- Fix `max_keepalive` not applying to old protocol versions.\n"
        + "  These clients are now rejected if their keepalive value exceeds max_keepalive.\n").isEmpty());
    assertEquals(List.of(), holding("## 0.16.15\n\n### Fixed\n\n- Requests are rejected with `notRequest` when a"
        + " method name contains a slash.\n"));
  }

  @Test
  void testAStepNowNeededExplicitly_isNotOutweighedByItsPurpose() {
    // Issue 14, round 13 (M-DEF, a veto that released a HOLD): "To use X, you now need to explicitly enable it" says
    // that what worked before needs a step now; the purpose "to use" does not make it opt-in
    assertFalse(holding("## 0.13.7\n\n### Fixes\n\n- Note: To use relays, you now need to explicitly enable them"
        + " using the `relay.enabled` config\n").isEmpty());
    // a new feature's step stays opt-in
    assertEquals(List.of(), holding("## 0.13.7\n\n### Features\n\n- To use the new relays, you need to enable them"
        + " using the `relay.enabled` config\n"));
    assertEquals(List.of(), holding("## 0.13.7\n\n- It is now possible to explicitly configure which ports use the"
        + " proxy protocol.\n"));
  }

  @Test
  void testTheFirstUpdateAsANoun_isNoUpgradePath() {
    // Issue 14, round 13 (F-CL): "after the first update to direct people …" names an event, not "first update to X"
    assertEquals(List.of(), holding("## 2.0.2\n\n- Display a message on startup after the first update to direct"
        + " people towards the 2.0 release notes.\n"));
    // the upgrade path still holds
    assertFalse(holding("## 2.0.2\n\nYou must first update to 2.0 before upgrading to 2.1.\n").isEmpty());
    assertFalse(holding("## 2.0.2\n\nPlease first upgrade to 1.4.\n").isEmpty());
  }

  static List<NoteClassifier.Classified> holdingFrom(String note, String from) {
    return DEFAULT.classify(note, from == null ? null : RecipeVersion.parse(from)).holding();
  }

  @Test
  void testABreakingChangeConditionedOnTheVersionUpgradedFrom_holdsOnlyFromThere() {
    String stalwart = "If you are upgrading from v0.11.x or v0.12.x, this version includes **breaking changes** to the "
        + "message queue and MTA configuration. Please read the UPGRADING.md file for more information on how to "
        + "upgrade from previous versions.";
    assertFalse(holdingFrom(stalwart, "3.0.0+0.12.5").isEmpty(), "from inside the condition");
    assertFalse(holdingFrom(stalwart, "3.0.0+v0.11.2").isEmpty(), "a leading v on either side");
    assertFalse(holdingFrom(stalwart, null).isEmpty(), "from unknown: fail-safe");
    assertFalse(holdingFrom(stalwart, "3.0.0").isEmpty(), "no upstream part: unknown");
    assertEquals(List.of(), holdingFrom(stalwart, "3.0.0+0.13.2"), "from outside: the whole paragraph");
    NoteClassifier.Classified c = DEFAULT.classify(stalwart, RecipeVersion.parse("3.0.0+0.13.2")).sentences().get(0);
    assertEquals(NoteClassifier.SentenceClass.CONDITIONAL, c.cls());
    assertTrue(c.why().startsWith("applies only when upgrading from v0.11.x or v0.12.x, and this upgrade starts at"),
        c.why());
    // the recipe part is a reading too: a condition it falls in keeps the hold
    assertFalse(holdingFrom(stalwart, "0.12.0+0.13.2").isEmpty());

    String below = "If you are upgrading from v0.14.x and below, this version includes **multiple breaking changes**.";
    assertFalse(holdingFrom(below, "3.0.0+0.14.3").isEmpty());
    assertFalse(holdingFrom(below, "3.0.0+0.9.1").isEmpty());
    assertEquals(List.of(), holdingFrom(below, "3.0.0+0.15.2"));
    String older = "If you are upgrading from a version older than `5.4.0` you must run the migration script.";
    assertFalse(holdingFrom(older, "3.0.0+5.3.9").isEmpty());
    assertEquals(List.of(), holdingFrom(older, "6.0.0+5.4.0"));
    assertFalse(holdingFrom(older, "3.0.0+5.4.0").isEmpty(), "the recipe part 3.0.0 is older than 5.4.0");
  }

  @Test
  void testAConditionTheGrammarDoesNotCoverEntirely_keepsTheHold() {
    for (String note : List.of(
        "If you are upgrading from 1.2 to 1.4, this version includes breaking changes.",
        "If you are upgrading from 1.2 or from 1.3, this version includes breaking changes.",
        "If you are upgrading from an old release, this version includes breaking changes.",
        "This version includes breaking changes if you are upgrading from 1.2.")) {
      assertFalse(holdingFrom(note, "3.0.0+9.9.9").isEmpty(), note);
    }
    // a condition in one item does not reach the next
    assertFalse(holdingFrom("- If you are upgrading from 1.2, this version includes breaking changes.\n"
        + "- The `LEGACY_AUTH` option has been removed.\n", "3.0.0+9.9.9").isEmpty());
    // an operator's marker always holds
    NoteClassifier marked = new NoteClassifier(DeploymentContext.defaults(), List.of("breaking changes"));
    assertFalse(marked.classify("If you are upgrading from 1.2, this version includes breaking changes.",
        RecipeVersion.parse("3.0.0+9.9.9")).holding().isEmpty());
  }
}
