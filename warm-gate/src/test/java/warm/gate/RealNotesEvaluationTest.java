package warm.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import warm.core.testing.Prereq;

/**
 * Judges the gate on real, published release notes and upgrade guides ({@code real/<split>/<product>/<v>.note} on
 * the test classpath: {@code key: value} header lines, a line {@code ---}, then the verbatim note). Each item is
 * decided as the single note of a one-step upgrade through the public path {@code warm gate} uses
 * ({@link UpgradeGate#decide(String, String, String, PublishedVersions, ReleaseNoteSource, GatePolicy)}); the test
 * prints per-split and per-product HOLD recall, precision and AUTO false-hold rate and the misclassified items.
 * The {@code dev} split is what the classifier was tuned on; {@code test} is frozen and judged with its own
 * thresholds; {@code val} holds five further products, measured once untouched and then tuned on (issue 14, round 2),
 * guarded at its latest measurement; {@code val2} holds seven more products, measured before and after round 3
 * and since looked at; {@code val3} holds five more that no tuning has seen; {@code val4} holds seven more, written
 * while round 5 was being tuned, that no tuning has seen either; {@code val5} holds six more, written while round 6
 * was being tuned; {@code val6} holds six more, written while round 8 was being tuned; {@code val7} holds six more,
 * written while round 9 was being tuned (a tuning split from round 11); {@code val8} holds six more, written while
 * round 10 was being tuned (a tuning split from round 12); {@code val9} holds six more, written while round 11 was
 * being tuned (a tuning split from round 13); {@code val10} holds six more, also written while round 11 was being
 * tuned (a tuning split from round 16); {@code val11} holds six more, written while round 12 was being tuned (a tuning
 * split from round 16); {@code val12} holds six more, written while round 13 was being tuned (a tuning split from
 * round 17); {@code val13} holds seven more, also written while round 13 was being tuned (a tuning split from round
 * 17); {@code val14} holds six more, written while round 15 was being tuned, to judge once val13 is
 * used up; {@code val15} holds six more, also written while round 15 was being tuned, to judge once val14 is used up;
 * {@code val16} holds six more, written after round 16, to judge once val15 is used up;
 * {@code val17} holds six more, written after round 16 while tuning went on, to judge once val15 is used up;
 * {@code val18} holds seven more, also written after round 16, to judge once the earlier unseen judges are used up.
 */
