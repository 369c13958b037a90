package warm.gate;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one changelog entry or sentence does to an existing deployment, read as a small composition instead of a
 * list of phrases (issue 14, round 5): the effect (a class of verb), the object it acts on (something an operator
 * configures or relies on, or something internal), and its tense or modality (done in this release, announced for
 * later, conditional, negated or automatic). The classifier holds a sentence on this reading wherever it is listed;
 * the section it stands in is a prior ({@link NoteClassifier}).
 */
final class EntryEffect {
  private EntryEffect() {}

  /** The class of the verb: what happens to the thing. */
  enum Effect {
    /** Removed, dropped, deleted, no longer supported or available. */
    REMOVAL(true),
    /** Rejected, refused, denied, blocked, limited to, no longer accepted. */
    REFUSAL(true),
    /** Will fail to start, refuses to start, won't boot. */
    START_FAILURE(true),
    /** A default changed: now X by default, default changed from A to B. */
    DEFAULT_CHANGE(true),
    /** Now required, mandatory, must be set. */
    REQUIREMENT(true),
    /** Renamed or moved: the old name or place no longer works. */
    RENAME(true),
    /** The stored data's format changed incompatibly. */
    DATA_CHANGE(true),
    /** Added, fixed, improved, optional, can now, no longer required. */
    BENIGN(false),
    /** No verb the reading knows. */
    NONE(false);

    private final boolean breaking;

    Effect(boolean breaking) {
      this.breaking = breaking;
    }

    boolean breaking() {
      return breaking;
    }
  }

  /** Whether the thing acted on is something an operator configures or relies on. */
  enum Target {
    /** A setting, option, variable, flag, command, endpoint, provider, database, path, port, header, auth… */
    OPERATOR,
    /** A language runtime that the container image ships (PHP, Node.js): the image brings it. */
    RUNTIME,
    /** Code, a function, a test, a UI element, a translation, a dependency, the docs; or something unused. */
    INTERNAL,
    /** Nothing the reading recognises. */
    UNKNOWN
  }

  /** When the effect takes place, and whether the sentence takes it back. */
  enum Tense {
    /** Done in this release. */
    NOW,
    /** Announced for a later release, or deprecated but still working. */
    LATER,
    /** Said not to happen ("nothing was removed"), or to need no action, or done automatically. */
    NEGATED,
    /** No effect to place in time. */
    NONE
  }

  /**
   * One sentence's reading.
   *
   * @param effect the verb class
   * @param effectWords the words that gave it
   * @param target what it acts on
   * @param targetWords the words that gave that
   * @param tense when
   */
  record Reading(Effect effect, String effectWords, Target target, String targetWords, Tense tense) {
    /**
     * @param runsImage the deployment runs the upstream's container image ({@code gate.context})
     * @return true when the entry breaks an existing deployment: a breaking effect, done now, on something the
     *     operator configures or relies on (a start failure or a data change on anything not internal)
     */
    boolean breaks(boolean runsImage) {
      if (!effect.breaking() || tense != Tense.NOW) {
        return false;
      }
      return target == Target.OPERATOR || target == Target.RUNTIME && !runsImage
          || (effect == Effect.START_FAILURE || effect == Effect.DATA_CHANGE) && target != Target.INTERNAL;
    }

    /** @return true when the entry reports a bug fix ("Fix …", "[fix] …"): what it names is what the bug did */
    boolean reportsFix() {
      return effect == Effect.BENIGN && FIX_LEAD.matcher(effectWords.replaceAll("^\\W+", "")).lookingAt();
    }

    /** For {@code --explain}: {@code removal of operator 'flag', now}. */
    String describe() {
      if (effect == Effect.NONE) {
        return "no effect";
      }
      return effect.name().toLowerCase(Locale.ROOT) + " '" + effectWords + "' on "
          + target.name().toLowerCase(Locale.ROOT) + (targetWords.isEmpty() ? "" : " '" + targetWords + "'") + ", "
          + tense.name().toLowerCase(Locale.ROOT);
    }

    /** The sentence class a breaking reading holds as. */
    NoteClassifier.SentenceClass sentenceClass() {
      return switch (effect) {
        case REMOVAL -> NoteClassifier.SentenceClass.REMOVAL;
        case REQUIREMENT -> NoteClassifier.SentenceClass.REQUIREMENT;
        case DATA_CHANGE -> NoteClassifier.SentenceClass.MIGRATION;
        default -> NoteClassifier.SentenceClass.BEHAVIOUR_CHANGE;
      };
    }
  }

  private static final int F = Pattern.CASE_INSENSITIVE;

