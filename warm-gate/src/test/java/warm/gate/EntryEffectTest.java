package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule of the effect × object × tense reading, on sentences written for this test (not from the corpus). */
class EntryEffectTest {
  private static void reads(String sentence, EntryEffect.Effect effect, EntryEffect.Target target,
      EntryEffect.Tense tense) {
    EntryEffect.Reading r = EntryEffect.read(sentence);
    assertEquals(effect, r.effect(), sentence + " -> " + r.describe());
    assertEquals(target, r.target(), sentence + " -> " + r.describe());
    assertEquals(tense, r.tense(), sentence + " -> " + r.describe());
  }

  @Test
  void testEffects() {
    Map.of(
        "Removed the `--plain-http` flag", EntryEffect.Effect.REMOVAL,
        "Uploads above the `upload_limit` setting are now refused", EntryEffect.Effect.REFUSAL,
        "The daemon refuses to start without a `ROOT_URL`", EntryEffect.Effect.START_FAILURE,
        "The `session.ttl` option now defaults to 1h", EntryEffect.Effect.DEFAULT_CHANGE,
        "The `MAIL_FROM` variable is now mandatory", EntryEffect.Effect.REQUIREMENT,
        "The `db.pool` setting was renamed to `db.pool_size`", EntryEffect.Effect.RENAME,
        "The storage format changed and older versions cannot read it", EntryEffect.Effect.DATA_CHANGE,
        "Added the `--verbose` flag", EntryEffect.Effect.BENIGN,
        "Better colours in the dark theme", EntryEffect.Effect.NONE)
        .forEach((sentence, effect) -> assertEquals(effect, EntryEffect.read(sentence).effect(), sentence));
  }