class RealNotesEvaluationTest {
  /** Required on the dev split: a missed hold is an outage. */
  static final double DEV_MIN_RECALL = 0.95;
  /** Allowed on the dev split: a false hold costs an operator a look. */
  static final double DEV_MAX_FALSE_HOLD = 0.20;
  /*
   * The frozen split, evaluated after the classifier was tuned on dev alone (2026-11-30: HOLD recall 0.845, false
   * holds 0.424) and again after the leave-one-product-out changes chosen on dev (0.835, 0.424) and on dev + val
   * (the same), after round 3 chosen on dev + val (0.825, 0.424), after round 4 on dev + val + val2 (the same) and
   * after round 5, the structural reading chosen on dev + val + val2 (0.887 = 86 of 97, 0.446 = 41 of 92) —
   * short of issue 14's goal (recall >= 0.95, false holds <= 0.20). Floors at the latest evaluation: a
   * guard against a collapse (a parser that stops reading a format), not a target to tune rules to (docs/gate.md).
   */
  /** Floor on the frozen test split: what the latest evaluation measured (the goal is 0.95). */
  static final double TEST_MIN_RECALL = 0.886;
  /** Ceiling on the frozen test split: what the latest evaluation measured (the goal is 0.20). */
  static final double TEST_MAX_FALSE_HOLD = 0.446;
  /*
   * The validation split (real/val: BookStack, CryptPad, FreshRSS, Mailu, Paperless-ngx), evaluated once, untouched,
   * after the rules were tuned on dev (2026-11-30: HOLD recall 0.977, false holds 0.684 = 52 of 76). The first
   * measurement on these unseen products. Round 2 of issue 14 then tuned on dev and val together, judging each change
   * leaving its products out (2026-11-30: val 0.977, 0.658 = 50 of 76): val no longer measures transfer. It stays a
   * split because dev and val together missed the dev ceiling on false holds (0.231 > 0.20) when it was decided.
   * Round 3 (what a container image does, advice to customised instances, the "don't skip" fix): val 0.977, 0.447
   * = 34 of 76. Round 7 (breaking changes of a later release, changelog titles, roadmap sections): 1.000, 0.382 = 29
   * of 76. Floors at the latest measurement guard against a collapse (real/README.md).
   */
  /** Floor on the val split: its latest measurement, after round 4 (the goal is 0.95). */
  static final double VAL_MIN_RECALL = 1.0;
  /** Ceiling on the val split: its latest measurement, after round 7 tuned on it (the goal is 0.20). */
  static final double VAL_MAX_FALSE_HOLD = 0.382;
  /*
   * The second validation split (real/val2: Etherpad, Firefly III, HedgeDoc, Lemmy, Miniflux, Seafile, wallabag), which
   * no round of tuning has looked at, evaluated once, untouched, on the classifier of round 2 (2026-11-30: HOLD recall
   * 0.867 = 39 of 45, false holds 0.329 = 27 of 82), and once more after round 3, which did not look at it (0.844 =
   * 38 of 45, 0.305 = 25 of 82; the one lost HOLD was diagnosed from its text, so val2 now counts as looked at).
   * Round 4 read its seven misses and added general recognisers for their classes (1.000 = 45 of 45, 0.317 = 26 of
   * 82): val2 is now a tuning split. Round 6 (runtime versions in every wording, upgrade boilerplate): 1.000, 0.244 =
   * 20 of 82. Round 7 (a fix report that says what the bug broke): 1.000, 0.232 = 19 of 82. Round 15 (a removal
   * read only under a routine heading does not hold at a patch step): 1.000, 0.220 = 18 of 82. The floors are the
   * latest measurement: a guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val2 split: its latest measurement, after round 6 tuned on it (the goal is 0.95). */
  static final double VAL2_MIN_RECALL = 1.0;
  /** Ceiling on the val2 split: its latest measurement, after round 15 (the goal is 0.20). */
  static final double VAL2_MAX_FALSE_HOLD = 0.220;
  /*
   * The third validation split (real/val3: Dendrite, docker-mailserver, NetBox, Shlink, Vikunja), which no round of
   * tuning has looked at, evaluated once, untouched, on main's classifier after round 3 (2026-11-30: HOLD recall
   * 0.744 = 29 of 39, false holds 0.085 = 6 of 71), and once more after round 4, which did not look at it (exactly
   * the same), and after round 5, which did not look at it either (0.821 = 32 of 39, 0.099 = 7 of 71), and after round 6 (0.846 = 33 of 39,
   * 0.099 = 7 of 71); it has now judged two rounds and counts as read from round 7 on, which tuned on it (0.846 = 33
   * of 39, 0.085 = 6 of 71), and after round 9 (0.897 = 35 of 39, 0.085); round 12 (the false-hold classes with val8's
   * errors) 0.897, 0.070 = 5 of 71; round 13 (the miss classes with val9's errors) 0.923 = 36 of 39, 0.070. The
   * floors are a guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val3 split: its latest measurement, after round 13 (the goal is 0.95). */
  static final double VAL3_MIN_RECALL = 0.923;
  /** Ceiling on the val3 split: its latest measurement, after round 12 (the goal is 0.20). */
  static final double VAL3_MAX_FALSE_HOLD = 0.071;
  /*
   * The fourth validation split (real/val4: Baserow, docker-jitsi-meet, Grocy, Healthchecks, Mealie, Pixelfed,
   * Radicale), which no round of tuning has looked at, written to judge round 5: evaluated once, untouched, on main's
   * classifier after round 4 (2026-11-30: HOLD recall 0.814 = 35 of 43, false holds 0.192 = 14 of 73), and by the
   * lead after round 5 was merged (0.860 = 37 of 43, 0.205 = 15 of 73) and after round 6 (0.884 = 38 of 43, 0.205 = 15
   * of 73); it has now judged two rounds and counts as read from round 7 on, which tuned on it (0.884 = 38 of 43,
   * 0.164 = 12 of 73), and after round 9 (0.930 = 40 of 43, 0.164); round 15 (a removal read only under a routine
   * heading does not hold at a patch step) 0.930, 0.151 = 11 of 73. The floors are a guard against a collapse, not a
   * target to tune rules to (real/README.md).
   */
  /** Floor on the val4 split: its latest measurement, after round 9 (the goal is 0.95). */
  static final double VAL4_MIN_RECALL = 0.930;
  /** Ceiling on the val4 split: its latest measurement, after round 15 (the goal is 0.20). */
  static final double VAL4_MAX_FALSE_HOLD = 0.151;
  /*
   * The fifth validation split (real/val5: Joplin Server, Kanboard, Matomo, ntfy, PrivateBin, The Lounge), which no
   * round of tuning has looked at, written while round 6 was being tuned on dev, val and val2, to judge it: evaluated
   * once, untouched, on main's classifier after round 5 (2026-11-30: HOLD recall 0.833 = 35 of 42, false holds 0.333 =
   * 24 of 72), and by the lead after round 6 and after round 7 were merged (both times the same: 0.833, 0.333); it has
   * judged three rounds and counts as read from round 8 on, which tuned on it (0.952 = 40 of 42, 0.264 = 19 of 72).
   * The floors are a guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val5 split: its latest measurement, after round 8 tuned on it (the goal is 0.95). */
  static final double VAL5_MIN_RECALL = 0.952;
  /** Ceiling on the val5 split: its latest measurement, after round 8 tuned on it (the goal is 0.20). */
  static final double VAL5_MAX_FALSE_HOLD = 0.264;
  /*
   * The sixth validation split (real/val6: Alertmanager, ejabberd, mautrix-telegram, Mobilizon, pretalx, Roundcube),
   * which no round of tuning has looked at, written while round 8 was being tuned on the tuning splits, to judge it:
   * evaluated once, untouched, on main's classifier after round 7 (2026-12-01: HOLD recall 0.804 = 37 of 46, false
   * holds 0.171 = 12 of 70), and the same after rounds 8 and 9. Measured three times, it is a tuning split from round
   * 10 on; round 10 (a learned combiner, cross-validated, not wired in) left it at 0.804 / 0.171; round 11 (the miss
   * classes with val7's misses) 0.848 = 39 of 46, 0.143 = 10 of 70; round 12 (the false-hold classes with val8's
   * errors) 0.870 = 40 of 46, 0.129 = 9 of 70; round 13 (the miss classes with val9's errors) 0.913 = 42 of 46, 0.129.
   * The floors are a guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val6 split: its latest measurement, after round 13 (the goal is 0.95). */
  static final double VAL6_MIN_RECALL = 0.913;
  /** Ceiling on the val6 split: its latest measurement, after rounds 12 and 13 (the goal is 0.20). */
  static final double VAL6_MAX_FALSE_HOLD = 0.129;
  /*
   * The seventh validation split (real/val7: coturn, Knot Resolver, Mosquitto, node_exporter, Prometheus, Thanos),
   * which no round of tuning has looked at, written while round 9 was being tuned on the tuning splits, to judge it:
   * evaluated once, untouched, on main's classifier after round 8 (2026-12-01: HOLD recall 0.723 = 34 of 47, false
   * holds 0.104 = 8 of 77), and the same after round 9. Measured twice, it became a tuning split in round 11, which
   * read its misses and false holds (0.872 = 41 of 47, 0.104 = 8 of 77); round 13 (the miss classes with val9's
   * errors) 0.894 = 42 of 47, 0.104. The floors are a guard against a collapse, not a target to tune rules to
   * (real/README.md).
   */
  /** Floor on the val7 split: its latest measurement, after round 13 (the goal is 0.95). */
  static final double VAL7_MIN_RECALL = 0.893;
  /** Ceiling on the val7 split: its latest measurement, after round 11 tuned on it (the goal is 0.20). */
  static final double VAL7_MAX_FALSE_HOLD = 0.105;
  /*
   * The eighth validation split (real/val8: Dovecot, Ergo, Headscale, Passbolt, PowerDNS Authoritative, rspamd),
   * which no round of tuning has looked at, written while round 10 was being tuned on the tuning splits, to judge it
   * once val7 is used up: evaluated once, untouched, on main's classifier after round 9 (2026-12-01: HOLD recall 0.976
   * = 41 of 42, false holds 0.218 = 17 of 78), and the same after rounds 10 and 11. Measured three times, it became a
   * tuning split in round 12, which read its errors (1.000 = 42 of 42, 0.115 = 9 of 78). The floors are a guard
   * against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val8 split: its latest measurement, after round 12 tuned on it (the goal is 0.95). */
  static final double VAL8_MIN_RECALL = 1.0;
  /** Ceiling on the val8 split: its latest measurement, after round 12 tuned on it (the goal is 0.20). */
  static final double VAL8_MAX_FALSE_HOLD = 0.116;
  /*
   * The ninth validation split (real/val9: AdGuard Home, Ampache, GoatCounter, lldap, Stalwart, Varnish Cache), which
   * no round of tuning has looked at, written while round 11 was being tuned on the tuning splits, to judge it once
   * val8 is used up: evaluated once, untouched, on main's classifier after round 10 (2026-12-01: HOLD recall 0.878 =
   * 36 of 41, false holds 0.253 = 19 of 75), and the same after rounds 11 and 12. Measured three times, it became a
   * tuning split in round 13, which read its errors (0.927 = 38 of 41, 0.227 = 17 of 75); round 14 (a sentence's
   * condition on the version upgraded from, read against the item's previous release) 0.927, 0.160 = 12 of 75; round
   * 15 (a removal read only under a routine heading does not hold at a patch step) 0.927, 0.147 = 11 of 75. The
   * floors are a guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val9 split: its latest measurement, after round 13 tuned on it (the goal is 0.95). */
  static final double VAL9_MIN_RECALL = 0.926;
  /** Ceiling on the val9 split: its latest measurement, after round 15 (the goal is 0.20). */
  static final double VAL9_MAX_FALSE_HOLD = 0.147;
  /*
   * The tenth validation split (real/val10: CoreDNS, gonic, Icinga 2, OAuth2 Proxy, SilverBullet, UnrealIRCd), written
   * while round 11 was being tuned on the tuning splits, to judge a round once val9 is used up: evaluated once,
   * untouched, on main's classifier after round 10 (2026-12-01: HOLD recall 0.816 = 31 of 38, false holds 0.192 = 14
   * of 73; the first measurement on these unseen products), the same after rounds 11 … 14, and after round 15 0.816,
   * 0.178 = 13 of 73. Measured six times, it became a tuning split in round 16, which read its errors; round 16 kept
   * no change (0.816, 0.178). The floors are a guard against a collapse, not a target to tune rules to
   * (real/README.md).
   */
  /** Floor on the val10 split: its latest measurement, round 16's (the goal is 0.95). */
  static final double VAL10_MIN_RECALL = 0.815;
  /** Ceiling on the val10 split: its latest measurement, round 16's (0.178 = 13 of 73; the goal is 0.20). */
  static final double VAL10_MAX_FALSE_HOLD = 0.179;
  /*
   * The eleventh validation split (real/val11: Ackee, borgmatic, Dawarich, Gogs, matrix-hookshot, privacyIDEA),
   * written while round 12 was being tuned on the tuning splits, to judge a round once val9 and val10 are used up:
   * evaluated once, untouched, on main's classifier after round 11 (2026-12-01: HOLD recall 0.731 = 38 of 52, false
   * holds 0.172 = 16 of 93; the first measurement on these unseen products), then by the lead after rounds 12 … 15
   * (after round 15 0.750 = 39 of 52, 0.161 = 15 of 93). Measured five times, it became a tuning split in round 16,
   * which read its errors; round 16 kept no change (0.750, 0.161). The floors are a guard against a collapse, not a
   * target to tune rules to (real/README.md).
   */
  /** Floor on the val11 split: its latest measurement, round 16's (0.750 = 39 of 52; the goal is 0.95). */
  static final double VAL11_MIN_RECALL = 0.749;
  /** Ceiling on the val11 split: its latest measurement, round 16's (0.161 = 15 of 93; the goal is 0.20). */
  static final double VAL11_MAX_FALSE_HOLD = 0.162;
  /*
   * The twelfth validation split (real/val12: CommaFeed, Matterbridge, Nebula, Nominatim, PgBouncer, PostgREST), which
   * no round of tuning had looked at, written while round 13 was being tuned on the tuning splits, to judge a round
   * once val10 and val11 are used up: evaluated once, untouched, on main's classifier after round 12 (2026-12-01:
   * HOLD recall 0.840 = 42 of 50, false holds 0.082 = 7 of 85; the first measurement on these unseen products), the
   * same by the lead after rounds 13, 14 and 15. Measured four times, it became a tuning split in round 17, which read
   * its errors and kept no change (0.840, 0.082 at round 17's measurement). The floors are a guard against a
   * collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val12 split: its latest measurement (0.840 = 42 of 50; the goal is 0.95). */
  static final double VAL12_MIN_RECALL = 0.840;
  /** Ceiling on the val12 split: its latest measurement (0.082 = 7 of 85; the goal is 0.20). */
  static final double VAL12_MAX_FALSE_HOLD = 0.083;
  /*
   * The thirteenth validation split (real/val13: Buildbot, Kanidm, Knot DNS, Pterodactyl, RabbitMQ, Takahē, Tautulli),
   * which no round of tuning had looked at, written while round 13 was being tuned on the tuning splits, to judge a
   * round once val12 is used up: evaluated once, untouched, on main's classifier after round 12 (2026-12-01: HOLD
   * recall 0.750 = 27 of 36, false holds 0.293 = 22 of 75; the first measurement on these unseen products), the same
   * by the lead after rounds 13, 14 and 15. Measured four times, it became a tuning split in round 17, which read its
   * errors and kept no change (0.750, 0.293 at round 17's measurement). The floors are a guard against a collapse,
   * not a target to tune rules to (real/README.md).
   */
  /** Floor on the val13 split: its latest measurement (0.750 = 27 of 36; the goal is 0.95). */
  static final double VAL13_MIN_RECALL = 0.750;
  /** Ceiling on the val13 split: its latest measurement (0.293 = 22 of 75; the goal is 0.20). */
  static final double VAL13_MAX_FALSE_HOLD = 0.294;
  /*
   * The fourteenth validation split (real/val14: Apache APISIX, diaspora*, Galene, Routinator, step-ca, Taiga), which
   * no round of tuning has looked at, written while round 15 was being tuned on the tuning splits, to judge a round
   * once val13 is used up: evaluated once, untouched, on main's classifier after round 14 (2026-12-01: HOLD recall
   * 0.868 = 33 of 38, false holds 0.082 = 6 of 73). The first measurement on these unseen products: the floors are a
   * guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val14 split: its first measurement, after round 14, untouched (the goal is 0.95). */
  static final double VAL14_MIN_RECALL = 0.868;
  /** Ceiling on the val14 split: its first measurement, after round 14, untouched (the goal is 0.20). */
  static final double VAL14_MAX_FALSE_HOLD = 0.083;
  /*
   * The fifteenth validation split (real/val15: AzuraCast, Cyrus IMAP, OpenBao, Patroni, PostGIS, strongSwan), which
   * no round of tuning has looked at, written while round 15 was being tuned on the tuning splits, to judge a round
   * once val14 is used up: evaluated once, untouched, on main's classifier after round 14 (2026-12-01: HOLD recall
   * 0.738 = 31 of 42, false holds 0.143 = 10 of 70). The first measurement on these unseen products: the floors are a
   * guard against a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val15 split: its first measurement, after round 14, untouched (the goal is 0.95). */
  static final double VAL15_MIN_RECALL = 0.738;
  /** Ceiling on the val15 split: its first measurement, after round 14, untouched (the goal is 0.20). */
  static final double VAL15_MAX_FALSE_HOLD = 0.144;
  /*
   * The sixteenth validation split (real/val16: Directus, Friendica, Home Assistant's Let's Encrypt add-on, PhotoPrism,
   * Plume, Redmine), which no round of tuning has looked at, written after round 16, to judge a round once val15 is
   * used up: evaluated once, untouched, on main's classifier after round 16 (2026-12-02: HOLD recall 0.684 = 26 of
   * 38, false holds 0.194 = 14 of 72). The first measurement on these unseen products: the floors are a guard against
   * a collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val16 split: its first measurement, after round 16, untouched (the goal is 0.95). */
  static final double VAL16_MIN_RECALL = 0.684;
  /** Ceiling on the val16 split: its first measurement, after round 16, untouched (the goal is 0.20). */
  static final double VAL16_MAX_FALSE_HOLD = 0.195;
  /*
   * The seventeenth validation split (real/val17: BIND 9, chasquid, EMQX, Kea, Kong, Redis), which no round of tuning
   * has looked at, written after round 16 while tuning went on, to judge a round once val15 is used up: evaluated
   * once, untouched, on main's classifier after round 16 (2026-12-02: HOLD recall 0.435 = 20 of 46, false holds 0.149
   * = 11 of 74). The first measurement on these unseen products: the floors are a guard against a
   * collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val17 split: its first measurement, after round 16, untouched (the goal is 0.95). */
  static final double VAL17_MIN_RECALL = 0.434;
  /** Ceiling on the val17 split: its first measurement, after round 16, untouched (the goal is 0.20). */
  static final double VAL17_MAX_FALSE_HOLD = 0.150;
  /*
   * The eighteenth validation split (real/val18: BigBlueButton's Docker packaging, Jellyfin, Mautic, Memos, Nextcloud
   * Deck, ownCloud Infinite Scale, Sydent), which no round of tuning has looked at, written after round 16, to judge a
   * round once the earlier unseen judges are used up: evaluated once, untouched, on main's classifier after round 16
   * (2026-12-02: HOLD recall 0.821 = 23 of 28, false holds 0.072 = 6 of 83). The first measurement on these unseen products: the floors are a guard against a
   * collapse, not a target to tune rules to (real/README.md).
   */
  /** Floor on the val18 split: its first measurement, after round 16, untouched (the goal is 0.95). */
  static final double VAL18_MIN_RECALL = 0.821;
  /** Ceiling on the val18 split: its first measurement, after round 16, untouched (the goal is 0.20). */
  static final double VAL18_MAX_FALSE_HOLD = 0.073;