  /** A relaxation reads like a removal or a requirement but takes an obligation away. */
  private static final Pattern RELAXED = Pattern.compile(
      "\\bno longer (?:required|needed|necessary|mandatory|need)\\b|\\b(?:is|are) now optional\\b", F);
  private static final Pattern START_FAILURE = Pattern.compile(
      "\\bfail(?:s|ed)? to (?:start|boot|launch|come up)\\b|\\brefuses? to (?:start|boot|run|launch)\\b"
          + "|\\b(?:won't|will not|no longer) (?:start|boot|launch|come up)\\b(?! (?:automatically|a |an |the )\\b)"
          + "|\\b(?:exits?|aborts?|crash(?:es)?) (?:on|at) (?:start|startup|boot)\\b"
          // the entry's own verb refuses what it names at startup (round 11): a configuration accepted before now
          // stops the service ("Reject invalid URLs at startup", "Abort on malformed X at startup")
          + "|^(?:reject|refuse|abort|den(?:y|ies))\\w*\\b[^.;]{0,80}?\\b(?:at|on|during) (?:start(?:up)?|boot|launch"
          + "|config(?:uration)? load(?:ing)?)\\b"
          // a start refused said as prevented, now or for later (round 13: "A missing X now prevents startup"); "can
          // prevent", "will no longer prevent" and the fixed bug's "prevented" are not the release's refusal
          + "|\\b(?:now|will) prevents? (?:[\\w-]+ ){0,4}?(?:from )?(?:start(?:ing|up)?|boot(?:ing)?|launch(?:ing)?)\\b", F);
  private static final Pattern DATA_CHANGE = Pattern.compile(
      "\\b(?:database|storage|data|on-disk|index|schema|db|file) (?:format|layout|structure)\\b[^.;]{0,40}?"
          + "\\b(?:changed|changes|incompatible|differs)\\b|\\bincompatible (?:\\w+ ){0,2}?(?:data|database|storage"
          + "|on-disk|schema) (?:format|layout)\\b|\\b(?:older|previous) versions? (?:can(?:no|')t|will not|won't)"
          + " (?:read|open)\\b", F);
  private static final Pattern REQUIREMENT = Pattern.compile(
      "\\b(?:is|are) now (?:required|mandatory)\\b|\\b(?:is|are) (?:now )?mandatory\\b"
          + "|\\bmust (?:now )?(?:be )?(?:set|configured|provided|specified|defined|enabled)\\b", F);
  private static final Pattern REFUSAL = Pattern.compile(
      "\\b(?:is|are|will be|get|gets) (?:now )?(?:rejected|refused|denied|blocked|disallowed|forbidden)\\b"
          + "|\\bnow (?:rejects?|refuses?|denies|blocks?|disallows?|forbids?|only accepts?|only allows?)\\b"
          + "|\\bno longer (?:accept(?:s|ed)?|allow(?:s|ed)?|permit(?:s|ted)?|tolerat\\w*)\\b"
          + "|\\b(?:(?:is|are) now|will now be) (?:limited|restricted|capped) (?:to|at)\\b|\\b(?:is|are) now enforced\\b|\\bmust now\\b", F);
  private static final Pattern DEFAULT_CHANGE = Pattern.compile(
      "\\bnow defaults? to\\b|\\bchang(?:ed|es|ing) (?:the )?defaults?\\b|\\bdefaults?\\b[^.;]{0,60}?"
          + "\\b(?:changed|is now|are now|was changed|has been changed|switched)\\b"
          + "|\\b(?:now|is|are) (?:\\w+ )?(?:enabled|disabled|on|off|true|false)\\b[^.;]{0,20}?\\bby default\\b"
          + "(?<!\\b(?:is|are) (?:disabled|off|false) by default)"
          + "|\\bby default\\b[^.;]{0,40}?\\bnow\\b|\\bnow\\b[^.;]{0,60}?\\bby default\\b"
          + "|\\bdefaults? (?:\\w+ ){0,3}from\\b[^.;]{1,40}?\\bto\\b|\\bnow (?:by|per) default\\b|\\bnow per default\\b"
          + "|\\b(?:now|is|are) (?:\\w+ )?(?:active|inactive|required|enforced)\\b[^.;]{0,20}?\\bby default\\b"
          // a named setting's default value changed to a value (round 11: "changed `x` default value to `db`")
          + "|\\bchang(?:e|ed|es|ing) (?:the )?(?:`[^`\\s]{1,60}`\\s)?defaults? (?:value |version |setting )?to (?=[`\"'\\d]"
          + "|v\\d|(?:true|false|on|off|enabled|disabled)\\b)"
          // a dotted name ("from `--web.config` to …", round 11) is one word; a version number ("1.20") is not
          + "|\\b(?:has been|have been|was|were|is now|are now) changed from\\b(?:[^.;]|\\.(?=[a-z-])){1,40}?\\bto\\b", F);
  private static final Pattern RENAME = Pattern.compile(
      "\\b(?:was|were|has been|have been|is|are) (?:now )?renamed\\b|\\b(?:is|are) now (?:called|named)\\b"
          + "|\\b(?:was|were|has been|have been|is|are) (?:now )?moved (?:from|to)\\b"
          + "|\\b(?:was|were|has been|have been|is|are) (?:now )?replaced (?:by|with)\\b|\\bold name\\b", F);
  /**
   * A requirement said with its object after the verb, or by whom it is needed: "now requires PostgreSQL 14", "you
   * will need a `MAIL_HOST`", "`X` has to be set", "Requires Redis 7", a raised minimum version.
   */
  private static final Pattern REQUIREMENT_TRANSITIVE = Pattern.compile(
      "\\bnow (?:requires?|needs?)\\b|^(?:now )?requires?\\b|\\b(?:this|the) (?:release|version|update|upgrade) (?:now )?"
          + "(?:requires|needs)\\b|\\byou(?:'ll| will)? (?:now |also )?need\\b(?! to (?:read|know|be aware|understand))"
          + "|\\b(?:needs?|has|have) to be (?:set|configured|provided|specified|defined|enabled|changed|updated|added"
          + "|installed|created|migrated)\\b|\\b(?:bump(?:ed|s)?|rais(?:e|ed|es)|increas(?:e|ed|es)) (?:the )?minimum"
          + " (?:supported |required )?|\\bminimum (?:supported |required )?(?:[\\w.-]+ ){1,2}versions? (?:is|are) now\\b", F);
  /**
   * A setting's value changed, said without the word "default": "Adjust `X` from A to B", "Change the `X` setting to
   * `Y`" (a value: a code span, a quote, a number, true/false/on/off; "change X to always return …" describes a new
   * behaviour, not a value); the object must be something an operator configures ({@link #target}). A value raised
   * ("Increase the `start_period` to 5m") accepts what was accepted before: not read as a change here.
   */
  private static final Pattern DEFAULT_LEAD = Pattern.compile(
      "^(?:adjust(?:ed|s)?|chang(?:e|ed|es)|set|sets|switch(?:ed|es)?|decreas(?:e|ed|es)|lower(?:ed|s)?|reduc(?:e|ed|es))\\b(?=[^.;]{1,80}?\\b(?:from\\b[^.;]{1,40}?\\bto\\b|to (?:[`\"'\\d]"
          + "|v\\d|(?:true|false|on|off|enabled|disabled)\\b)))", F);
  /** A named setting's value stated as new: "`X` is now `30s`", "`X` is now true". */
  private static final Pattern VALUE_NOW = Pattern.compile(
      "\\b(?:is|are) now (?:set to )?(?=[`\"'\\d]|(?:true|false|on|off|enabled|disabled)\\b)", F);
  /** The entry's own verb: "Removed the X flag", "We've dropped …", "This release removes …". */
  private static final Pattern REMOVAL_LEAD = Pattern.compile(
      "^(?:we(?:'ve| have)? |this (?:release|version|update) (?:also )?)?(?:removed|removes|remove|removing|dropped|drops"
          + "|drop|dropping|deleted|deletes|delete|deleting|discontinued)\\b(?! (?:down|-down|zone|target)\\b)", F);
  /** Said of a subject: "X has been removed", "X is no longer supported", "removed support for X". */
  private static final Pattern REMOVAL = Pattern.compile(
      "\\b(?:has|have) (?:now )?been (?:removed|dropped|deleted|discontinued)\\b"
          + "|\\b(?:is|are|was|were) (?:now )?(?:removed|dropped|deleted|gone|discontinued)\\b"
          // announced for later: the effect is read, and its tense says it is not done yet
          + "|\\bwill be (?:removed|dropped|deleted|discontinued)\\b"
          + "|\\bno longer (?:supported|available|provided|shipped|included|bundled|exists?|works?|recogni[sz]ed|read"
          + "|honou?red|respected|used|sent|returned|exposed)\\b", F);
  /**
   * A stopped behaviour said with its object after the verb: "X no longer supports Y", "no longer adds Y", "removed
   * support for Y", "not supported any more".
   */
  private static final Pattern REMOVAL_TRANSITIVE = Pattern.compile(
      "\\bno longer (?:supports?|support|ships?(?: with)?|includes?|provides?|bundles?|adds?|creates?|sets?|sends?"
          + "|generates?|exposes?|reads?|loads?|has|have|offers?|automatically \\w+s)\\b"
          + "|\\b(?:removed|dropped|removes|drops|removing|dropping) support for\\b"
          + "|\\b(?:is|are) not supported any ?more\\b", F);
  private static final Pattern RENAME_LEAD = Pattern.compile("^(?:we(?:'ve| have)? )?(?:renamed|renames|rename)\\b", F);
  /**
   * The entry's own verb replaces one thing with another (round 13): a rename only when the replaced thing is a bare
   * configured name and the replacement names a setting too ({@link #replacedName}).
   */
  private static final Pattern REPLACE_LEAD = Pattern.compile(
      "^(?:replaced|replaces|replace)\\b(?=[^.;]{1,80}?\\s(?:with|by)\\s)", F);
  /** "Change the X config names": the names of a configured thing changed (round 13), what stands before "names". */
  private static final Pattern NAMES_LEAD = Pattern.compile("^(?:chang(?:e|ed|es))\\s(?=[^.;]{1,60}?\\snames?\\b)", F);
  private static final Pattern NAMES_END = Pattern.compile("\\snames?\\b", F);
  private static final Pattern WITH_OR_BY = Pattern.compile("\\s(?:with|by)\\s", F);
  /**
   * A bare name as the replaced thing: an article, one name, and at most a generic noun for it ("the `X_Y` variable").
   */
  private static final Pattern BARE_NAME = Pattern.compile("(?:the |a )?(\\S{2,80})(?: (?:env(?:ironment)? var(?:iable)?s?"
      + "|settings?|options?|variables?|keys?|parameters?|flags?))?\\s*", F);
  /** "… from A to B": the pair of names a rename's object is known by. */
  private static final Pattern NAME_PAIR = Pattern.compile("\\s*from \\S+ to \\S+", F);
  /** An entry that fixes a bug reports what the bug did ("Fix X being deleted when …"), not what the release does. */
  private static final Pattern FIX_LEAD = Pattern.compile("^(?:fix|fixed|fixes|fixing|bugfix|ensure[sd]?|prevent(?:ed|s)?"
      + "|avoid(?:ed|s)?|don'?t|do not|correct(?:ed|s)?|resolve[sd]?|restore[sd]?|revert(?:ed|s)?|handle[sd]?"
      // putting back what a regression removed (round 12: "Add back accidentally removed parameters")
      + "|add(?:ed|s)? back|re-?add(?:ed|s)?|(?:put|bring|brought) back)\\b", F);
  /**
   * A failure said in the simple past, as NEWS files list fixed bugs (round 12): "X failed to start if …", "Y caused a
   * crash at startup". The release's own failure is said now or for later ("fails / will fail to start").
   */
  private static final Pattern PAST_FAILURE = Pattern.compile("\\bfailed to (?:start|boot|launch|come up)\\b"
      + "|\\b(?:caused|could have caused) (?:a |an )?(?:crash|segfault|panic)\\w*|\\bcrashed\\b", F);
  /** A clause that only sets the scene: "when X is deleted", "if Y was removed". */
  private static final Pattern SCENE = Pattern.compile("\\b(?:when|whenever|if|after|once|where|until|unless|while"
      + "|because|since|that|which|who)\\b", F);
  /** A component or category prefix of a changelog entry: "Alerting: ", "feat(ui): ", "[api] ". */
  private static final Pattern PREFIX = Pattern.compile("^[\\s*+\\-•]*"
      // an issue number that opens the entry ("#16107 - Change …", round 11: "#7123 Rule: Change …"; a linked
      // reference rendered as text), then a component
      + "(?:#\\d+\\s+(?:[-–]\\s+)?)?(?:\\[[^\\]]{1,30}]\\s*|[\\w .()/-]{1,30}!?:\\s+)?");
  /** What an existing deployment serves: its clients' traffic (round 13). */
  private static final Pattern TRAFFIC = Pattern.compile("\\b(?:clients?|requests?|connections?|messages?|logins?"
      + "|queries|sessions?|peers?)\\b", F);
  private static final Pattern NOW_WORD = Pattern.compile("\\bnow\\b", F);
  /** Articles, and "support for", before the object of a lead verb. */
  private static final Pattern SUPPORT_FOR = Pattern.compile("\\s*(?:(?:the|all|any|official|built-in) )*(?:support for )?",
      F);
  /**
   * "Remove X support": the removal's whole object is a name and "support" (an integration, a backend, a platform);
   * only a reference may follow. "X support for Y" narrows it to one setup (an example proxy config): not read.
   */
  private static final Pattern NOUN_SUPPORT = Pattern.compile(
      "[^.;,()]{1,40}?\\w\\s+support\\s*(?:$|[.;(]|#\\d|\\[)", F);
  private static final Pattern CLAUSE_END = Pattern.compile("[.;,:](?:\\s|$)");
  /** Where the object of a lead verb ends. */
  private static final Pattern OBJECT_END = Pattern.compile("\\s(?:from|in|of|when|for|to|on|because|since|as|after|if"
      + "|that|which|so|and|with|\\()\\s|[,;(]", F);
  private static final Pattern BENIGN = Pattern.compile(
      "^\\W*(?:add|added|adds|new|fix|fixed|fixes|improve[sd]?|enhance[sd]?|support(?:s|ed)?|allow(?:s|ed)?"
          + "|optimi[sz]e[sd]?|update[sd]?|bump(?:s|ed)?)\\b|\\bcan now\\b|\\boptional(?:ly)?\\b|\\bdeprecat\\w*", F);