  @Test
  void testTheObjectIsReadWhereTheVerbsObjectStands() {
    reads("Dropped support for PostgreSQL 11", EntryEffect.Effect.REMOVAL, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("The `LISTEN_ADDR` environment variable is no longer read", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("Removed the unused `render()` helper", EntryEffect.Effect.REMOVAL, EntryEffect.Target.INTERNAL,
        EntryEffect.Tense.NOW);
    // a generic noun counts only when something names it: the options of a form are not configuration
    reads("Removed the selected options from the filter menu", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.UNKNOWN, EntryEffect.Tense.NOW);
    reads("Removed the `sort` option from the filter menu", EntryEffect.Effect.REMOVAL, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("Dropped support for Node 16", EntryEffect.Effect.REMOVAL, EntryEffect.Target.RUNTIME,
        EntryEffect.Tense.NOW);
    // an internal word inside a configured name is part of the name: a key, not the code's classes
    reads("The `ingress.class` value has been removed.", EntryEffect.Effect.REMOVAL, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("The ingress.class value has been removed.", EntryEffect.Effect.REMOVAL, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    // without a configuration noun a file's own kind stays what it is
    reads("Renamed `main.css` to `site.css`", EntryEffect.Effect.RENAME, EntryEffect.Target.INTERNAL,
        EntryEffect.Tense.NOW);
  }

  @Test
  void testTense() {
    reads("The `--old-api` flag will be removed in a future version", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.LATER);
    reads("The `OLD_DSN` variable, deprecated in 2.1, has been removed", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("No endpoint was removed from the `/api/v2` API", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NEGATED);
    reads("The config file format changed; old files are converted automatically", EntryEffect.Effect.DATA_CHANGE,
        EntryEffect.Target.UNKNOWN, EntryEffect.Tense.NEGATED);
  }

  @Test
  void testAFixReportsWhatTheBugDid_andAScenIsNotTheEffect() {
    EntryEffect.Reading fix = EntryEffect.read("Fix `cache_dir` setting being removed on restart");
    assertEquals(EntryEffect.Effect.BENIGN, fix.effect(), fix.describe());
    assertTrue(fix.reportsFix());
    EntryEffect.Reading scene = EntryEffect.read("Show a notice when a user is deleted");
    assertFalse(scene.effect().breaking(), scene.describe());
    EntryEffect.Reading relaxed = EntryEffect.read("The `SMTP_PORT` variable is no longer required");
    assertEquals(EntryEffect.Effect.BENIGN, relaxed.effect(), relaxed.describe());
  }

  @Test
  void testBreaks_onlyANowEffectOnSomethingAnOperatorRelyOn() {
    assertTrue(EntryEffect.read("Removed the `--plain-http` flag").breaks(true));
    assertFalse(EntryEffect.read("Removed the unused `render()` helper").breaks(true));
    assertFalse(EntryEffect.read("The `--old-api` flag will be removed in a future version").breaks(true));
    assertTrue(EntryEffect.read("The service will fail to start on an empty disk").breaks(true),
        "a start failure needs no named object");
    // a runtime the container image ships: only a deployment built from source must act
    assertFalse(EntryEffect.read("Dropped support for Node 16").breaks(true));
    assertTrue(EntryEffect.read("Dropped support for Node 16").breaks(false));
  }

  @Test
  void testDescribe_namesEffectObjectAndTense() {
    assertEquals("removal 'Removed' on operator 'flag', now", EntryEffect.read("Removed the `--plain-http` flag")
        .describe());
    assertEquals("no effect", EntryEffect.read("Better colours in the dark theme").describe());
  }

  @Test
  void testADefaultChangedWithoutTheWordDefault() {
    // Issue 14, round 6: a setting's value changed, said tersely
    reads("Adjust `worker_timeout` from 30s to 10s", EntryEffect.Effect.DEFAULT_CHANGE, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("Changed the `CACHE_TTL` setting to `0`", EntryEffect.Effect.DEFAULT_CHANGE, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("The `SESSION_STORE` variable is now `redis`", EntryEffect.Effect.DEFAULT_CHANGE,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    assertTrue(EntryEffect.read("Lowered `max_body_size` from 50 MB to 10 MB").breaks(true));
    // a new behaviour is not a value, and a thing nobody configures is not a setting
    assertFalse(EntryEffect.read("Change the `/api/items` endpoint to always return a list").effect().breaking());
    assertFalse(EntryEffect.read("Changed the sidebar colour from grey to blue").breaks(true));
  }

  @Test
  void testARequirementWithItsObjectAfterTheVerb() {
    reads("This release now requires MariaDB 10.6 or newer", EntryEffect.Effect.REQUIREMENT,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("Requires at least PostgreSQL 15", EntryEffect.Effect.REQUIREMENT, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("You will need a `MAIL_FROM` address in the environment", EntryEffect.Effect.REQUIREMENT,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("The `storage.root` path has to be set explicitly", EntryEffect.Effect.REQUIREMENT,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("Bump the minimum supported Redis version to 7.2", EntryEffect.Effect.REQUIREMENT,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // what the image brings: a runtime, a build tool, the version of the embedded SQLite
    assertFalse(EntryEffect.read("Bump the minimum supported Node.js version to 22").breaks(true));
    assertFalse(EntryEffect.read("The minimum supported version of Ruby is now 3.3").breaks(true));
    assertFalse(EntryEffect.read("The server now requires an SQLite version of 3.40 or later").breaks(true));
    assertTrue(EntryEffect.read("SQLite is no longer supported as a database").breaks(true),
        "dropping SQLite as a database reaches every deployment on it");
    assertFalse(EntryEffect.read("You no longer need a `MAIL_FROM` address").effect().breaking());
  }

  @Test
  void testALimitAnnouncedInTheFuture_isARefusalNow() {
    // Issue 14, round 8: "will now be limited to" is this release's new limit, like "are now limited to"
    reads("Downloading GeoIP databases will now be limited to the configured hosts only", EntryEffect.Effect.REFUSAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    assertFalse(EntryEffect.read("Downloads will be limited to 10 per hour in a future version").effect().breaking());
  }

  @Test
  void testAFieldNoLongerReturned_isARemovalOnWhatClientsRead() {
    // Issue 14, round 8: an attribute or field named by a code span is a thing clients and configs rely on, and
    // "no longer returned / exposed" takes it away like "no longer sent"
    reads("`create` attribute is no longer returned in API for pastes", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("Removed the `site` field", EntryEffect.Effect.REMOVAL, EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    assertFalse(EntryEffect.read("Search results are no longer returned twice").breaks(true));
  }

  @Test
  void testAnIntegrationRemovedInAnyVerbForm_isARemovalOfWhatTheDeploymentUses() {
    // Issue 14, round 9: first contacts removed integrations in a gerund or as "X support" (the noun before it)
    reads("Removing Foo Chat integration, the service shut down", EntryEffect.Effect.REMOVAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("Remove elasticsearch support (a1b2c3d)", EntryEffect.Effect.REMOVAL, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    // what the image ships and what nobody configures stay as they were
    assertFalse(EntryEffect.read("Remove Node 16 support").breaks(true));
    assertFalse(EntryEffect.read("Remove unused search support").breaks(true));
    assertFalse(EntryEffect.read("Dropping the legacy test helpers").breaks(true));
    // support narrowed to one setup ("for Apache") is not the integration itself
    assertFalse(EntryEffect.read("Remove HTTP/2 push support for Apache").breaks(true));
  }

  @Test
  void testADefaultChangedInTheImperative_readsTheSettingAfterIt() {
    // Issue 14, round 9: a terse entry behind an issue number changes a setting's value, named after a preposition
    reads("#123 - Change the default value for `REQUIRE_LOGIN` to True", EntryEffect.Effect.DEFAULT_CHANGE,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // what the software sends by default, with no value set, is not a setting changed
    assertFalse(EntryEffect.read("Change default `Accept-Language` header when fetching pages").breaks(true));
    assertFalse(EntryEffect.read("Change the default sidebar colour to blue").breaks(true));
  }

  @Test
  void testAConfigurationRefusedAtStartup_isAStartFailure() {
    // Issue 14, round 11: an entry whose own verb refuses or aborts "at startup" stops a deployment whose
    // configuration was accepted before, whatever it names
    reads("Abort on malformed peer lists at startup (#12)", EntryEffect.Effect.START_FAILURE,
        EntryEffect.Target.UNKNOWN, EntryEffect.Tense.NOW);
    reads("[CHANGE] Reject invalid listen addresses at startup. #34", EntryEffect.Effect.START_FAILURE,
        EntryEffect.Target.UNKNOWN, EntryEffect.Tense.NOW);
    // a report of errors seen at startup, or a fix of them, is no refusal by the release
    assertFalse(EntryEffect.read("The server throws an error on startup when the cache is empty").breaks(true));
    assertFalse(EntryEffect.read("Prevent unexpected errors at startup").breaks(true));
    assertFalse(EntryEffect.read("Abort synchronization from the directory source if there is some error").breaks(true));
  }

  @Test
  void testAFlagRenamedBetweenDottedNames_isAChangeOfTheCommandLine() {
    // Issue 14, round 11: "changed from A to B" where A and B are dotted names (flags, keys), not versions
    reads("NOTE: A command line arg has been changed from `--listen.addr` to `--listen.address`.",
        EntryEffect.Effect.DEFAULT_CHANGE, EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // a version number is no name: "from 1.20 to 1.21" stays what it was
    assertNotEquals(EntryEffect.Effect.DEFAULT_CHANGE,
        EntryEffect.read("The bundled runtime has been changed from 1.20 to 1.21").effect());
  }

  @Test
  void testADefaultValueChangedBehindAnIssueNumber_readsTheSettingAndTheValue() {
    // Issue 14, round 11: "#123 Component: Change default X version to v2", and "changed `x` default value to `y`"
    reads("#7123 Rule: Change default notifier API version to v2.", EntryEffect.Effect.DEFAULT_CHANGE,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("As part of this fix we changed `client_id_check` default value to `db`", EntryEffect.Effect.DEFAULT_CHANGE,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // an issue number does not make a fix report a change: it is still read from its own verb
    assertFalse(EntryEffect.read("#7083 Store: Fix postings with 0 length failed to be cached.").breaks(true));
    // a default the software sends, with no value, is still not a setting changed (round 9)
    assertFalse(EntryEffect.read("#12 Change default `Accept` header when fetching feeds").breaks(true));
  }

  @Test
  void testAFailureInThePastTense_isTheBugNotTheRelease() {
    // Issue 14, round 12 (F-FIX): "X failed to start if …", "Y caused a crash at startup" report what a fixed bug did
    assertFalse(EntryEffect.read("master: The server failed to start if ssl_ca was too large.").breaks(true));
    assertFalse(EntryEffect.read("Event filters: Unquoted '?' wildcard caused a crash at startup").breaks(true));
    // putting back what a regression removed is a fix
    assertTrue(EntryEffect.read("dsync: Add back accidentally removed parameters.").reportsFix());
    // the release's own start failure, now or announced, is still read
    assertTrue(EntryEffect.read("The server will fail to start if `ssl_ca` is unset.").breaks(true));
    assertTrue(EntryEffect.read("The server fails to start without `secret_key`.").breaks(true));
  }

  @Test
  void testAConfiguredNameReplacedByAnother_isARename() {
    // Issue 14, round 13 (M-REN): "Replace(d) X with / by Y", where X is a name an operator sets (an environment
    // variable, a key, a section/key path) and Y names a setting too, retires the old name as a rename does
    reads("Replaced `APP_HTTPS_PORT` with `APP_PUBLIC_URL`.", EntryEffect.Effect.RENAME, EntryEffect.Target.OPERATOR,
        EntryEffect.Tense.NOW);
    reads("Change: replace server/listen_addr by the `bind` option", EntryEffect.Effect.RENAME,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // a tool, a library or code replaced is no setting: not read as a rename of one
    assertFalse(EntryEffect.read("Replace `goimports` with `gci`").breaks(true));
    assertFalse(EntryEffect.read("Replace `lib_xmlparse` by [`acme/XPath`](https://example.org/xpath)").breaks(true));
    assertFalse(EntryEffect.read("Replace unique `stream_ids` waiting loops with a standard `wait_for_token()`")
        .breaks(true));
    assertFalse(EntryEffect.read("Replace the spinner with a progress bar").breaks(true));
  }

  @Test
  void testARenameWhoseNamesArePaired_readsTheRenamedThing() {
    // Issue 14, round 13 (M-REN): "Rename X arguments from A to B": the pair names what a generic noun is;
    // "Change the X config names": the names of a configured thing
    reads("Rename room command arguments from Host to Service (#12)", EntryEffect.Effect.RENAME,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("[CHANGE] Change Slack and Webex api config names (#1087)", EntryEffect.Effect.RENAME,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // what is renamed must still be configured: a branch, a function, a UI label is not
    assertFalse(EntryEffect.read("Renamed default branch from `master` to `main`").breaks(true));
    assertFalse(EntryEffect.read("Change function name").breaks(true));
    assertFalse(EntryEffect.read("Change name of the Direct visibility in web UI").breaks(true));
  }

  @Test
  void testAStartPreventedNow_isAStartFailure() {
    // Issue 14, round 13 (M-REQ): "X now prevents startup" / "will prevent the server from starting"
    reads("A missing signing secret now prevents startup.", EntryEffect.Effect.START_FAILURE,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("An unknown entry in the cluster file will prevent the server from starting.",
        EntryEffect.Effect.START_FAILURE, EntryEffect.Target.UNKNOWN, EntryEffect.Tense.NOW);
    // relaxed, possible, or the fixed bug's: no start failure of this release
    assertFalse(EntryEffect.read("Incompatible plugins will no longer prevent the server from starting").breaks(true));
    assertFalse(EntryEffect.read("On old systemd this change can prevent the service from starting.").breaks(true));
    assertFalse(EntryEffect.read("Fixes configuration that prevented the image to launch").breaks(true));
    assertFalse(EntryEffect.read("Migrations are now detected more reliably to prevent unexpected errors at startup")
        .breaks(true));
  }

  @Test
  void testTrafficRefusedNow_reachesTheDeployment() {
    // Issue 14, round 13 (M-DEF): clients, requests or connections an existing deployment serves, "now rejected",
    // are its traffic refused, whatever the sentence calls them ("These clients")
    reads("These clients are now rejected if their keepalive value exceeds the maximum.", EntryEffect.Effect.REFUSAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    reads("The server will now reject messages that publish to a reserved topic.", EntryEffect.Effect.REFUSAL,
        EntryEffect.Target.OPERATOR, EntryEffect.Tense.NOW);
    // without "now" it describes how the software answers, not a change; and blocking is a user's feature
    assertFalse(EntryEffect.read("Requests are rejected with `notRequest` when a method name contains a slash.")
        .breaks(true));
    assertFalse(EntryEffect.read("You can now block users and communities.").breaks(true));
  }
}