  /** One labelled note. */
  record Item(String split, String product, String version, boolean hold, String why, String note, Path file) {
    String id() {
      return split + "/" + product + "/" + version;
    }
  }

  /** Counts of one group of items. */
  static final class Score {
    int tp;
    int fn;
    int fp;
    int tn;
    final List<String> wrong = new ArrayList<>();

    void add(Item item, boolean held) {
      if (item.hold() && held) {
        tp++;
      } else if (item.hold()) {
        fn++;
        wrong.add("missed " + item.id());
      } else if (held) {
        fp++;
        wrong.add("false hold " + item.id());
      } else {
        tn++;
      }
    }

    double recall() {
      return tp + fn == 0 ? 1 : tp / (double) (tp + fn);
    }

    double precision() {
      return tp + fp == 0 ? 1 : tp / (double) (tp + fp);
    }

    double falseHold() {
      return fp + tn == 0 ? 0 : fp / (double) (fp + tn);
    }

    String line(String name) {
      return String.format(Locale.ROOT, "%-28s n=%3d HOLD %3d AUTO %3d  recall %.3f  precision %.3f  false holds %.3f",
          name, tp + fn + fp + tn, tp + fn, fp + tn, recall(), precision(), falseHold());
    }
  }

  @Test
  void testRealNotes_meetTheThresholds() throws IOException {
    Path real = realDirectory();
    if (real == null) {
      Prereq.require(false, "no real/ corpus on the test classpath (warm-gate/src/test/resources/warm/gate/real)");
      return;
    }
    // -Dwarm.gate.splits=dev evaluates the dev split alone: rules are tuned looking only at dev, never at the frozen
    // test split's results (real/README.md). The default includes every split so that each guard runs in the suite.
    List<String> only = List.of(System.getProperty("warm.gate.splits",
        "dev,test,val,val2,val3,val4,val5,val6,val7,val8,val9,val10,val11,val12,val13,val14,val15,val16,val17,val18").split(","));
    List<Item> items = load(real, only);
    Map<String, Score> splits = new TreeMap<>();
    Map<String, Score> products = new TreeMap<>();
    for (Item item : items) {
      boolean held = decide(item).isHold();
      splits.computeIfAbsent(item.split(), k -> new Score()).add(item, held);
      products.computeIfAbsent(item.split() + "/" + item.product(), k -> new Score()).add(item, held);
    }
    splits.forEach((name, s) -> System.out.println(s.line("split " + name)));
    products.forEach((name, s) -> System.out.println(s.line("  " + name)));
    splits.forEach((name, s) -> s.wrong.forEach(w -> System.out.println("  " + w)));
    assertTrue(!splits.isEmpty(), "real/ holds no item: " + real);
    check(only, splits, "dev", DEV_MIN_RECALL, DEV_MAX_FALSE_HOLD);
    check(only, splits, "test", TEST_MIN_RECALL, TEST_MAX_FALSE_HOLD);
    check(only, splits, "val", VAL_MIN_RECALL, VAL_MAX_FALSE_HOLD);
    check(only, splits, "val2", VAL2_MIN_RECALL, VAL2_MAX_FALSE_HOLD);
    check(only, splits, "val3", VAL3_MIN_RECALL, VAL3_MAX_FALSE_HOLD);
    check(only, splits, "val4", VAL4_MIN_RECALL, VAL4_MAX_FALSE_HOLD);
    check(only, splits, "val5", VAL5_MIN_RECALL, VAL5_MAX_FALSE_HOLD);
    check(only, splits, "val6", VAL6_MIN_RECALL, VAL6_MAX_FALSE_HOLD);
    check(only, splits, "val7", VAL7_MIN_RECALL, VAL7_MAX_FALSE_HOLD);
    check(only, splits, "val8", VAL8_MIN_RECALL, VAL8_MAX_FALSE_HOLD);
    check(only, splits, "val9", VAL9_MIN_RECALL, VAL9_MAX_FALSE_HOLD);
    check(only, splits, "val10", VAL10_MIN_RECALL, VAL10_MAX_FALSE_HOLD);
    check(only, splits, "val11", VAL11_MIN_RECALL, VAL11_MAX_FALSE_HOLD);
    check(only, splits, "val12", VAL12_MIN_RECALL, VAL12_MAX_FALSE_HOLD);
    check(only, splits, "val13", VAL13_MIN_RECALL, VAL13_MAX_FALSE_HOLD);
    check(only, splits, "val14", VAL14_MIN_RECALL, VAL14_MAX_FALSE_HOLD);
    check(only, splits, "val15", VAL15_MIN_RECALL, VAL15_MAX_FALSE_HOLD);
    check(only, splits, "val16", VAL16_MIN_RECALL, VAL16_MAX_FALSE_HOLD);
    check(only, splits, "val17", VAL17_MIN_RECALL, VAL17_MAX_FALSE_HOLD);
    check(only, splits, "val18", VAL18_MIN_RECALL, VAL18_MAX_FALSE_HOLD);
  }