  /** Announced for later: the effect is not done in this release. */
  private static final Pattern LATER = Pattern.compile(
      "\\bwill (?:be )?(?:\\w+ )?(?:removed|dropped|deleted|required|changed|disabled|enabled|renamed|rejected"
          + "|refused|mandatory)\\b|\\bin (?:a|the) (?:future|later|next|upcoming|coming) (?:major )?(?:release|version)s?\\b"
          + "|\\b(?:scheduled|planned) for (?:removal|deletion)\\b|\\bdeprecat\\w*(?: and| but)?", F);
  /** The sentence says the effect does not happen, or that it needs nothing of the operator. */
  private static final Pattern NEGATED = Pattern.compile(
      "\\b(?:not|never|nothing|no \\w+) (?:\\w+ ){0,2}?(?:was |were |has been |have been |is |are |be )?(?:removed|dropped"
          + "|deleted|changed|rejected|refused|required|renamed)\\b|\\bstill works?\\b|\\bcontinues? to work\\b"
          + "|\\b(?:converted|migrated|updated|upgraded|handled|done|applied) (?:\\w+ ){0,2}automatic(?:ally)?\\b"
          + "|\\bautomatic(?:ally)? (?:convert|migrat|upgrad|updat)\\w*|\\bbackwards?[ -]compatible\\b"
          + "|\\bno (?:\\w+ )?action (?:is )?(?:required|needed)\\b", F);