  /**
   * The classifier's decisions on the splits that have blind second labels (real/second-labels/, val16 … val18),
   * scored against another label set, on demand and counts only: {@code -Dwarm.gate.labels=second} the second
   * labeller's, {@code =adjudicated} the first labels with each adjudicated disagreement replaced by the label the
   * written policy supports (an {@code either} keeps the first). The guards stay on the first labels; this says how
   * much of a split's distance to the goal is the labels' own ("How reliable are the labels?" in
   * machine-docs/measurements/gate-history.md).
   */
  @Test
  void realNotes_againstTheSecondOrAdjudicatedLabels() throws IOException {
    String which = System.getProperty("warm.gate.labels", "");
    Assumptions.assumeTrue(which.equals("second") || which.equals("adjudicated"),
        "on demand: -Dwarm.gate.labels=second or =adjudicated");
    Path real = realDirectory();
    Prereq.require(real != null, "no real/ corpus on the test classpath");
    Path dir = real.resolve("second-labels");
    List<String> labelled = LabelAgreementTest.labelledSplits(dir);
    Map<String, LabelAgreementTest.Adjudication> adjudicated =
        LabelAgreementTest.readAdjudication(dir.resolve("adjudication.tsv"));
    Map<String, Score> splits = new TreeMap<>();
    Map<String, Score> products = new TreeMap<>();
    int changed = 0;
    for (String split : labelled) {
      Map<String, LabelAgreementTest.SecondLabel> second = LabelAgreementTest.read(dir.resolve(split + ".tsv"));
      for (Item item : load(real, List.of(split))) {
        boolean hold;
        if (which.equals("second")) {
          LabelAgreementTest.SecondLabel l = second.get(item.product() + "\t" + item.version());
          assertTrue(l != null, "no second label for " + item.id());
          hold = l.hold();
        } else {
          LabelAgreementTest.Adjudication a = adjudicated.get(split + "\t" + item.product() + "\t" + item.version());
          hold = a == null || a.adjudicated().equals("either") ? item.hold() : a.adjudicated().equals("HOLD");
        }
        changed += hold == item.hold() ? 0 : 1;
        Item relabelled = new Item(item.split(), item.product(), item.version(), hold, item.why(), item.note(),
            item.file());
        boolean held = decide(relabelled).isHold();
        splits.computeIfAbsent(split, k -> new Score()).add(relabelled, held);
        products.computeIfAbsent(split + "/" + item.product(), k -> new Score()).add(relabelled, held);
      }
    }
    System.out.println("labels: " + which + " (" + changed + " items labelled otherwise than the first labels)");
    splits.forEach((name, s) -> System.out.println(s.line("split " + name)));
    products.forEach((name, s) -> System.out.println(s.line("  " + name)));
    assertTrue(!splits.isEmpty(), "real/second-labels/ names no split");
  }

  /**
   * The decisions under a {@code gate.autoApply} setting, on demand and counts only ({@code -Dwarm.gate.autoApply=patch},
   * {@code =minor}, or {@code =minor,patch} for both; the splits of {@code -Dwarm.gate.splits}). The gate reads the
   * step from the recipe part, as the major bump does, and the items carry only the product's version: each item's
   * one-step upgrade gets a recipe step of the item's own level ({@link StepShapeSurveyTest#level}, by the version
   * itself: x.0.0 major, x.y.0 minor, any later number patch; a patch for a version that is not dotted numbers), as a
   * maintainer numbering the recipe after the upstream would. The notes' reading is the same as in the default run
   * (the installed version and the note's step are unchanged); what moves is the step's own hold. Asserted: a major
   * item holds under both settings, a minor one under {@code patch}, and every other item is decided exactly as in
   * the default run. No guard: the guards are the default policy's.
   */
  @Test
  void realNotes_underAnAutoApplySetting() throws IOException {
    String asked = System.getProperty("warm.gate.autoApply", "");
    Assumptions.assumeFalse(asked.isBlank(), "on demand: -Dwarm.gate.autoApply=patch (or minor, or minor,patch)");
    Path real = realDirectory();
    Prereq.require(real != null, "no real/ corpus on the test classpath");
    List<String> only = List.of(System.getProperty("warm.gate.splits",
        "dev,test,val,val2,val3,val4,val5,val6,val7,val8,val9,val10,val11,val12,val13,val14,val15,val16,val17,val18").split(","));
    List<Item> items = load(real, only);
    assertTrue(!items.isEmpty(), "real/ holds no item of " + only);
    Map<String, Integer> levels = new TreeMap<>();
    Map<String, Integer> labelled = new TreeMap<>();
    for (Item item : items) {
      StepShapeSurveyTest.Level level = StepShapeSurveyTest.level(item.version(), false);
      levels.merge(item.split() + " " + level, 1, Integer::sum);
      labelled.merge(level + " " + (item.hold() ? "HOLD" : "AUTO"), 1, Integer::sum);
    }
    System.out.println("items by their own step level: " + levels);
    System.out.println("items by their own step level and label, pooled: " + labelled);
    for (String value : asked.split(",")) {
      AutoApply setting = AutoApply.parse(value.strip());
      Map<String, Score> splits = new TreeMap<>();
      Map<String, Score> products = new TreeMap<>();
      for (Item item : items) {
        GateDecision d = decide(item, setting);
        StepShapeSurveyTest.Level level = StepShapeSurveyTest.level(item.version(), false);
        boolean stepHolds = level == StepShapeSurveyTest.Level.MAJOR
            || level == StepShapeSurveyTest.Level.MINOR && setting == AutoApply.PATCH;
        if (stepHolds ? !d.isHold() : d.isHold() != decide(item).isHold()) {
          fail(item.id() + " (" + level + " step, gate.autoApply " + setting.configValue() + "): " + d.toText());
        }
        splits.computeIfAbsent(item.split(), k -> new Score()).add(item, d.isHold());
        products.computeIfAbsent(item.split() + "/" + item.product(), k -> new Score()).add(item, d.isHold());
      }
      String tag = "gate.autoApply=" + setting.configValue() + " ";
      splits.forEach((name, sc) -> System.out.println(sc.line(tag + "split " + name)));
      Score pooled = new Score();
      splits.values().forEach(sc -> {
        pooled.tp += sc.tp;
        pooled.fn += sc.fn;
        pooled.fp += sc.fp;
        pooled.tn += sc.tn;
      });
      System.out.println(pooled.line(tag + "pooled") + String.format(Locale.ROOT, "  (HOLD %d of %d, false holds %d"
          + " of %d)", pooled.tp, pooled.tp + pooled.fn, pooled.fp, pooled.fp + pooled.tn));
      products.forEach((name, sc) -> System.out.println(sc.line("  " + tag + name)));
    }
  }