  /**
   * Words for what an operator configures or relies on. A generic noun (option, setting, flag, parameter, variable,
   * argument, path) is in {@link #NAMED_THING}: it counts only when an identifier or code span names it, since "the
   * selected options" of a form are not configuration.
   */
  private static final Pattern OPERATOR = Pattern.compile(
      "\\b(?:config(?:uration)? (?:keys?|files?|options?|values?|settings?|entr(?:y|ies))|configuration"
          + "|env(?:ironment)? (?:variables?|vars?|files?)|\\.env|cli|command[- ]line|sub-?commands?"
          + "|apis?|endpoints?|webhooks?|providers?|backends?|drivers?|routes?|url parameters?|query parameters?"
          + "|adapters?|storage|databases?|postgres\\w*|mysql|mariadb|sqlite|redis|mongodb|s3|ldap|smtp|imap"
          + "|director(?:y|ies)|ports?|headers?|auth|authentication|authori[sz]ation|sso|saml|oidc"
          + "|oauth2?|openid"
          + "|(?:api|access|auth) tokens?|secrets?|certificates?|tls|ssl|proxy|proxies|cookies?|scopes?"
          + "|integrations?|plugins?|extensions?|protocols?|ciphers?|algorithms?|volumes?|listeners?|registration"
          + "|sign-?ups?|support for|versions? of|federation|api keys?)\\b", F);
  /** A generic noun for a configured thing: needs a name ({@link #IDENT}, a code span) beside it. */
  private static final Pattern NAMED_THING = Pattern.compile(
      "\\b(?:settings?|options?|flags?|parameters?|params?|variables?|arguments?|keys?|paths?|values?|attributes?"
          + "|fields?)\\b", F);
  /**
   * A configuration identifier: {@code smtp_host}, {@code --flag}, {@code a.b.c}, {@code /api/v1/x}; not a library's
   * name that happens to have a dot ({@code Node.js}, {@code Vue.js}, {@code socket.io}).
   */
  private static final Pattern IDENT = Pattern.compile(
      "(?:[a-z0-9]+_[a-z0-9_]+|(?<![\\w-])--?[a-z][a-z-]+|\\b[a-z]+(?:\\.[a-z_]+){1,}\\b(?!\\.\\w)(?<!\\.js|\\.ts|\\.io)"
          + "|/api/\\S+)", F);
  /** A code span: {@code `name`}. */
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\s]{1,60}`");
  /** An environment variable as operators write it: {@code SMTP_HOST}. */
  private static final Pattern ENV_NAME = Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b");
  private static final Pattern BUNDLED_VERSION = Pattern.compile("\\bversions?\\b|\\bv?\\d+\\.\\d", F);
  private static final Pattern RUNTIME = Pattern.compile(
      "\\b(?:php|node(?:\\.?js)?|python|ruby|npm|composer|java|jdk|jre|golang|rust|cargo|poetry|pip|yarn|pnpm|bundler)\\b", F);
  /** Something internal, or something no deployment uses. */
  private static final Pattern INTERNAL = Pattern.compile(
      "\\b(?:unused|dead|redundant|invalid|obsolete|duplicate\\w*|stale|leftover|debug\\w*|internal\\w*"
          + "|alpha|beta|experimental|preview|deactivated"
          + "|typos?|tests?|testing|fixtures?|lint\\w*|refactor\\w*|code|codebase|functions?|methods?|class(?:es)?"
          + "|helpers?|comments?|log (?:messages?|lines?)|warnings?|ui|buttons?|icons?|tooltips?|css|styles?|styling"
          + "|themes?|translations?|i18n|strings|dependenc(?:y|ies)|packages?|librar(?:y|ies)|docs|documentation"
          + "|readme|changelog|examples?|animations?|dialogs?|menus?|modals?|colou?rs?|fonts?|sidebar|widgets?"
          + "|build|ci|workflows?|interfaces?|idx|columns?|tables?)\\b|\\b\\w+\\(\\)", F);

  /**
   * @param sentence one sentence or entry, as written
   * @return what it does to an existing deployment
   */
  static Reading read(String sentence) {
    // every pattern is case-insensitive and a code span's backticks are not word characters, so the sentence is read
    // as written, through regions: a note of a million characters allocates no copy per sentence
    String text = sentence.length() > 600 ? sentence.substring(0, 600) : sentence;
    int length = text.length();
    Matcher prefix = PREFIX.matcher(text);
    int start = prefix.lookingAt() ? prefix.end() : 0;
    Matcher relaxed = RELAXED.matcher(text).region(start, length);
    if (relaxed.find()) {
      Found t = target(text, start, length);
      return new Reading(Effect.BENIGN, relaxed.group(), t.target(), t.words(), Tense.NONE);
    }
    Matcher fix = FIX_LEAD.matcher(text).region(start, length);
    if (fix.lookingAt()) {
      Found t = target(text, start, length);
      return new Reading(Effect.BENIGN, fix.group(), t.target(), t.words(), Tense.NONE);
    }
    if (HINT.matcher(text).region(start, length).find()) {
      for (Object[] e : EFFECTS) {
        Pattern p = (Pattern) e[1];
        Matcher m = p.matcher(text).region(start, length);
        boolean lead = p == RENAME_LEAD || p == REMOVAL_LEAD || p == DEFAULT_LEAD || p == REPLACE_LEAD
            || p == NAMES_LEAD;
        while (lead ? m.lookingAt() : m.find()) {
          Effect effect = (Effect) e[0];
          Found t;
          boolean support = endsWithIgnoreCase(text, m.end(), "support for");
          if (lead || support) {
            Matcher skip = SUPPORT_FOR.matcher(text).region(m.end(), length);
            int objStart = skip.lookingAt() ? skip.end() : m.end();
            support |= skip.lookingAt() && endsWithIgnoreCase(text, skip.end(), "support for ");
            t = target(text, objStart, objectEnd(text, objStart));
            if (p == DEFAULT_LEAD && t.target() == Target.UNKNOWN) {
              // "Change the default value for `X` to True": the setting is named after a preposition, in its clause
              Matcher end = CLAUSE_END.matcher(text).region(objStart, length);
              t = target(text, objStart, Math.min(end.find() ? end.start() : length, objStart + 80));
            }
            // "Remove X support" says "support for X" the other way round
            support |= p == REMOVAL_LEAD && NOUN_SUPPORT.matcher(text).region(objStart, length).lookingAt();
            if (support && lead && t.target() == Target.UNKNOWN) {
              t = new Found(Target.OPERATOR, "support for"); // a platform or integration an existing setup relies on
            }
            if (p == REPLACE_LEAD || p == NAMES_LEAD) {
              Matcher names = NAMES_END.matcher(text).region(objStart, length);
              t = p == REPLACE_LEAD ? replacedName(text, objStart, length)
                  : names.find() && names.start() > objStart ? target(text, objStart, names.start())
                  : new Found(Target.UNKNOWN, "");
              if (t.target() != Target.OPERATOR) {
                break; // no setting renamed: the entry's other verbs are read as before
              }
            } else if (p == RENAME_LEAD && t.target() == Target.UNKNOWN) {
              // "Rename X arguments from A to B" (round 13): the pair of names says what the generic noun names
              int end = objectEnd(text, objStart);
              Matcher thing = NAMED_THING.matcher(text).region(objStart, end);
              if (thing.find() && NAME_PAIR.matcher(text).region(end, length).lookingAt()
                  && !INTERNAL.matcher(text).region(objStart, end).find()) {
                t = new Found(Target.OPERATOR, thing.group());
              }
            }
          } else {
            int window = Math.max(start, m.start() - 80);
            int from = window;
            for (int k = m.start() - 1; k >= from; k--) {
              char c = text.charAt(k);
              if (c == ',' || c == ';' || c == ':') {
                from = k + 1;
                break;
              }
            }
            if (SCENE.matcher(text).region(from, m.start()).find()) {
              continue; // a scene-setting clause ("when X is deleted"): look for the entry's own effect further on
            }
            // a default change names its thing inside ("the default X format changed"); a predicate that opens the
            // entry ("Changed the default X") or takes an object ("no longer adds X") names it after
            int to = p == DEFAULT_CHANGE ? m.end() : m.start();
            t = target(text, from, to);
            if (t.target() == Target.UNKNOWN && from > window) {
              t = target(text, window, to); // an aside between commas ("X, deprecated in 2.1, has been removed")
            }
            if (p == REMOVAL_TRANSITIVE || p == REQUIREMENT_TRANSITIVE || to - from < 3) {
              t = either(t, target(text, m.end(), objectEnd(text, m.end())));
            }
            if (p == REFUSAL && t.target() == Target.UNKNOWN && NOW_WORD.matcher(m.group()).find()) {
              // traffic an existing deployment serves, refused now (round 13: "These clients are now rejected",
              // "will now reject messages that …"), whatever the sentence calls it
              Matcher traffic = TRAFFIC.matcher(text).region(from, objectEnd(text, m.end()));
              if (traffic.find()) {
                t = new Found(Target.OPERATOR, traffic.group());
              }
            }
          }
          if (effect == Effect.START_FAILURE && PAST_FAILURE.matcher(text).region(start, length).find()
              && !WILL.matcher(text).region(start, length).find()) {
            return new Reading(effect, m.group().strip(), t.target(), t.words(), Tense.NONE); // the fixed bug's
          }
          return new Reading(effect, m.group().strip(), t.target(), t.words(), tense(text, start, effect));
        }
      }
    }
    Matcher benign = BENIGN.matcher(text).region(start, length);
    if (!benign.find()) {
      return new Reading(Effect.NONE, "", Target.UNKNOWN, "", Tense.NONE);
    }
    Found t = target(text, start, length);
    return new Reading(Effect.BENIGN, benign.group().strip(), t.target(), t.words(), Tense.NONE);
  }

  /**
   * What "Replace(d) X with / by Y" replaced, when it is a rename of a setting (round 13): X is a bare configured name
   * (an environment variable, a key, a section/key path; "the `X` variable") and Y names a setting too (a name, or a
   * configuration noun before the first clause break or parenthesis). A tool, a library, code or a UI element
   * replaced is unknown here: it is no setting an existing deployment has.
   */
  private static Found replacedName(String text, int from, int length) {
    Matcher by = WITH_OR_BY.matcher(text).region(from, length);
    if (!by.find()) {
      return new Found(Target.UNKNOWN, "");
    }
    Matcher bare = BARE_NAME.matcher(text).region(from, by.start());
    if (!bare.matches()) {
      return new Found(Target.UNKNOWN, "");
    }
    String name = bare.group(1);
    int end = objectEnd(text, by.end());
    // a generic noun suffices for the replacement ("by the new option `bind`") when the old name is a setting's
    boolean noun = NAMED_THING.matcher(text).region(from, end).find();
    boolean setting = target(text, by.end(), end).target() == Target.OPERATOR || noun;
    // an environment variable is a setting by its form; a lower-case identifier (`lib_x`, a package) only with a
    // configuration noun beside it
    boolean configured = ENV_NAME.matcher(name).find() || IDENT.matcher(name).find() && noun;
    if (!configured || !setting || INTERNAL.matcher(text).region(from, end).find()) {
      return new Found(Target.UNKNOWN, "");
    }
    return new Found(Target.OPERATOR, name);
  }

  private static final Object[][] EFFECTS = {{Effect.START_FAILURE, START_FAILURE}, {Effect.DATA_CHANGE, DATA_CHANGE},
      {Effect.REQUIREMENT, REQUIREMENT}, {Effect.REQUIREMENT, REQUIREMENT_TRANSITIVE}, {Effect.REFUSAL, REFUSAL},
      {Effect.DEFAULT_CHANGE, DEFAULT_CHANGE}, {Effect.DEFAULT_CHANGE, DEFAULT_LEAD}, {Effect.DEFAULT_CHANGE, VALUE_NOW},
      {Effect.RENAME, RENAME_LEAD}, {Effect.RENAME, REPLACE_LEAD}, {Effect.RENAME, NAMES_LEAD}, {Effect.RENAME, RENAME}, {Effect.REMOVAL, REMOVAL_LEAD}, {Effect.REMOVAL, REMOVAL},
      {Effect.REMOVAL, REMOVAL_TRANSITIVE}};

  /** Every breaking effect's verbs start with one of these: one pass decides whether the others need to run. */
  private static final Pattern HINT = Pattern.compile("\\b(?:fail|refuse|reject|den|won't|will not|no longer|exit|abort|crash"
      + "|database|storage|data|on-disk|index|schema|db|file|incompatible|older|previous|is|are|was|were|has|have"
      + "|now|must|get|gets|chang|default|by default|per default|renam|remov|drop|delet|discontinu|we|this"
      + "|requir|need|you|adjust|set|switch|increas|decreas|rais|lower|reduc|bump|minimum|replac|prevent)", F);

  /**
   * @param sentence one sentence or entry
   * @return false when no breaking effect can be read in it (one pass of one pattern): a cheap test before {@link #read}
   */
  static boolean mayBreak(String sentence) {
    return HINT.matcher(sentence).find();
  }

  /**
   * @param sentence one sentence or entry
   * @return true when it names code, tests or something unused anywhere, not only where its object stands
   */
  static boolean namesInternal(String sentence) {
    // the window read() reads, without a copy
    return INTERNAL.matcher(sentence).region(0, Math.min(sentence.length(), 600)).find();
  }

  private static boolean endsWithIgnoreCase(String text, int end, String suffix) {
    int from = end - suffix.length();
    return from >= 0 && text.regionMatches(true, from, suffix, 0, suffix.length());
  }

  /** Where the object after a verb ends: the first preposition or clause break, at most 80 characters on. */
  private static int objectEnd(String text, int from) {
    Matcher end = OBJECT_END.matcher(text).region(from, text.length());
    int to = end.find() ? end.start() : text.length();
    return Math.max(from, Math.min(to, from + 80));
  }

  private static final Pattern WILL = Pattern.compile("\\b(?:will|would|in a future)\\b", F);
  private static final Pattern[] NOW_FORMS = {START_FAILURE, DATA_CHANGE,
      Pattern.compile(REQUIREMENT.pattern() + "|" + REQUIREMENT_TRANSITIVE.pattern(), F), REFUSAL,
      Pattern.compile(DEFAULT_CHANGE.pattern() + "|" + DEFAULT_LEAD.pattern() + "|" + VALUE_NOW.pattern(), F),
      Pattern.compile(RENAME.pattern() + "|" + RENAME_LEAD.pattern() + "|" + REPLACE_LEAD.pattern() + "|"
          + NAMES_LEAD.pattern(), F),
      Pattern.compile(REMOVAL.pattern() + "|" + REMOVAL_LEAD.pattern() + "|" + REMOVAL_TRANSITIVE.pattern(), F)};

  private static Tense tense(String text, int start, Effect effect) {
    if (NEGATED.matcher(text).region(start, text.length()).find()) {
      return Tense.NEGATED;
    }
    Matcher later = LATER.matcher(text).region(start, text.length());
    if (!later.find()) {
      return Tense.NOW;
    }
    // "deprecated in 1.2 and removed now" is done now: without the announcement, the effect must still be there
    String rest = LATER.matcher(text.substring(start)).replaceAll(" ");
    Pattern p = switch (effect) {
      case START_FAILURE -> NOW_FORMS[0];
      case DATA_CHANGE -> NOW_FORMS[1];
      case REQUIREMENT -> NOW_FORMS[2];
      case REFUSAL -> NOW_FORMS[3];
      case DEFAULT_CHANGE -> NOW_FORMS[4];
      case RENAME -> NOW_FORMS[5];
      default -> NOW_FORMS[6];
    };
    return p.matcher(rest).find() && !WILL.matcher(rest).find() ? Tense.NOW : Tense.LATER;
  }

  private record Found(Target target, String words) {}

  /** Subject and object together: internal wins, then operator-facing. */
  private static Found either(Found a, Found b) {
    for (Target t : new Target[] {Target.INTERNAL, Target.OPERATOR, Target.RUNTIME}) {
      if (a.target() == t) {
        return a;
      }
      if (b.target() == t) {
        return b;
      }
    }
    return a;
  }

  /**
   * What the effect acts on, read in its window (the object after a lead verb, the subject before a predicate);
   * internal words win (an unused option, a test flag), unless an environment variable is named outright.
   */
  /**
   * The next internal word that is not part of a configured name: "class" in {@code ingress.class} or inside a code
   * span names a key, not the code's classes (a {@code call()} stays code wherever it is written). Asked only where a
   * configuration noun stands beside the name.
   */
  private static boolean findOutsideNames(Matcher internal, String text) {
    while (internal.find()) {
      int a = internal.start();
      int b = internal.end();
      boolean joined = a > 0 && ".:_/-".indexOf(text.charAt(a - 1)) >= 0
          || b < text.length() - 1 && ".:_/".indexOf(text.charAt(b)) >= 0 && Character.isLetterOrDigit(text.charAt(b + 1));
      if (internal.group().endsWith("()") || !joined && !inCodeSpan(text, a)) {
        return true;
      }
    }
    return false;
  }

  /** Whether position {@code at} lies inside a backtick code span (an odd number of backticks before it). */
  private static boolean inCodeSpan(String text, int at) {
    int ticks = 0;
    for (int k = 0; k < at; k++) {
      if (text.charAt(k) == '`') {
        ticks++;
      }
    }
    return ticks % 2 == 1;
  }

  private static Found target(String text, int from, int to) {
    Matcher env = ENV_NAME.matcher(text).region(from, to);
    boolean named = env.find();
    Matcher internal = INTERNAL.matcher(text).region(from, to);
    // an internal word inside a name counts as the name's part only where a configuration noun says what the name is
    // ("the `ingress.class` value"); a bare file or code name ("`template.css`") keeps its internal word
    boolean configNoun = NAMED_THING.matcher(text).region(from, to).find();
    if (!named && (configNoun ? findOutsideNames(internal, text) : internal.find())) {
      return new Found(Target.INTERNAL, internal.group());
    }
    if (named) {
      return new Found(Target.OPERATOR, env.group());
    }
    Matcher operator = OPERATOR.matcher(text).region(from, to);
    if (operator.find()) {
      Matcher runtime = RUNTIME.matcher(text).region(from, to);
      // "support for" and "version of" say nothing of their own: the runtime they name is the image's
      if (operator.group().matches("(?i)support for|versions? of") && !operator.find() && runtime.find()) {
        return new Found(Target.RUNTIME, runtime.group());
      }
      // SQLite is a library inside the image, not a service the operator runs: its version is the image's business
      // (that SQLite stops being supported as a database at all still reaches the deployment)
      if (operator.reset().region(from, to).find() && operator.group().equalsIgnoreCase("sqlite") && !operator.find()
          && BUNDLED_VERSION.matcher(text).region(from, to).find()) {
        return new Found(Target.RUNTIME, "sqlite");
      }
      return new Found(Target.OPERATOR, operator.reset().region(from, to).find() ? operator.group() : "");
    }
    Matcher ident = IDENT.matcher(text).region(from, to);
    Matcher thing = NAMED_THING.matcher(text).region(from, to);
    if (thing.find() && (ident.find() || CODE_SPAN.matcher(text).region(from, to).find())) {
      return new Found(Target.OPERATOR, thing.group());
    }
    if (ident.reset().region(from, to).find()) {
      return new Found(Target.OPERATOR, ident.group());
    }
    Matcher runtime = RUNTIME.matcher(text).region(from, to);
    return runtime.find() ? new Found(Target.RUNTIME, runtime.group()) : new Found(Target.UNKNOWN, "");
  }

}