  /** The split's guard; a split that was asked for and holds no item fails (a lost directory is no pass). */
  private static void check(List<String> only, Map<String, Score> splits, String split, double minRecall,
      double maxFalseHold) {
    if (!only.contains(split)) {
      return;
    }
    Score s = splits.get(split);
    assertTrue(s != null, "split " + split + " was asked for (warm.gate.splits) and holds no item");
    assertTrue(s.recall() >= minRecall, String.format(Locale.ROOT, "%s: HOLD recall %.3f < %.2f; %s", split,
        s.recall(), minRecall, s.wrong));
    assertTrue(s.falseHold() <= maxFalseHold, String.format(Locale.ROOT, "%s: false holds %.3f > %.2f; %s",
        split, s.falseHold(), maxFalseHold, s.wrong));
  }

  /**
   * The note alone, as the target of a one-step minor upgrade: only the classifier can hold it. The upgrade starts at
   * the release before the item's ({@link #previousRelease}), an operator upgrading one release at a time; when that
   * is unknown, the installed version has no upstream part and a note's condition on it cannot release a sentence.
   */
  static GateDecision decide(Item item) {
    String from = from(item);
    String to = to(item);
    ReleaseNoteSource source = v -> v.equals(to) ? new NoteLookup.Found(item.note(), false) : NoteLookup.absent();
    return UpgradeGate.decide(item.product(), from, to, PublishedVersions.of(List.of(from, to)), source,
        GatePolicy.defaults());
  }

  /**
   * The item's one-step upgrade under a {@code gate.autoApply} setting, its recipe step of the item's own level
   * ({@link #realNotes_underAnAutoApplySetting}): {@code 1.0.0 → 2.0.0}, {@code 1.1.0} or {@code 1.0.1}; the installed
   * version and the note are those of {@link #decide(Item)}.
   */
  static GateDecision decide(Item item, AutoApply setting) {
    String from = from(item);
    String upstream = to(item).substring("1.0.1".length());
    String to = switch (StepShapeSurveyTest.level(item.version(), false)) {
      case MAJOR -> "2.0.0" + upstream;
      case MINOR -> "1.1.0" + upstream;
      case PATCH, UNKNOWN -> "1.0.1" + upstream;
    };
    ReleaseNoteSource source = v -> v.equals(to) ? new NoteLookup.Found(item.note(), false) : NoteLookup.absent();
    return UpgradeGate.decide(item.product(), from, to, PublishedVersions.of(List.of(from, to)), source,
        GatePolicy.defaults().withAutoApply(setting));
  }

  /** The installed version of the item's one-step upgrade: the release before it, or no upstream part (unknown). */
  static String from(Item item) {
    String previous = previousRelease(item.version());
    return previous == null ? "1.0.0" : "1.0.0+" + previous;
  }

  /** The target of the item's one-step upgrade, its note's version. */
  static String to(Item item) {
    return "1.0.1+" + item.version().replaceAll("[^0-9A-Za-z._~+-]", "_");
  }

  private static final Pattern RELEASE = Pattern.compile("(v?)((?:\\d+\\.)*)(\\d+)");

  /**
   * The release before {@code version} when the item implies it: the last number lowered by one ({@code 0.13.3} ->
   * {@code 0.13.2}). The items do not carry it; this is exact when the product numbers its patch releases without
   * gaps. A last number of 0 (the previous line's last patch is unknown) or a pre-release gives null.
   */
  static String previousRelease(String version) {
    Matcher m = RELEASE.matcher(version);
    if (!m.matches() || m.group(2).isEmpty()) {
      return null;
    }
    long last = Long.parseLong(m.group(3));
    return last == 0 ? null : m.group(1) + m.group(2) + (last - 1);
  }

  /** The real/ corpus on the test classpath, or null when it is not there as files. */
  static Path realDirectory() {
    URL url = RealNotesEvaluationTest.class.getResource("real");
    if (url == null || !"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The items of the given splits; files of other splits are not read at all. */
  static List<Item> load(Path real, List<String> splits) throws IOException {
    List<Item> items = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(real)) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(".note"))
          .filter(p -> splits.contains(real.relativize(p).getName(0).toString())).sorted().toList();
    }
    for (Path f : files) {
      Path rel = real.relativize(f);
      if (rel.getNameCount() != 3) {
        fail("a real note must be real/<split>/<product>/<version>.note, got " + rel);
      }
      items.add(parse(rel.getName(0).toString(), rel.getName(1).toString(), f));
    }
    return items;
  }

  static Item parse(String split, String product, Path file) throws IOException {
    String all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    int sep = all.startsWith("---\n") ? 0 : all.indexOf("\n---\n");
    if (sep < 0) {
      fail(file + ": no '---' line between the header and the note");
    }
    Map<String, String> header = new TreeMap<>();
    for (String line : all.substring(0, sep).split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        header.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    String label = header.get("label");
    if (!"HOLD".equals(label) && !"AUTO".equals(label)) {
      fail(file + ": label must be HOLD or AUTO, got " + label);
    }
    String name = file.getFileName().toString();
    String version = header.getOrDefault("version", name.substring(0, name.length() - ".note".length()));
    return new Item(split, product, version, label.equals("HOLD"), header.getOrDefault("why", ""),
        all.substring(sep + (sep == 0 ? 4 : 5)), file);
  }
}
