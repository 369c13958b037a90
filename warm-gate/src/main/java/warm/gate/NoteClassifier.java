package warm.gate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one release note the way an operator would: section by section, sentence by sentence, and says which
 * sentences demand an operator (the policy of docs/gate.md). A sentence holds when it asks the operator to act, or
 * announces a change that breaks an existing deployment (a removal, a changed default, a data change that is not
 * automatic, an upgrade path, a backup); it does not hold when it is a deprecation, an opt-in feature, a change the
 * software makes itself, a change to a platform this deployment does not use, or a routine item in a bug-fix,
 * documentation, dependency or internal section. Errs towards holding where the words are ambiguous.
 */
final class NoteClassifier {
  /** A quoted sentence is cut to this many characters. */
  static final int MAX_QUOTE_CHARS = 240;
  /** A note whose text is more than this share of U+FFFD and control characters is not text: fail safe. */
  static final double MAX_GARBAGE_SHARE = 0.10;

  /** What a sentence says, as far as the gate is concerned. */
  enum SentenceClass {
    /** An operator-configured phrase ({@code gate.markers}, {@code --marker}). */
    MARKER(true),
    /** Says outright that it breaks: "breaking change", "not backwards compatible", "feat!:". */
    BREAKING(true),
    /** An upgrade path that must be followed: do not skip, one major at a time, no downgrade. */
    UPGRADE_PATH(true),
    /** A backup demanded before the upgrade. */
    BACKUP(true),
    /** Data lost or changed irreversibly. */
    DATA_LOSS(true),
    /** A data or schema change the operator must run or that cannot be undone. */
    MIGRATION(true),
    /** The operator must do something: "you must", "action required", "run … after upgrading". */
    REQUIREMENT(true),
    /** An option, provider, setting or platform removed. */
    REMOVAL(true),
    /** A changed default or behaviour stated descriptively: "now rejects", "no longer sent", "default changed". */
    BEHAVIOUR_CHANGE(true),
    /** An item of a "Breaking changes" section. */
    BREAKING_SECTION(true),
    /** Deprecated but still working. */
    DEPRECATION(false),
    /** A new feature the deployment does not use until it opts in. */
    OPT_IN(false),
    /** Says no action is needed, or that the software does it itself. */
    NO_ACTION(false),
    /** Advice for a setup only some deployments have ("if you use X, make sure to …"), without an obligation. */
    CONDITIONAL(false),
    /** Concerns only a platform or integration the deployment does not use. */
    OUT_OF_SCOPE(false),
    /** Nothing for the operator. */
    ROUTINE(false);

    private final boolean holds;

    SentenceClass(boolean holds) {
      this.holds = holds;
    }

    boolean holds() {
      return holds;
    }
  }

  /**
   * One sentence and how it was read.
   *
   * @param heading the heading path joined with " › "
   * @param section the section's kind (after a bullet's own category prefix)
   * @param cls the sentence's class
   * @param holds true when this sentence holds the upgrade
   * @param why the words that decided it
   * @param line the 1-based line of its block
   * @param text the sentence
   */
  record Classified(String heading, SectionKind section, SentenceClass cls, boolean holds, String why, int line,
      String text, boolean anywhere) {
    Classified(String heading, SectionKind section, SentenceClass cls, boolean holds, String why, int line,
        String text) {
      this(heading, section, cls, holds, why, line, text, false);
    }

    String quote() {
      return text.length() <= MAX_QUOTE_CHARS ? text : text.substring(0, MAX_QUOTE_CHARS) + "…";
    }
  }

  /**
   * A whole note's reading.
   *
   * @param sentences every sentence, in order
   * @param unreadable why the note is not text (then it holds, fail safe), or null
   */
  record Verdict(List<Classified> sentences, String unreadable) {
    List<Classified> holding() {
      return sentences.stream().filter(Classified::holds).toList();
    }
  }

  private record Signal(SentenceClass cls, boolean anywhere, Pattern pattern) {}

  private static final int F = Pattern.CASE_INSENSITIVE;
  private static final String UPGRADING = "(?:upgrad|updat|deploy|redeploy|install|migrat|switch)\\w*";
  private static final String CONFIG_THING = "(?:option|setting|flag|variable|env(?:ironment)?(?: var\\w*)?|"
      + "parameter|param|provider|endpoint|api|field|property|header|argument|config(?:uration)?(?: key| file)?|key|"
      + "command|backend|driver|integration|plugin|feature|mode|support|directive|label|path|url|route|port|volume|"
      + "secret|permission|scope|claim|cookie|role|module|extension|method|algorithm|cipher|protocol|format|value)s?";
  /** A configuration identifier in lower-cased text: {@code smtp_host}, {@code --flag}, {@code a.b.c}. */
  private static final String IDENT = "(?:[a-z0-9]+_[a-z0-9_]+|--[a-z][a-z-]+|[a-z]+(?:\\.[a-z_]+){2,})";
  private static final String THING = "(?:" + CONFIG_THING + "|" + IDENT + ")";
  /** What "… your X" must be about to be an instruction to the operator rather than to an end user. */
  private static final String DEPLOYMENT_THING = "(?:config\\w*|instance|server|setup|deployment|database|db|"
      + "reverse proxy|proxy|env\\w*|\\.env|installation|data|volumes?|compose\\w*|docker\\w*|secrets?|settings|"
      + "nginx|apache|traefik|web ?server|ldap|oidc|sso|smtp|storage|backups?|cron\\w*|workers?|directory|folder|"
      + "homeserver|site|admin\\w*|certificates?|keys?|tokens?|clients?|redis|postgres\\w*|mysql|mariadb|"
      + "plugins?|extensions?|modules?|" + IDENT + ")";

  /**
   * A new setting, value or secret that the release requires, even said in passing ("a new X value is required to
   * …"): an existing deployment lacks it.
   */
  private static final String REQUIRED_NEW = "(?<!\\bno )\\bnew\\b(?:[^.]|\\.(?=\\w)){0,40}?\\b(?:settings?|values?|entry|entries"
      + "|options?|variables?|keys?|secrets?|parameters?|config\\w*)\\b(?:[^.]|\\.(?=\\w)){0,30}?\\b(?:is|are) (?:now )?"
      + "required\\b";
  private static final Pattern REQUIRED_NEW_P = Pattern.compile(REQUIRED_NEW, Pattern.CASE_INSENSITIVE);

  /** Negation and automation: the note itself says the operator has nothing to do. */
  private static final Pattern NO_ACTION = Pattern.compile(
      "\\bno (?:manual |further |special |additional |operator |user |immediate |configuration |config )?"
          + "(?:action|intervention|changes?|steps?|work) (?:is |are )?(?:required|needed|necessary)\\b"
          + "|\\b(?:does|do|will|should) not (?:require|need) (?:any )?(?:\\w+ )?(?:action|intervention|steps?|changes?|work)\\b"
          + "|\\bfor information only\\b|\\bno longer (?:need|have) to\\b"
          + "|\\b(?:action|changes?|steps?) (?:is |are )?not (?:required|needed|necessary)\\b"
          + "|\\bnothing (?:to do|needs to be done|is required|to change)\\b|\\bno need to\\b"
          + "|\\bno (?:new |additional |further )?(?:settings?|configuration|config|options?|variables?|secrets?)"
          + "(?: changes?)? (?:is |are )?(?:required|needed|necessary)\\b"
          + "|\\bno (?:other |further |more )?(?:breaking|backwards?[ -]incompatible) changes?\\b|\\bnon-?breaking\\b"
          + "|\\bnot (?:really |actually )?(?:a )?breaking\\b|\\b(?:is|are) not affected\\b"
          + "|\\bkeep(?:s|ing)? backwards?[ -]compat\\w*"
          + "|\\bwithout (?:any )?(?:manual|operator|user) (?:action|intervention|steps?)\\b"
          + "|(?<!not )(?<!not fully )\\b(?:fully |remains? |is |are |stays? |still )backwards?[ -]compatible\\b"
          + "|\\b(?:runs?|ran|applied|performed|happens?|handled|done|migrated|executed|upgraded|converted|created"
          + "|updated|generated|rebuilt|reindexed|triggered|run) (?:\\w+ ){0,3}automatic(?:ally)?\\b"
          + "|\\bautomatic(?:ally)? (?:\\w+ ){0,3}(?:on (?:start|startup|boot|first start)|at (?:start|startup|boot))\\b"
          + "|\\bautomatic(?:ally)? (?:run|runs|applied|performed|migrat\\w*|upgrad\\w*|convert\\w*|handled|updated"
          + "|reindex\\w*|rebuil\\w*)\\b|\\bautomatic (?:migration|upgrade|conversion|schema)"
          + "|\\bautomatic(?:ally)? (?:re-?\\w+|regenerat\\w*|recreat\\w*|detect\\w*|creat\\w*|generat\\w*)"
          + "|\\bmigrations? (?:is|are|will be|gets?) (?:applied|performed|run|executed) (?:when|on|at|during)\\b"
          + "|\\btransparent(?:ly)?\\b|\\bcontinues? to work\\b|\\bstill works?\\b|\\bwill keep working\\b"
          + "|\\bdrop-in replacement\\b|\\bno longer (?:required|needed|necessary)\\b|\\bseamless(?:ly)?\\b"
          + "|^(?:none|n/?a|nothing|no(?:ne)? breaking changes?)\\W*$", F);

  /**
   * Two more negations (round 12), asked only after a cheap cue ("no change", "maintains"): a release introduction that
   * denies a change of format ("no changes to the config file format or database format"), and the product keeping
   * the old form working ("X maintains backwards compatibility"; "we don't maintain …" is no such thing).
   */
  private static final Pattern DENIED_CHANGE = Pattern.compile(
      "\\bno changes? to (?:the )?(?:config(?:uration)?|database|db|data|storage|on-disk)(?: file)? (?:format|layout"
          + "|schema)\\b|(?<!n't )(?<!not )\\bmaintains (?:full )?backwards?[ -]compat\\w*", F);

  private static final Pattern OPT_IN = Pattern.compile(
      "\\b(?:to|if you (?:want|wish|would like|'d like|plan) to|in order to) (?:use|enable|try|activate|take advantage of"
          + "|benefit from|opt[ -]in|turn on|make use of)\\b|\\bopt[ -]?in\\b|\\boptional(?:ly)?\\b"
          + "|(?<!now )(?<!been )\\b(?:disabled|off|not enabled) by default\\b|\\byou can (?:now |also |optionally )?\\w+"
          + "|\\b(?:can|may) (?:now )?(?:also )?(?:be )?(?:enabled|configured|turned on|activated)\\b"
          + "|\\bif (?:you (?:want|prefer|wish|need)|desired|needed|wanted)\\b|\\bexperimental\\b"
          + "|\\b(?:new|added|adds|add) (?:an? )?(?:optional |new )?(?:feature|option|setting|flag|support)\\b", F);

  private static final Pattern DEPRECATION = Pattern.compile("\\bdeprecat\\w*|\\bwill be (?:removed|dropped)\\b"
      + "|\\bin a (?:future|later|next|upcoming) (?:major )?(?:release|version)\\b|\\bscheduled for removal\\b"
      + "|\\bplanned for removal\\b|\\bend[ -]of[ -]life\\b", F);
  private static final Pattern REMOVED_NOW = Pattern.compile(
      "\\b(?:has|have) (?:now )?been (?:removed|dropped)\\b|\\b(?:removes|drops) (?:the )?support\\b"
          + "|\\b(?:removed|dropped) support\\b|\\bwas deprecated (?:in|since) \\w*\\s?v?\\d|\\b(?:was|were|is|are) (?:now )?(?:removed|dropped|gone)\\b"
          + "|\\bno longer (?:supported|available|exists?|works?)\\b"
          // an entry whose own verb is a removal in the past ("Removed the deprecated X") did it in this release
          + "|^\\W*(?:we(?:'ve| have) )?(?:removed|dropped|deleted)\\b", F);
  /** An entry's own removal verb in any form, behind an issue number ("#123 Remove deprecated `--x` flag."). */
  private static final Pattern REMOVAL_ENTRY = Pattern.compile(
      "^\\W*(?:\\d+\\s+(?:[-–]\\s+)?)?(?:remove[sd]?|drop(?:s|ped)?|delete[sd]?)\\b", F);

  private static final Pattern STRONG_BREAKING = Pattern.compile(
      "\\bbreaking[ -]changes?\\b|^\\W*breaking\\b|\\bbc[ -]breaks?\\b|\\bnot backwards?[ -]compatible\\b|\\bbackwards?[ -]incompatible\\b"
          + "|(?<!\\bwas )(?<!\\bwere )\\bno longer (?:backwards? )?compatible\\b|\\bbreaks? (?:existing|your|backwards|compatibility)"
          + "|\\bwill break\\b|\\bincompatible with (?:previous|older|existing|earlier|prior)\\b", F);
  /**
   * A breaking change that this release does not make (round 7): announced for a later one ("the next major will bring
   * breaking changes", "will break in a future version"), only possible ("could represent a breaking change"; not "if
   * you …", which is a setup's), denied ("should not be a breaking change"), or another release's ("the 4.14.0 release
   * notes introduced breaking changes").
   */
  private static final Pattern LATER_BREAKING = Pattern.compile(
      "\\b(?:could|might|may|would)\\b(?:\\s+\\w+){0,4}\\s+(?:some |a |any |more )?breaking\\b"
          + "(?![^.]{0,80}\\bif\\b)"
          + "|\\bwill\\b(?:\\s+\\w+){0,4}\\s+(?:some |a |any |more )?breaking\\b"
          + "(?=[^.]{0,80}\\b(?:future|next|upcoming|later)\\b)"
          + "|\\b(?:next|upcoming|future|later) (?:\\w+ ){0,3}(?:will|would|could|might|may)\\b(?:\\s+\\w+){0,3}\\s+"
          + "(?:some |a |any |more )?breaking\\b"
          + "|\\bwill (?:start to develop|start with)\\b.{0,60}\\bbreaking\\b|\\bbefore we start\\b.{0,30}\\bbreaking\\b"
          + "|\\bwill break in (?:a |the )?(?:future|next|later)\\b"
          // an incompatibility only possible, or announced for a later release (round 12, F-LATER): "its configuration
          // may have backwards-incompatible changes in the future", "the next major might bring incompatible changes"
          + "|\\b(?:could|might|may|will)\\b(?:\\s+\\w+){0,4}\\s+(?:some |more |further )?(?:backwards?[ -])?incompatib\\w*"
          + "(?=[^.]{0,60}\\b(?:future|next|upcoming|later)\\b)"
          + "|\\b(?:next|upcoming|future|later) (?:\\w+ ){0,3}(?:will|would|could|might|may)\\b(?:\\s+\\w+){0,3}\\s+"
          + "(?:some |a |any |more )?(?:backwards?[ -])?incompatib\\w*"
          + "|\\b(?:shouldn't|should not|isn't|is not|aren't|are not|none of these are) (?:really )?(?:be )?(?:a )?breaking\\b"
          + "|\\bto avoid (?:\\w+ )?breaking\\b|\\bnotes? (?:of \\S+ )?(?:introduced|had|contained|listed) breaking\\b", F);
  private static final Pattern BREAK_VERB = Pattern.compile("^(?:breaks?|will break)\\b", F);
  private static final Pattern FIX_REPORT = Pattern.compile(
      "^\\W*(?:fix(?:es|ed)?|prevent(?:s|ed)?|avoid(?:s|ed)?|revert(?:s|ed)?)\\b", F);
  /** Words that address the operator, or time a step around the upgrade: a fix report with them still asks. */
  private static final Pattern TO_THE_OPERATOR = Pattern.compile("\\b(?:you|your|operators?|admins?|administrators?"
      + "|must|need to|needs to|have to|has to|before|after|manual(?:ly)?|run)\\b", F);
  private static final Pattern WITHOUT_BREAKING = Pattern.compile("\\bwithout (?:\\w+ )?breaking\\b", F);
  private static final Pattern CATEGORY = Pattern.compile(
      "^(?:\\[([a-z][a-z /-]{0,24})]|([a-z]{2,14}(?: [a-z]{2,14}){0,2})(?:\\([^)]{0,40}\\))?(!)? ?:)\\s*", F);
  private static final Pattern WEAK_BREAKING = Pattern.compile(
      "\\bincompatib\\w*|\\bbreaks\\b|^\\W*(?:attention|warning|important|caution|heads[ -]up|note well|n\\.b\\.)\\W*[:!]"
          + "|\\battention\\b|⚠", F);

  private static final Pattern WARNING_OPENER = Pattern.compile(
      "^\\W*(?:attention|warning|important|caution|heads[ -]up|note well|n\\.b\\.)\\W*[:!]", F);
  /** What a security advisory announces: a fixed CVE or vulnerability. */
  private static final Pattern SECURITY_FIX = Pattern.compile("\\bcve-\\d{4}-\\d+|\\bfix(?:es|ed)? (?:a |an |the |several "
      + "|multiple |\\w+ )?(?:security (?:issues?|vulnerabilit\\w+|bugs?|holes?)|vulnerabilit\\w+)", F);

  private static final List<Signal> SIGNALS = List.of(
      s(SentenceClass.UPGRADE_PATH, true,
          "\\bone major (?:version|release)s? at a time\\b|\\b(?:do not|don't|never|cannot|can't|must not|mustn't|not"
              + " possible to|not supported to|unable to) (?:directly |simply )?(?:upgrade|skip|jump|update|go)"
              + " (?:directly )?(?:from|to|over|past|any)\\b|\\b(?:do not|don't|never|cannot|can't|must not) skip"
              // what is skipped is a version or a step: "don't skip OCR" is a fix, not an upgrade path
              + " (?:over |past )?(?:this |that |the |any |a |an )?(?:it\\b|(?:\\S+ )?(?:versions?|releases?|majors?|minors?"
              + "|upgrades?|updates?|steps?|migrations?)\\b|v?\\d)"
              + "|\\bskip(?:ping)? (?:a |any |over )?(?:major )?(?:versions?|releases?)\\b"
              + "|\\bintermediate (?:version|release|upgrade)\\b"
              // "after the first update to direct people …" names an event (round 13), not a path
              + "|(?<!\\bthe )(?<!\\ba )\\b(?:first |must first )(?:upgrade|update|migrate) to\\b"
              + "|\\b(?:upgrade|update) to [^.]{0,40}\\bfirst\\b"
              + "|\\bdowngrad\\w* (?:is|are|will be) (?:not|no longer) (?:supported|possible)\\b"
              + "|\\bcannot (?:be )?(?:downgrade|rolled back|roll back|revert)|\\bno (?:way to |path to )?downgrade"),
      s(SentenceClass.BACKUP, true,
          "\\bback(?:ing)?[ -]?ups?\\b[^.]{0,80}?\\b(?:before|first|prior)\\b"
              + "|\\b(?:make|take|create|have|perform) (?:a |an |sure (?:you have |to (?:make|take) )(?:a )?)?"
              + "(?:fresh |full |recent |complete |proper )?back[ -]?up\\b(?! (?:feature|option|endpoint|job|api|ui))"
              + "|\\bback up (?:your|the|all|any)\\b"),
      s(SentenceClass.DATA_LOSS, false,
          "\\bdata[ -]loss\\b|\\bdestructive\\b|\\birreversibl\\w*|\\bcannot be (?:undone|reverted|rolled back)\\b"
              + "|\\b(?:will|would) (?:delete|erase|wipe|reset|drop|purge|remove) (?:all |any |the |your |existing )?"
              + "(?:\\w+ )?(?:data|database|tables?|columns?|indexe?s?|files|uploads|attachments|sessions|tokens|cache|records"
              + "|rows|volumes?|accounts?|history|messages|media|content|keys)\\b"
              + "|\\b(?:are|will be|get) (?:all )?(?:invalidated|wiped|purged|lost)\\b"
              + "|\\bnot reversible\\b|\\bone-way\\b"),
      s(SentenceClass.REQUIREMENT, true,
          "(?<!\\bif )\\b(?:you|operators?|admins?|administrators?|self-?hosters?|instance (?:owners?|admins?))"
              + "(?: will| may| might| would| now| also| then)? (?:must|need to|needs to|have to|has to)\\b"
              + "|(?<!\\bno )\\baction (?:is )?(?:required|needed)\\b|\\b(?:requires?|needs?) (?:manual|operator|admin|user)"
              + " (?:action|steps?|work|intervention)\\b|\\bmanual(?:ly)? (?:step|action|intervention|migration|change"
              + "|update|upgrade|fix|work)s?\\b|\\bintervention (?:is )?(?:required|needed)\\b|\\bby hand\\b"
              + "|\\b(?:before|prior to) (?:you )?" + UPGRADING + "\\b"
              + "|\\b(?:run|execute)\\b[^.]{0,120}?\\b(?:before|after|prior to|once)\\b[^.]{0,30}?\\b" + UPGRADING
              + "|\\b(?:after|once) (?:you )?(?:have )?" + UPGRADING + "\\b[^.]{0,60}?\\b(?:run|execute|log ?in|go to"
              + "|visit|open|re-?create|restart|delete|remove|set|change|update|you)\\b"
              + "|\\b(?:please )?(?:update|change|set|add|remove|delete|run|migrate|rename|replace|adjust|edit|modify"
              + "|reconfigure|check|review|back ?up|recreate|regenerate|convert|move|copy|clear|rotate|re-?import)"
              + "\\b[^.]{0,60}?\\byour (?:own )?(?:\\w+ ){0,2}" + DEPLOYMENT_THING + "\\b"
              + "|\\b(?:see|read|follow|consult|check) (?:the |our )?(?:upstream )?(?:upgrade|upgrading|migration|update)"
              // "chown()" names the system call a code change uses (round 12), not a step
              + " (?:guide|instructions|notes|steps|documentation|docs|manual)\\b|\\bchown\\b(?!\\s*\\()"
              + "|\\babra app (?:config|cmd|run|secret|restore|backup|undeploy|volume)\\b|\\bsecret (?:generate|insert|rm)\\b"
              + "|\\b(?:edit|update|change|add|set|adjust|rename|remove)\\b[^.]{0,60}?\\.env\\b(?!\\.sample)"
              + "|\\bmajor upstream (?:upgrade|update|version|release|bump)\\b|\\bundeploy\\b"
              + "|\\bnew (?:required )?(?:secrets?|environment variables?|env vars?)\\b|\\b(?:is|are) now required\\b"
              + "|" + REQUIRED_NEW
              // a reminder to the operator, in passing or in parentheses, is still a step on the deployment
              + "|\\b(?:don't|do not|never) forget to (?:run|update|set|change|add|remove|migrate|back ?up|restart|apply"
              + "|adjust|edit|configure|install|upgrade|create|delete|copy|move|rename|re-?\\w+)\\b"
              + "|\\brequired (?:env|environment|variable|secret|setting|config|option|parameter)"),
      // a stricter default: what existing setups sent or accepted unchecked is now checked, wherever it is listed
      s(SentenceClass.BEHAVIOUR_CHANGE, true,
          "\\b(?:verif(?:y|ies)|validates?|enforces?|requires?|rejects?|refuses?|blocks?|denies|deny|forbids?|disallows?"
              // what is refused may take a list of names (round 11: "Deny link-local / ULA / site-local peers …")
              + "|checks?)\\b[^.]{0,80}?"
              + "\\bby default\\b"),
      s(SentenceClass.REQUIREMENT, false,
          "\\bmust (?:now |also |first |then )?(?:be )?(?:set|configured|changed|updated|added|removed|run|executed|migrated"
              + "|provided|specified|defined|enabled|disabled|installed|upgraded|replaced|renamed|adjusted|regenerated"
              + "|recreated|created|granted|checked|reviewed|re-?\\w+)\\b"
              + "|\\b(?:must|need to|needs to|have to|has to) (?:manually |explicitly |now |also |first )?(?:set|configure"
              + "|change|update|add|remove|run|execute|migrate|provide|specify|define|enable|disable|install|upgrade"
              + "|replace|rename|adjust|regenerate|recreate|create|grant|edit|move|copy|delete|back ?up|check|review)\\b"
              + "|\\bmandatory\\b|\\b(?:is|are) required\\b|\\bnow requires?\\b|\\bmake sure (?:to|that|you|your)\\b"
              // a step asked as "be sure to" (round 12, M-STEP); "be sure to check / abort …" asks for no step
              + "|\\bbe sure to (?:run|execute|apply|perform|migrate)\\b"
              + "|\\bensure (?:that )?(?:you|your)\\b|\\b(?:you|operators?|admins?) (?:should|may need to|might need to)\\b"
              + "|\\b(?:needs?|has|have) to be \\w+|\\bneeds? (?:updating|upgrading|changing|migrating|replacing)\\b"
              + "|(?:^|, )(?:please )?(?:set|configure|change|update|add|remove|rename|replace|adjust|edit|define|export)"
              + " (?:the )?(?:\\w+ ){0,2}" + IDENT
              + "|\\brequires? (?:at least |a minimum of )?(?:postgres(?:ql)?|mysql|mariadb|redis|node(?:\\.js)?|java"
              + "|php|python|go|elasticsearch|opensearch|mongodb|docker|sqlite|jdk|jre)\\s*v?\\d"
              + "|\\bminimum (?:supported |required )?(?:version|postgres\\w*|mysql|mariadb|php|node)"
              + "|\\bthis (?:release|version|update|upgrade) requires\\b|\\b(?:re-?run|rerun) the (?:setup|installer)"
              // advice with what goes wrong without it: "make sure X is set, otherwise Y will fail"
              + "|\\b(?:make sure|ensure|check|verify|set|configure|update|change|adjust)\\b[^.]{0,120}?\\b(?:otherwise"
              + "|or else)\\b[^.]{0,60}?\\b(?:will|won't|would|cannot|can't)\\b"),
      s(SentenceClass.MIGRATION, false,
          "\\bpg[ _]?(?:dump|dumpall|upgrade|restore)\\b|\\bmysqldump\\b|\\bdump and restore\\b"
              + "|\\b(?:export|dump)\\b[^.]{0,60}?\\b(?:import|restore)\\b|\\bre-?index\\w*"
              + "|\\brun (?:the )?(?:\\w+ )?migrations?\\b|\\bmigration (?:script|command|tool)\\b"
              + "|\\bdata (?:directory|dir|format) (?:\\w+ )?(?:has )?chang\\w*|\\b(?:database|db|storage) format\\b"
              + "|\\bschema\\b[^.]{0,60}?\\b(?:change|changed|changes|incompatible|migration)\\b"),
      s(SentenceClass.REMOVAL, false,
          "\\b(?:removed|dropped|removes|drops|remove|drop|removing|dropping) (?:the )?(?:support for|(?:deprecated |legacy "
              + "|old |previously deprecated )?(?:\\S+ ){0,3}" + THING + "\\b)"
              + "|\\b" + THING + "\\b[^.]{0,60}?\\b(?:has|have) (?:now )?been (?:removed|dropped)\\b"
              + "|\\b(?:deprecated|legacy|experimental|unstable)\\b[^.]{0,80}?\\b(?:has|have) (?:now )?been (?:removed|dropped)\\b"
              + "|\\b" + THING + "\\b[^.]{0,40}?\\b(?:was|were|is|are) (?:now )?(?:removed|dropped|gone)\\b"
              + "|\\bno longer (?:supported|available|exists?|provided|shipped|included|bundled|ships?|part of)\\b"
              + "|\\bsupport for [^.]{0,60}\\bhas been (?:removed|dropped)"),
      s(SentenceClass.BEHAVIOUR_CHANGE, false,
          "\\bdefaults?\\b[^.]{0,80}?\\b(?:changed|changes|is now|are now|has been changed|was changed|switched|now)\\b"
              + "|\\b(?:changed|changes|changing|switch(?:ed|es)?) (?:the )?defaults?\\b|\\bnow defaults? to\\b"
              + "|\\bdefaults? to [^.]{0,40}\\binstead of\\b|\\bby default\\b[^.]{0,60}\\bnow\\b|\\bnow\\b[^.]{0,60}\\bby default\\b"
              + "|\\bno longer (?:be )?(?:sent|sends?|accept\\w*|allow\\w*|works?|turned off|switched off|disabled"
              + "|be disabled|be turned off|used|uses?|support\\w*|read|reads|honou?r\\w*|respect\\w*|set|sets|follow\\w*"
              + "|creat\\w*|start\\w*|run\\w*|load\\w*|expos\\w*|listen\\w*|includ\\w*|generat\\w*|automatic\\w*|enabled"
              + "|configurable|valid|recogni[sz]ed|passed|forwarded|trusted|match\\w*)\\b"
              + "|\\bcan no longer (?!cause|crash|fail|break|hang|leak|block|lock|lead|result|trigger|happen|occur|be exploited"
              + "|bypass|access)\\w+|\\bcannot be"
              + " (?:turned off|disabled|switched off) any ?more\\b"
              + "|\\b(?:are|is|will be|get|gets) (?:now )?(?:rejected|refused|denied|blocked|enforced|ignored)\\b"
              + "|\\bnow (?:reject|refuse|enforce|deny|block|ignore)s?\\b|\\bwill (?:now )?(?:reject|refuse)\\b"
              + "|\\b" + THING + "\\b[^.]{0,60}?\\b(?:renamed|moved|becomes)\\b|\\b(?:renamed|moved)\\b[^.]{0,40}?\\b" + THING + "\\b"
              + "|\\bchanged from\\b(?:[^.]|\\.(?=[a-z-])){0,60}?\\bto\\b"
              + "|\\b(?:not|no longer) (?:preserve|keep|retain)s? the (?:old|previous|former|existing) behaviou?r\\b"
              // a new limit rejects what was accepted before
              + "|\\b(?:(?:is|are) now|will now be) (?:limited|capped|restricted|truncated) (?:to|at)\\b"
              + "|\\bnow (?:limits?|caps?|restricts?) [^.]{0,40}?\\b(?:to|at) \\d"
              + "|\\b(?:new|lower|stricter|smaller) (?:default )?(?:size |length |rate |request )?limits?\\b"
              // a default narrowed or newly set: existing setups that relied on the old one change
              + "|\\b(?:remov\\w*|drop\\w*|exclud\\w*)\\b[^.]{0,80}?\\bfrom (?:the |our |its )?default\\b"
              + "|\\b(?:set|sets|setting|introduc\\w*) (?:new |the )?default (?:values?|settings?|mappings?)\\b"
              + "|\\bis now (?:case[- ]sensitive|strict|enabled|disabled|mandatory|enforced|always|on|off)\\b"
              + "|\\b(?:has|have) been (?:disabled|enabled|turned off|switched off) by default\\b"
              + "|^(?:make|makes|made|enable[sd]?|disable[sd]?|turn(?:ed|s)? (?:on|off))\\b[^.]{0,80}?\\bby default\\b"
              + "|\\b(?:is|are) now (?:read|taken|loaded|configured|set|stored|served|expected) (?:from|in|via|by|at|under)\\b"
              + "|\\bstarting (?:with|from|in) v?\\d[^.]{0,100}?\\b(?:will|are|is|no longer|must|refused|rejected|now)\\b"
              + "|\\b(?:was|were|has been|have been) replaced (?:by|with)\\b|\\bchanged (?:the )?(?:behaviou?r|format|"
              + "semantics|meaning|path|location|name)\\b|\\bbehaviou?r (?:has )?changed\\b"));

  private final DeploymentContext context;
  private final List<String> markers;
  private final Pattern unused;
  private final Pattern used;
  /** Whether round 18's readings ({@link NoStepReading}) release; false only for the survey's before-and-after. */
  private final boolean noStepReadings;

  NoteClassifier(DeploymentContext context, List<String> markers) {
    this(context, markers, true);
  }

  private NoteClassifier(DeploymentContext context, List<String> markers, boolean noStepReadings) {
    this.context = context;
    this.markers = markers.stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).filter(m -> !m.isEmpty()).toList();
    this.unused = terms(context.unused());
    this.used = terms(context.used());
    this.noStepReadings = noStepReadings;
  }

  /** @return this classifier as it read before round 18 (FalseHoldSurveyTest estimates against it) */
  NoteClassifier withoutNoStepReadings() {
    return new NoteClassifier(context, markers, false);
  }

  private static Signal s(SentenceClass cls, boolean anywhere, String regex) {
    return new Signal(cls, anywhere, Pattern.compile(regex, F));
  }

  private static Pattern terms(List<String> words) {
    if (words.isEmpty()) {
      return null;
    }
    // not right after '.' or '/': "config.ini.php", "bin/python" name a file of the product, not the platform
    StringBuilder b = new StringBuilder("(?<![./])\\b(?:");
    for (int k = 0; k < words.size(); k++) {
      b.append(k == 0 ? "" : "|").append(Pattern.quote(words.get(k)));
    }
    return Pattern.compile(b.append(")\\b").toString(), F | Pattern.UNICODE_CASE);
  }

  /**
   * @param note the note as decoded from its bytes (invalid UTF-8 already U+FFFD)
   * @return every sentence's class; an unreadable note (mostly not text) says why
   */
  Verdict classify(String note) {
    return classify(note, null);
  }

  /**
   * @param note the note as decoded from its bytes (invalid UTF-8 already U+FFFD)
   * @param from the version the upgrade starts at, or null when unknown: a sentence conditioned on the version
   *     upgraded from ({@link UpgradeCondition}) holds only when {@code from} may fall in the condition
   * @return every sentence's class; an unreadable note (mostly not text) says why
   */
  Verdict classify(String note, RecipeVersion from) {
    String garbage = garbage(note);
    if (garbage != null) {
      return new Verdict(List.of(), garbage);
    }
    List<NoteParser.Unit> units = NoteParser.parse(NoteText.of(note));
    List<Classified> out = new ArrayList<>();
    Set<List<String>> emptyBreaking = new HashSet<>();
    Set<List<String>> quietSections = new HashSet<>();
    Set<List<String>> notBreaking = new HashSet<>();
    Set<List<String>> forDevelopers = new HashSet<>();
    List<List<String>> headingsOf = new ArrayList<>();
    Set<List<String>> seenSection = new HashSet<>();
    for (NoteParser.Unit unit : units) {
      SectionKind section = SectionKind.of(unit.headings());
      boolean first = seenSection.add(unit.headings());
      if (section == SectionKind.BREAKING && first && unit.sentences().size() <= 2
          && NO_ACTION.matcher(unit.text()).find()) {
        emptyBreaking.add(unit.headings()); // "Breaking changes: none"
      }
      if (section == SectionKind.BREAKING && emptyBreaking.contains(unit.headings())) {
        section = SectionKind.GENERAL;
      }
      String heading = String.join(" › ", unit.headings());
      if (unit.kind() == NoteParser.UnitKind.CODE) {
        int before = out.size();
        markerOnly(unit, heading, section, out);
        for (int k = before; k < out.size(); k++) {
          headingsOf.add(unit.headings());
        }
        continue;
      }
      // A bullet's own category ("docs:", "[chore]", "fix(ui):", "feat!:") outranks a general heading.
      boolean bang = false;
      Matcher cat = CATEGORY.matcher(unit.text());
      if (cat.lookingAt()) {
        String word = cat.group(1) != null ? cat.group(1) : cat.group(2);
        bang = cat.group(3) != null;
        SectionKind own = SectionKind.ofHeading(word);
        if (own != SectionKind.GENERAL && section != SectionKind.BREAKING && section != SectionKind.UPGRADE) {
          section = own;
        }
      }
      if (section == SectionKind.GENERAL || section == SectionKind.NOTABLE || section == SectionKind.SECURITY
          || section == SectionKind.FEATURES) {
        section = leadVerb(unit.text(), section);
      }
      boolean sectionOutOfScope = outOfScope(heading);
      boolean outOfScope = sectionOutOfScope || outOfScope(unit.text());
      boolean unitForDevelopers = DEVELOPER_AUDIENCE.matcher(unit.text()).find();
      if (unitForDevelopers && section == SectionKind.BREAKING) {
        forDevelopers.add(unit.headings());
      }
      List<Classified> inUnit = new ArrayList<>();
      boolean unitNoAction = false;
      boolean unitOptIn = false;
      boolean unitDeprecation = false;
      UpgradeCondition condition = null;
      for (int k = 0; k < unit.sentences().size(); k++) {
        String sentence = unit.sentences().get(k);
        Classified c = sentence(sentence, unit, heading, section, sectionOutOfScope, bang && k == 0, k == 0);
        // a condition on the version upgraded from governs the rest of its paragraph or item ("If you are upgrading
        // from v0.14.x and below, this version includes breaking changes. Please read the upgrading documentation.")
        condition = UpgradeCondition.of(sentence).orElse(condition);
        if (c.holds() && c.cls() != SentenceClass.MARKER && condition != null && !condition.appliesFrom(from)) {
          c = new Classified(c.heading(), c.section(), SentenceClass.CONDITIONAL, false, "applies only when upgrading"
              + " from " + condition.text() + ", and this upgrade starts at " + from + " (" + c.why() + ")", c.line(),
              c.text());
        }
        if (c.holds() && c.cls() != SentenceClass.MARKER && outOfScope
            && (sectionOutOfScope || !explicit(c, section))) {
          c = new Classified(c.heading(), c.section(), SentenceClass.OUT_OF_SCOPE, false, "concerns only "
              + firstMatch(unused, sectionOutOfScope ? heading : unit.text()) + ", which this deployment does not use ("
              + c.why() + ")", c.line(), c.text());
        }
        unitNoAction |= c.cls() == SentenceClass.NO_ACTION;
        unitDeprecation |= c.cls() == SentenceClass.DEPRECATION;
        if (c.cls() == SentenceClass.NO_ACTION && unit.kind() == NoteParser.UnitKind.PARAGRAPH
            && !section.routine() && EXPLICIT_NO_ACTION.matcher(sentence).find()) {
          quietSections.add(unit.headings());
        }
        if (c.cls() == SentenceClass.NO_ACTION && section == SectionKind.BREAKING
            && NOT_BREAKING.matcher(sentence).find()) {
          notBreaking.add(unit.headings());
        }
        unitOptIn |= k == 0 && c.cls() == SentenceClass.OPT_IN;
        inUnit.add(c);
      }
      // An item of a breaking or "Removed" list whose own first sentence names code, a dependency, a UI element or the
      // runtime the container image ships: the list's presumption does not reach the deployment (round 8)
      String aboutWhat = section == SectionKind.BREAKING && !unit.admonition() && !inUnit.isEmpty()
          && inUnit.stream().anyMatch(c -> c.holds() && (weak(c.cls()) || presumed(c)))
          ? internalSubject(unit.sentences().get(0)) : null;
      for (Classified c : inUnit) {
        if (c.holds() && aboutWhat != null && (weak(c.cls()) || presumed(c))) {
          c = new Classified(c.heading(), c.section(), SentenceClass.ROUTINE, false, "an item of a breaking list "
              + "about " + aboutWhat + ", nothing a deployment configures (" + c.why() + ")", c.line(), c.text());
        } else if (c.holds() && unitForDevelopers && (weak(c.cls()) || presumed(c))) {
          c = new Classified(c.heading(), c.section(), SentenceClass.ROUTINE, false,
              "the item concerns plugin or frontend developers, not the deployment (" + c.why() + ")", c.line(),
              c.text());
        } else if (c.holds() && unitNoAction && weak(c.cls())) {
          c = new Classified(c.heading(), c.section(), SentenceClass.NO_ACTION, false,
              "the same item says no action is needed or it happens automatically", c.line(), c.text());
        } else if (c.holds() && unitDeprecation && weak(c.cls())) {
          c = new Classified(c.heading(), c.section(), SentenceClass.DEPRECATION, false,
              "the same item is a deprecation: it still works", c.line(), c.text());
        } else if (c.holds() && unitOptIn && (c.cls() == SentenceClass.REQUIREMENT
            || c.cls() == SentenceClass.BEHAVIOUR_CHANGE)) {
          c = new Classified(c.heading(), c.section(), SentenceClass.OPT_IN, false,
              "the item is about an opt-in feature", c.line(), c.text());
        } else if (noStepReadings && c.holds() && c.cls() != SentenceClass.MARKER) {
          c = NoStepReading.release(c, context.runsImage()).orElse(c);
        }
        out.add(c);
        headingsOf.add(unit.headings());
      }
    }
    if (quietSections.isEmpty() && notBreaking.isEmpty() && forDevelopers.isEmpty()) {
      return new Verdict(out, null);
    }
    // "No action is required", said outright in the section's prose (not in one bullet), releases what its own
    // section describes; never what the note asks of the operator in so many words, a demanded backup, an upgrade
    // path, data loss, an explicit breaking change or an operator marker.
    List<Classified> released = new ArrayList<>(out.size());
    for (int k = 0; k < out.size(); k++) {
      Classified c = out.get(k);
      if (c.holds() && quietSections.contains(headingsOf.get(k)) && releasable(c)) {
        c = new Classified(c.heading(), c.section(), SentenceClass.NO_ACTION, false,
            "its section says no action is required", c.line(), c.text());
      } else if (c.holds() && notBreaking.contains(headingsOf.get(k)) && presumed(c)) {
        c = new Classified(c.heading(), c.section(), SentenceClass.NO_ACTION, false,
            "its breaking-changes section says the change is not breaking", c.line(), c.text());
      } else if (c.holds() && forDevelopers.contains(headingsOf.get(k))
          && c.cls() == SentenceClass.BREAKING_SECTION) {
        c = new Classified(c.heading(), c.section(), SentenceClass.ROUTINE, false,
            "its breaking-changes section is about plugin or frontend developers' code", c.line(), c.text());
      }
      released.add(c);
    }
    return new Verdict(released, null);
  }

  /** Where an entry's own clause ends and a reason for it begins ("…, since the library is …"). */
  private static final Pattern REASON_CLAUSE = Pattern.compile(",|;|\\b(?:since|because|as|so that|in favou?r of)\\b",
      F);

  /**
   * Code that people who build on the product write against, or what the product is built from: a function
   * {@code f()}, {@code A::b}, a class, hook or polyfill, a dependency, library or package. Not "UI", "internal",
   * "interface" or "CI" alone: on the tuning notes those also named ports, endpoints, network interfaces and
   * variables an operator sets.
   */
  private static final Pattern CODE_SUBJECT = Pattern.compile("\\w\\(\\)|\\w::\\w|\\b(?:dependency|dependencies"
      + "|librar(?:y|ies)|packages?|polyfills?|class(?:es)?|hooks?)\\b", F);
  /** An API's method is what API clients call: an operator's object, however it is spelled. */
  private static final Pattern API_WORD = Pattern.compile("\\bapis?\\b|\\bendpoints?\\b", F);

  /**
   * What an item's first sentence acts on when that is internal (code, a dependency, a UI element) or the runtime the
   * container image ships, as the reading describes it; null otherwise.
   */
  private String internalSubject(String first) {
    Matcher cat = CATEGORY.matcher(first);
    String entry = cat.lookingAt() ? first.substring(cat.end()) : first;
    EntryEffect.Reading r = EntryEffect.read(entry);
    // named in the entry's own clause, not in a reason after it ("Support for ntfy, since the library is …")
    Matcher reason = REASON_CLAUSE.matcher(entry);
    String own = entry.substring(0, reason.find() ? reason.start() : entry.length());
    int at = r.targetWords().isEmpty() ? -1 : own.indexOf(r.targetWords());
    boolean internal = r.target() == EntryEffect.Target.INTERNAL && CODE_SUBJECT.matcher(own).find()
        && !API_WORD.matcher(own).find()
        || r.target() == EntryEffect.Target.RUNTIME && context.runsImage();
    return internal && at >= 0 ? r.describe() : null;
  }

  /**
   * An instruction whose one step is the upgrade itself ("Upgrade with the Docker installation", "Update as soon as
   * possible"): that is what the gate decides on, not a step around it. Upgrading something else ("Upgrade your
   * PostgreSQL to 14") or to a version first (an upgrade path) is not this.
   */
  private static final Pattern SELF_UPGRADE = Pattern.compile("(?:please )?(?:upgrade|update)(?: (?:your |the )?"
      + "(?:instance|server|installation|deployment))?(?: (?:with|using|via) [^.]{0,60}| (?:as soon as possible|asap|now"
      + "|immediately|promptly)| to (?:this|the latest|the new) (?:version|release)| to v?\\d[\\w.]*)?\\W*", F);

  /** A wish of the reader's, not a demand: "if you'd like to …", "optionally". */
  /** Whether the whole sentence, spaces around it aside, is {@link #ADVISED_UPGRADE}; read in place, without a copy. */
  private static boolean advisesOnlyTheUpgrade(String body) {
    int from = 0;
    int to = body.length();
    while (from < to && Character.isWhitespace(body.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(body.charAt(to - 1))) {
      to--;
    }
    // its openers asked first, without a Matcher: most sentences open otherwise
    boolean opens = body.startsWith("please ", from) || body.startsWith("make sure", from)
        || body.startsWith("be sure", from) || body.startsWith("you should", from) || body.startsWith("we ", from);
    return opens && ADVISED_UPGRADE.matcher(body).region(from, to).matches();
  }

  /** Advice whose only step is the upgrade: "Please make sure to upgrade as soon as possible." */
  private static final Pattern ADVISED_UPGRADE = Pattern.compile("(?:please )?(?:make sure to|be sure to|you should"
      + "|we (?:strongly )?recommend (?:that you |you )?(?:to )?) " + SELF_UPGRADE.pattern(), F);
  private static final Pattern WISH = Pattern.compile("\\bif (?:you(?:'d| would) like|you (?:want|wish|prefer))(?: to)?\\b"
      + "|\\boptional(?:ly)?\\b|\\bif desired\\b", F);

  /** The start of the reason of an imperative held for the section it stands in, not for its own words. */
  private static final String SECTION_INSTRUCTION = "an instruction in a ";

  /**
   * Held only because of the section it stands in (an item of "Breaking changes", an imperative there), not by its
   * own words: what a section that calls itself not breaking releases.
   */
  private static boolean presumed(Classified c) {
    // The reason an imperative gets for standing in a non-routine section (classify): one constant for both sides.
    return c.cls() == SentenceClass.BREAKING_SECTION
        || c.cls() == SentenceClass.REQUIREMENT && c.why().startsWith(SECTION_INSTRUCTION);
  }

  /**
   * Words that address people who write code against the product (a frontend package {@code @scope/name}, plugin
   * authors, translators and contributors), not the operator of a deployment.
   */
  private static final Pattern DEVELOPER_AUDIENCE = Pattern.compile(
      "(?:^|[\\s`'\"(])@[a-z0-9-]+/[a-z0-9._-]+|\\b(?:plugin|module|theme|extension) (?:developers|authors"
          + "|maintainers)\\b|\\bcomponents? (?:provided by|exported from)\\b|\\bexported from\\b"
          + "|\\bcontribut(?:e|ed|ions?) (?:via|through)\\b", F);

  /** A breaking-changes section that says it does not break: "not really breaking", "no breaking change". */
  private static final Pattern NOT_BREAKING = Pattern.compile(
      "\\bnot (?:really |actually )?(?:a )?breaking\\b|\\bno breaking changes?\\b|\\bnon-?breaking\\b"
          + "|\\b(?:most |existing )?(?:users|deployments|installations|setups) (?:are|will be) not affected\\b"
          + "|\\b(?:fully |remains? |stays? |still )backwards?[ -]compatible\\b", F);

  private static boolean releasable(Classified c) {
    return weak(c.cls()) || c.cls() == SentenceClass.REQUIREMENT && !c.anywhere();
  }

  /** "No action is required", said outright: releases its whole section. */
  private static final Pattern EXPLICIT_NO_ACTION = Pattern.compile(
      "\\bno (?:manual |further |special |additional |operator )?(?:action|intervention|steps?) (?:is |are )?"
          + "(?:required|needed|necessary)\\b|\\b(?:does|do|will) not (?:require|need) any (?:manual |operator )?"
          + "(?:action|intervention|steps?)\\b|\\bfor information only\\b", F);

  /** Changelog items start with what they did: "Fix …" is a bug fix, "Add …" a feature, "Refactor …" internal. */
  private static final Pattern LEAD_FIX = Pattern.compile("^(?:fix|fixed|fixes|fixing|bugfix|resolve[sd]?|correct(?:ed|s)?"
      + "|prevent(?:ed|s)?|avoid(?:ed|s)?|work ?around|workaround|handle[sd]?|restore[sd]?|repair(?:ed|s)?)\\b", F);
  private static final Pattern LEAD_FEATURE = Pattern.compile("^(?:add|added|adds|adding|support|supports|allow|allows"
      + "|allowed|implement(?:ed|s)?|introduce[sd]?|new|show|display|improve[sd]?|enhance[sd]?|expose[sd]?)\\b", F);
  private static final Pattern LEAD_INTERNAL = Pattern.compile("^(?:refactor(?:ed|s)?|clean ?up|cleanup|tidy|simplif(?:y|ied)"
      + "|rewr(?:ite|ote)|optimi[sz]e[sd]?|speed up|reduce[sd]?|test|tests|lint|format|typo|bump|chore|ci|build)\\b", F);
  private static final Pattern LEAD_DOCS = Pattern.compile("^(?:document(?:ed|s)?|docs?|update[sd]? (?:the )?(?:docs|"
      + "documentation|readme|changelog|translations?))\\b", F);

  private static SectionKind leadVerb(String text, SectionKind section) {
    String t = text.length() > 200 ? text.substring(0, 200) : text;
    if (LEAD_DOCS.matcher(t).lookingAt()) {
      return SectionKind.DOCS;
    }
    if (LEAD_FIX.matcher(t).lookingAt()) {
      return SectionKind.FIXES;
    }
    if (LEAD_INTERNAL.matcher(t).lookingAt()) {
      return SectionKind.INTERNAL;
    }
    if (LEAD_FEATURE.matcher(t).lookingAt()) {
      return SectionKind.FEATURES;
    }
    return section;
  }

  /**
   * An instruction addressed to the operator in so many words ("you must", "before upgrading", "abra app …"), or an
   * explicit breaking change: an item that merely mentions an unused platform does not release it; a whole section
   * about one does.
   */
  private static boolean explicit(Classified c, SectionKind section) {
    return c.cls() == SentenceClass.MARKER || c.cls() == SentenceClass.BREAKING || c.cls() == SentenceClass.BACKUP
        || c.cls() == SentenceClass.UPGRADE_PATH || c.cls() == SentenceClass.REQUIREMENT && c.anywhere()
        && !hedgedOnly(c.text());
  }

  /** "You might need to …", with no obligation beside it: advice, not a step said in so many words (round 12). */
  private static final Pattern HEDGED = Pattern.compile("\\b(?:may|might|would|'d) (?:need|have) to\\b", F);

  private static boolean hedgedOnly(String text) {
    return HEDGED.matcher(text).find() && !OBLIGATION.matcher(text).find();
  }

  /** Classes a "no action needed" elsewhere in the same item releases; requirements and data loss stay. */
  private static boolean weak(SentenceClass c) {
    return c == SentenceClass.BEHAVIOUR_CHANGE || c == SentenceClass.MIGRATION || c == SentenceClass.REMOVAL
        || c == SentenceClass.BREAKING_SECTION;
  }

  private void markerOnly(NoteParser.Unit unit, String heading, SectionKind section, List<Classified> out) {
    String marker = marker(unit.text().toLowerCase(Locale.ROOT));
    if (marker != null) {
      out.add(new Classified(heading, section, SentenceClass.MARKER, true, "operator marker '" + marker + "'",
          unit.line(), unit.text()));
    }
  }

  private String marker(String lower) {
    for (String m : markers) {
      if (lower.contains(m)) {
        return m;
      }
    }
    return null;
  }

  private boolean outOfScope(String text) {
    if (unused == null || text.isEmpty()) {
      return false;
    }
    String head = text.length() > 2000 ? text.substring(0, 2000) : text;
    return unused.matcher(head).find() && (used == null || !used.matcher(head).find());
  }

  private Classified sentence(String sentence, NoteParser.Unit unit, String heading, SectionKind section,
      boolean unitOutOfScope, boolean bang, boolean firstOfUnit) {
    String lower = sentence.toLowerCase(Locale.ROOT).replace("`", "");
    // Drop the bullet's own category so that "docs: …" does not read as an imperative.
    Matcher cat = CATEGORY.matcher(lower);
    String body = firstOfUnit && cat.lookingAt() ? lower.substring(cat.end()) : lower;
    String marker = marker(lower);
    if (marker != null) {
      return c(heading, section, SentenceClass.MARKER, true, "operator marker '" + marker + "'", unit, sentence);
    }
    if (unitOutOfScope) {
      return c(heading, section, SentenceClass.OUT_OF_SCOPE, false, "concerns only " + firstMatch(unused, heading)
          + ", which this deployment does not use", unit, sentence);
    }
    if (bang) {
      return c(heading, section, SentenceClass.BREAKING, true, "category marked breaking ('!:')", unit, sentence);
    }
    boolean removedList = section == SectionKind.BREAKING && !unit.headings().isEmpty()
        && SectionKind.removedHeading(unit.headings().get(unit.headings().size() - 1));
    if (removedList && harmlessRemoval(lower)) {
      return c(heading, section, SentenceClass.ROUTINE, false, "an item of a 'Removed' list about something unused",
          unit, sentence);
    }
    // Documentation describes; it never asks. Internal items can still say outright that they break something.
    boolean silent = section == SectionKind.DOCS;
    Matcher noAction = NO_ACTION.matcher(lower);
    boolean found = noAction.find();
    if (!found && (lower.contains("no change") || lower.contains("maintains"))) {
      noAction = DENIED_CHANGE.matcher(lower);
      found = noAction.find();
    }
    // "a new X is required to automatically …": the automation is what the setting is for, not the upgrade's own step
    boolean negated = found && !(noAction.group().contains("automatic") && REQUIRED_NEW_P.matcher(lower).find());
    String negation = negated ? noAction.group() : null;
    // Signals that no negation releases: a demanded backup, an upgrade path, data loss.
    for (Signal sig : SIGNALS) {
      if (sig.cls() != SentenceClass.UPGRADE_PATH && sig.cls() != SentenceClass.BACKUP
          && sig.cls() != SentenceClass.DATA_LOSS) {
        continue;
      }
      Matcher m = sig.pattern().matcher(lower);
      if (m.find() && !silent && (sig.anywhere() || !section.routine())) {
        Matcher wish = WISH.matcher(lower);
        if (sig.cls() == SentenceClass.BACKUP && wish.find() && !OBLIGATION.matcher(lower).find()) {
          // a backup offered to whoever wants one is not a backup demanded first
          return c(heading, section, SentenceClass.OPT_IN, false, "'" + wish.group().strip() + "': a backup offered,"
              + " not demanded", unit, sentence);
        }
        return c(heading, section, sig.cls(), true, "'" + m.group().strip() + "'", unit, sentence);
      }
    }
    if (negated) {
      return c(heading, section, SentenceClass.NO_ACTION, false, "'" + negation.strip() + "'", unit, sentence);
    }
    if (advisesOnlyTheUpgrade(body)) {
      // advice whose one step is the upgrade itself (round 11, F-SEC: "Please make sure to upgrade as soon as
      // possible"): the upgrade the gate decides on
      return c(heading, section, SentenceClass.ROUTINE, false, "only advises the upgrade the gate decides on", unit,
          sentence);
    }
    Matcher step = IMAGE_STEP.matcher(lower);
    if (context.runsImage() && step.find() && onlyImageSteps(lower)) {
      return c(heading, section, SentenceClass.ROUTINE, false, "'" + step.group().strip() + "': a standard upgrade"
          + " step or runtime that the container image provides (gate.context 'container image')", unit, sentence);
    }
    Matcher read = READ_DOCS.matcher(lower);
    if (read.find() && onlyReading(lower)) {
      return c(heading, section, SentenceClass.ROUTINE, false, "'" + read.group().strip() + "': reading is not a"
          + " step on the deployment (the gate itself reads every note between the versions)", unit, sentence);
    }
    Matcher br = STRONG_BREAKING.matcher(lower);
    Matcher later = LATER_BREAKING.matcher(lower);
    // "will introduce breaking changes" in the next major, "could represent a breaking change": not this upgrade's
    // change (round 7); the sentence's other words still count below
    boolean laterBreaking = br.find() && later.find() && !WITHOUT_BREAKING.matcher(lower).find();
    // "Fix that X can break existing uploads": the fix report says what the bug broke, not what the release breaks
    boolean bugBroke = !laterBreaking && br.find(0) && BREAK_VERB.matcher(br.group()).lookingAt()
        && FIX_REPORT.matcher(body).lookingAt();
    laterBreaking |= bugBroke;
    if (br.find(0) && !silent && !laterBreaking) {
      return c(heading, section, SentenceClass.BREAKING, true, "'" + br.group().strip() + "'", unit, sentence);
    }
    Matcher dep = DEPRECATION.matcher(lower);
    // in a "Removed" list the heading says the removal is done: an entry removing something "deprecated" there is no
    // deprecation (round 11)
    boolean removedNow = removedList && firstOfUnit && REMOVAL_ENTRY.matcher(body).lookingAt();
    if (dep.find() && !REMOVED_NOW.matcher(lower).find() && !changedNow(lower) && !removedNow) {
      return c(heading, section, SentenceClass.DEPRECATION, false, "'" + dep.group().strip()
          + "': still works until removed", unit, sentence);
    }
    Matcher opt = OPT_IN.matcher(lower);
    // a setting the release requires is not optional, whatever else the sentence says about it being new
    boolean optIn = opt.find() && !REQUIRED_NEW_P.matcher(lower).find();
    // "X is disabled by default" of a thing the entry does not introduce (round 11): a default switched off under
    // existing setups, not an opt-in ("Added X, disabled by default", "This is disabled by default" stay opt-in)
    // (the matcher only for opt-in sentences: a Matcher per sentence is what a hostile note of many sentences costs)
    Matcher off = optIn ? SWITCHED_OFF.matcher(lower) : null;
    if (off != null && off.find() && switchedOffExisting(lower, off, unit) && !otherOptIn(lower)) {
      if (silent || section == SectionKind.DEPENDENCIES) {
        optIn = false;
      } else {
        return c(heading, section, SentenceClass.BEHAVIOUR_CHANGE, true, "'" + off.group().strip() + "' said of"
            + " something the entry does not introduce: a default switched off under existing setups", unit, sentence);
      }
    }
    boolean addressed = section == SectionKind.UPGRADE || section == SectionKind.BREAKING || unit.admonition();
    Matcher ownCategory = CATEGORY.matcher(sentence);
    // "Other changes", "Misc": a catch-all heading, where unseen products list breaking changes too; not an item
    // whose own category says it is internal ("refactor:", "[ci]")
    boolean catchAll = section == SectionKind.INTERNAL && !unit.headings().isEmpty()
        && SectionKind.catchAll(unit.headings().get(unit.headings().size() - 1))
        && !(ownCategory.lookingAt() && SectionKind.ofHeading(ownCategory.group(1) != null ? ownCategory.group(1)
            : ownCategory.group(2)) == SectionKind.INTERNAL);
    LazyReading reading = new LazyReading(sentence, firstOfUnit && ownCategory.lookingAt() ? ownCategory.end() : 0);
    for (Signal sig : SIGNALS) {
      if (sig.cls() == SentenceClass.UPGRADE_PATH || sig.cls() == SentenceClass.BACKUP
          || sig.cls() == SentenceClass.DATA_LOSS) {
        continue;
      }
      Matcher m = sig.pattern().matcher(lower);
      if (!m.find() || sig.cls() == SentenceClass.REQUIREMENT && !addressed && changeTitleOnly(m, sentence)) {
        continue;
      }
      String why = "'" + m.group().strip() + "'";
      if (sig.cls() == SentenceClass.REQUIREMENT && sig.anywhere() && !addressed && reading.get().reportsFix()
          && !TO_THE_OPERATOR.matcher(lower).find()) {
        // "Fix `chown` issues with …", "Fix validation of required settings" (round 12, F-FIX): a fix report names
        // what the bug concerned; a step it asks of the operator says so ("you", "must", "after upgrading")
        return c(heading, section, SentenceClass.ROUTINE, false, why + " in a fix report: what the bug concerned, "
            + reading.get().describe(), unit, sentence);
      }
      if (optIn && sig.cls() != SentenceClass.REMOVAL && !(sig.cls() == SentenceClass.REQUIREMENT
          && lower.contains("explicit") && STEP_NOW_EXPLICIT.matcher(lower).find())) {
        return c(heading, section, SentenceClass.OPT_IN, false, "'" + opt.group().strip() + "' (opt-in) outweighs "
            + why, unit, sentence);
      }
      if (silent || section.routine() && !sig.anywhere()) {
        if (!optIn && composes(reading, section, catchAll, unit)) {
          return composed(reading.get(), heading, section, unit, sentence, lower);
        }
        return c(heading, section, sig.cls(), false, why + " in a " + section + " section: informational", unit,
            sentence);
      }
      if (sig.cls() == SentenceClass.REMOVAL && section == SectionKind.DEPRECATIONS
          && !REMOVED_NOW.matcher(lower).find()) {
        return c(heading, section, SentenceClass.DEPRECATION, false, why + " in a DEPRECATIONS section", unit,
            sentence);
      }
      if ((sig.cls() == SentenceClass.REMOVAL || sig.cls() == SentenceClass.BEHAVIOUR_CHANGE) && !sig.anywhere()
          && section != SectionKind.BREAKING && section != SectionKind.UPGRADE && !unit.admonition()
          && (reading.get().target() == EntryEffect.Target.INTERNAL || reading.get().reportsFix())) {
        return c(heading, section, SentenceClass.ROUTINE, false, why + ", but " + reading.get().describe()
            + ": nothing a deployment configures or relies on", unit, sentence);
      }
      if (sig.cls() == SentenceClass.REMOVAL && harmlessRemoval(lower)) {
        return c(heading, section, SentenceClass.ROUTINE, false, why + " of something unused", unit, sentence);
      }
      Optional<String> scope = sig.cls() == SentenceClass.REQUIREMENT ? scope(lower) : Optional.empty();
      if (scope.isPresent()) {
        return c(heading, section, SentenceClass.CONDITIONAL, false, why + " only for " + scope.get(), unit,
            sentence);
      }
      Classified held = c(heading, section, sig.cls(), true, why, unit, sentence);
      return sig.anywhere() ? new Classified(held.heading(), held.section(), held.cls(), held.holds(), held.why(),
          held.line(), held.text(), true) : held;
    }
    if (!optIn && composes(reading, section, catchAll, unit)) {
      return composed(reading.get(), heading, section, unit, sentence, lower);
    }
    if (addressed && !silent && imperative(body)) {
      if (SELF_UPGRADE.matcher(body.strip()).matches()) {
        return c(heading, section, SentenceClass.ROUTINE, false, "only asks to upgrade: the upgrade the gate decides on",
            unit, sentence);
      }
      if (optIn) {
        return c(heading, section, SentenceClass.OPT_IN, false, "'" + opt.group().strip() + "' (opt-in)", unit,
            sentence);
      }
      Optional<String> scope = scope(lower);
      if (scope.isPresent()) {
        return c(heading, section, SentenceClass.CONDITIONAL, false, "an instruction only for " + scope.get(), unit,
            sentence);
      }
      return c(heading, section, SentenceClass.REQUIREMENT, true, SECTION_INSTRUCTION + section
          + (unit.admonition() ? " warning" : " section"), unit, sentence);
    }
    Matcher weak = WEAK_BREAKING.matcher(lower);
    if (weak.find() && !silent && !section.routine() && later.find(0)) {
      // "the next major might bring incompatible changes" (round 12): a later release's, or only possible
      return c(heading, section, SentenceClass.DEPRECATION, false, "'" + later.group().strip() + "': an"
          + " incompatibility of a later release, or only a possibility", unit, sentence);
    }
    if (weak.find(0) && !silent && !section.routine()) {
      if (WARNING_OPENER.matcher(weak.group()).lookingAt() && SECURITY_FIX.matcher(lower).find()
          && !WEAK_BREAKING.matcher(lower.substring(weak.end())).find()) {
        // a security advisory asks for the upgrade itself; a step it asked for would have held above (round 7)
        return c(heading, section, SentenceClass.ROUTINE, false, "'" + weak.group().strip() + "' on a security fix:"
            + " the upgrade itself is what it asks", unit, sentence);
      }
      Optional<String> scope = scope(lower);
      if (scope.isPresent()) {
        return c(heading, section, SentenceClass.CONDITIONAL, false, "'" + weak.group().strip() + "' only for "
            + scope.get(), unit, sentence);
      }
      return c(heading, section, SentenceClass.BREAKING, true, "'" + weak.group().strip() + "'", unit, sentence);
    }
    if (section == SectionKind.BREAKING && removedList && !firstOfUnit) {
      // the item's first sentence names what was removed; the rest explains why
      return c(heading, section, SentenceClass.ROUTINE, false, "an explanation of an item of a 'Removed' list", unit,
          sentence);
    }
    if (section == SectionKind.BREAKING) {
      if (optIn) {
        return c(heading, section, SentenceClass.OPT_IN, false, "'" + opt.group().strip() + "' (opt-in)", unit,
            sentence);
      }
      return c(heading, section, SentenceClass.BREAKING_SECTION, true, "an item of a breaking-changes section",
          unit, sentence);
    }
    if (optIn) {
      return c(heading, section, SentenceClass.OPT_IN, false, "'" + opt.group().strip() + "'", unit, sentence);
    }
    if (laterBreaking) {
      return bugBroke ? c(heading, section, SentenceClass.ROUTINE, false, "a fix report: '" + br.group().strip()
          + "' is what the bug did", unit, sentence)
          : c(heading, section, SentenceClass.DEPRECATION, false, "'" + later.group().strip() + "': a breaking change"
          + " of a later release, of another one, or only a possibility", unit, sentence);
    }
    return c(heading, section, SentenceClass.ROUTINE, false, "nothing for the operator", unit, sentence);
  }

  /**
   * The section is a prior, not a gate: an entry that breaks an existing deployment by what it does (effect × object ×
   * tense, {@link EntryEffect}) holds under Features, Fixes, Other or no heading too; documentation, dependency and
   * deprecation sections lower it to nothing (they describe, bump or announce).
   */
  private boolean composes(LazyReading lazy, SectionKind section, boolean catchAll, NoteParser.Unit unit) {
    if (section == SectionKind.DOCS || section == SectionKind.DEPENDENCIES) {
      return false;
    }
    // what a deprecation or refactoring list says it removed now is gone all the same (round 9: first contacts filed
    // the removal of an integration or a configured thing there); its other effects stay announcements or code.
    // The list must be the entry's own (under a developer heading above, the audience is code), and the prior asks
    // more of the entry: no word of code or tests anywhere in it, not only in the removed thing's name. Both are
    // asked before the entry is read, which most sentences of such lists never need.
    boolean listPrior = section == SectionKind.DEPRECATIONS || section == SectionKind.INTERNAL && !catchAll;
    if (listPrior) {
      List<String> headings = unit.headings();
      if (headings.isEmpty() || SectionKind.ofHeading(headings.get(headings.size() - 1)) != section
          || EntryEffect.namesInternal(lazy.sentence)) {
        return false;
      }
    }
    if (!lazy.mayBreak() || !lazy.get().breaks(context.runsImage())) {
      return false;
    }
    EntryEffect.Reading reading = lazy.get();
    if (listPrior) {
      return reading.effect() == EntryEffect.Effect.REMOVAL;
    }
    if (section.routine() && !catchAll && reading.effect() == EntryEffect.Effect.RENAME) {
      return false; // a rename listed as a feature or fix: on the 23 tuning products only false holds (DECISIONS)
    }
    // a fix that changes a default restores what was meant: only a removal, a refusal, a requirement, a start
    // failure or a data change listed as a fix still reaches an existing deployment
    return section != SectionKind.FIXES || reading.effect() != EntryEffect.Effect.DEFAULT_CHANGE;
  }

  /**
   * A step that what worked before needs now (round 13: "To use relays, you now need to explicitly enable them"): the
   * purpose ("to use X") names the existing feature, and does not make the step opt-in.
   */
  private static final Pattern STEP_NOW_EXPLICIT = Pattern.compile("\\bnow (?:\\w+ )?(?:need|needs|have|has) to "
      + "(?:\\w+ )?explicitly\\b|\\bmust now (?:be )?explicitly\\b|\\bnow (?:needs?|has|have) to be explicitly\\b"
      + "|\\bneeds? to be explicitly (?:enabled|activated|configured|set|turned on)\\b", F);

  private static final Pattern SWITCHED_OFF = Pattern.compile(
      "(?<!now )(?<!been )(?<!not )\\b(?:disabled|off|turned off|switched off) by default\\b", F);
  /** Words of an entry that introduces the thing it switches off, or points back to one ("this", "it"). */
  private static final Pattern INTRODUCED = Pattern.compile("\\b(?:add|adds|added|adding|new|newly|introduc\\w*"
      + "|available|allow(?:s|ed|ing)?|can|could|may|optional\\w*|if|unless|experimental|this|it|opt[ -]?in"
      + "|implement\\w*|supports?|supported)\\b", F);

  /**
   * Whether "disabled by default" is said of a named thing (words before it) that neither the sentence nor its entry
   * introduces; the entry is read within its first 600 characters, without a copy.
   */
  private static boolean switchedOffExisting(String lower, Matcher off, NoteParser.Unit unit) {
    boolean named = false;
    for (int k = 0; k < off.start() && !named; k++) {
      named = Character.isLetterOrDigit(lower.charAt(k));
    }
    if (!named) {
      return false;
    }
    String text = unit.text();
    return !INTRODUCED.matcher(lower).find()
        && !INTRODUCED.matcher(text).region(0, Math.min(text.length(), 600)).find();
  }

  /** Whether an opt-in cue other than "disabled by default" stands in the sentence. */
  private static boolean otherOptIn(String lower) {
    Matcher m = OPT_IN.matcher(lower);
    while (m.find()) {
      if (!SWITCHED_OFF.matcher(m.group()).find()) {
        return true;
      }
    }
    return false;
  }

  /** An entry's reading, made only when a rule asks for it: most sentences never need it (a hostile note has many). */
  private static final class LazyReading {
    private final String sentence;
    private final int from;
    private EntryEffect.Reading reading;

    LazyReading(String sentence, int from) {
      this.sentence = sentence;
      this.from = from;
    }

    boolean mayBreak() {
      return reading != null ? reading.effect().breaking() : EntryEffect.mayBreak(sentence);
    }

    EntryEffect.Reading get() {
      if (reading == null) {
        reading = EntryEffect.read(from == 0 ? sentence : sentence.substring(from));
      }
      return reading;
    }
  }

  private static Classified composed(EntryEffect.Reading reading, String heading, SectionKind section,
      NoteParser.Unit unit, String sentence, String lower) {
    String why = reading.describe();
    if (reading.effect() == EntryEffect.Effect.REQUIREMENT) {
      Optional<String> scope = scope(lower);
      if (scope.isPresent()) {
        return c(heading, section, SentenceClass.CONDITIONAL, false, why + " only for " + scope.get(), unit, sentence);
      }
    }
    return c(heading, section, reading.sentenceClass(), true, why, unit, sentence);
  }

  private static final Pattern IMPERATIVE = Pattern.compile(
      "^(?:please |you (?:should |can )?)?(?:update|change|set|add|remove|delete|run|execute|migrate|rename|replace"
          + "|adjust|edit|modify|configure|reconfigure|check|review|verify|make sure|ensure|back ?up|create|recreate"
          + "|regenerate|restart|reindex|upgrade|switch|move|copy|drop|convert|export|import|install|uninstall|enable"
          + "|disable|apply|follow|read|consult|stop|start|rotate|log ?in|go to|open|clear|purge"
          // a re- verb, not a noun or adjective that starts with "re" ("Recent versions …", "Results …")
          + "|re-\\w+|re(?!cent|sult|leas|commend|quire|mote|dis|po\\b|pos|verse|sources|stful|plies|vision|ally|ady"
          + "|gular|gion|lat|spons|ason)\\w+)\\b", F);

  /** A behaviour change or a requirement stated for this release, which a "will be removed later" does not undo. */
  private static boolean changedNow(String body) {
    for (Signal sig : SIGNALS) {
      if ((sig.cls() == SentenceClass.BEHAVIOUR_CHANGE || sig.cls() == SentenceClass.REQUIREMENT && sig.anywhere())
          && sig.pattern().matcher(body).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A condition that narrows advice to some setups: "if you use X", "if X is configured", "users of X". Wanting
   * something ("if you want to") is opt-in; a condition on a value ("if you have X set to 0") is not a setup.
   */
  private static final Pattern SCOPE = Pattern.compile(
      "\\bif (?:you(?:'re| are| were)?|your [\\w.-]+ (?:is|are)) (?:still |also |already )?(?:us(?:e|es|ed|ing)"
          + "|run(?:s|ning)?|rel(?:y|ies|ying) on|deploy\\w*|host(?:s|ed|ing)?|build(?:s|ing)?|compil(?:e|es|ing))\\b"
          + "|\\bif [\\w.-]+ (?:is|are) (?:configured|enabled|used|in use)\\b|\\bwhen using\\b"
          // a feature a deployment may or may not use, a host's resources: not every deployment's case
          + "|\\bif you (?:make use of|allow|permit|let|expose|offer)\\b"
          + "|\\bif (?:the )?(?:number|amount|count|size) of [\\w\\s-]{1,40}? (?:is|are) (?:low|high|small|large|limited)\\b"
          // local customisations: a deployment that runs the upstream's image unmodified has none
          + "|\\bif you(?:'ve| have| had)? (?:\\w+ ){0,4}?customi[sz]\\w*|\\bif you(?:'ve| have| had)? (?:\\w+ ){0,2}?"
          + "(?:modifi\\w*|modify|patch\\w*|made (?:\\w+ )?(?:modifications|local changes))\\b"
          + "|\\bwhen (?:performing|making|doing|applying) (?:\\w+ )?customi[sz]ations\\b"
          + "|\\byour (?:own |local )?(?:customi[sz]ations"
          + "|modifications|local changes)\\b"
          + "|\\b(?:users|operators|admins|administrators|those|anyone|deployments|installations) (?:of|using"
          + "|who use|who run|running)\\b", F);
  /**
   * An obligation said in so many words, or a step to run around the upgrade: conditional or not, it holds (the gate
   * cannot tell whether this deployment has the setup, so it asks).
   */
  private static final Pattern OBLIGATION = Pattern.compile(
      "\\b(?:must|mandatory|needs to|has to)\\b|(?<!may )(?<!might )(?<!'d )(?<!would )\\b(?:need to|have to)\\b"
          + "|\\b(?:is|are) (?:now )?required\\b|\\baction (?:is )?required\\b"
          + "|\\b(?:run|execute)\\b[^.]{0,120}?\\b(?:before|after|once)\\b[^.]{0,30}?\\b" + UPGRADING
          + "|\\babra app\\b|\\bmanual(?:ly)? (?:step|action|intervention|migration)s?\\b"
          // what goes wrong when the advice is not followed makes it an obligation for the setups it names
          + "|\\b(?:otherwise|or else)\\b[^.]{0,60}?\\b(?:will|won't|would|cannot|can't|may)\\b", F);

  /**
   * How users log into a Co-op Cloud deployment (single sign-on through an identity provider): the gate cannot tell
   * that a deployment does not use it, and a miss there locks every user out, so advice for it is not released as
   * conditional. A directory sync (LDAP) or a proxy named in a condition stays conditional (NoteClassifierTest).
   */
  private static final Pattern REACHED_THROUGH = Pattern.compile("\\b(?:sso|single sign-?on|saml|oidc|openid(?: connect)?"
      + "|oauth2?|identity provider)\\b", F);

  /**
   * Advice addressed to a setup only some deployments have, without an obligation (not a step for every operator):
   * the condition as the reason says it, or empty.
   */
  private static Optional<String> scope(String lower) {
    Matcher m = SCOPE.matcher(lower);
    if (!m.find() || OBLIGATION.matcher(lower).find() || REACHED_THROUGH.matcher(condition(lower, m)).find()) {
      return Optional.empty();
    }
    return Optional.of("'" + m.group() + " …' (conditional advice, no obligation)");
  }

  /** The words of a condition: what follows "if you use" up to the end of the sentence, at most 80 characters. */
  private static String condition(String lower, Matcher scope) {
    int end = lower.indexOf('.', scope.end());
    return lower.substring(scope.end(), Math.min(end < 0 ? lower.length() : end, scope.end() + 80));
  }

  /**
   * Advice to read something (the changelog, the notes of the versions in between, the documentation) and nothing
   * else: the reading is the gate's job, it reads the notes of every version between current and target.
   */
  private static final Pattern READ_DOCS = Pattern.compile(
      "(?:\\b(?:make|be) sure (?:to |you )?)?(?:\\b(?:read|review|consult|refer to|look at)\\b [^.]{0,80}?\\b"
          + "(?:changelogs?|release notes|upgrade notes|update notes|notes|documentation|docs)\\b"
          + "|\\btake (?:some )?time to read\\b)", F);

  private static final Pattern WHEN_UPGRADING = Pattern.compile(
      "\\b(?:before|prior to|after|when|once) (?:you )?(?:have )?" + UPGRADING + "\\b", F);

  /** The sentence asks for reading and nothing else: without the reading and its timing, no signal is left. */
  private static boolean onlyReading(String lower) {
    if (OBLIGATION.matcher(lower).find() || STRONG_BREAKING.matcher(lower).find()) {
      return false;
    }
    String rest = WHEN_UPGRADING.matcher(READ_DOCS.matcher(lower).replaceAll(" ")).replaceAll(" ");
    for (Signal sig : SIGNALS) {
      if (sig.pattern().matcher(rest).find()) {
        return false;
      }
    }
    return true;
  }

  private static final String RUNTIME = "(?:php|node(?:\\.?js)?|python|ruby|composer|npm|java|jdk|jre|golang)";
  /**
   * The standard steps of a bare-metal upgrade that a container image performs on every deployment (stop, install the
   * dependencies, restart, clear a cache), a check that the upgraded instance works (the health-gated upgrade does
   * it), and a version of the runtime the image ships.
   */
  private static final Pattern IMAGE_STEP = Pattern.compile(
      "\\b(?:stop|shut ?down|restart|re-start|start|reload) (?:up )?(?:your |the )?(?:\\w+ ){0,2}?(?:servers?|services?"
          + "|instances?|application|app|process(?:es)?|daemons?|containers?)\\b"
          + "|\\b(?:install|update|upgrade|fetch|get|re-?install)\\b (?:all )?(?:of )?(?:the |your )?(?:latest |new |updated "
          + "|required )?(?:[\\w-]+ )?dependencies\\b"
          + "|\\b(?:requires?|required|needs?) (?:new |updated |additional )?(?:[\\w-]+ )?dependencies\\b"
          + "|\\b(?:npm|yarn|pnpm|bower|composer|pip3?|bundle|gem) (?:ci|i|install|update|upgrade)\\b(?: --?[\\w-]+)*"
          + "|\\bclear (?:the |your |all )?(?:\\w+ )?cache[sd]?\\b|\\b[\\w-]+:clear\\b"
          + "|\\b(?:check(?:ing)?|review(?:ing)?|verify(?:ing)?|visit(?:ing)?|open(?:ing)?|look(?:ing)? at)\\b[^.]{0,80}?\\bto (?:ensure|confirm|verify|make sure|check)"
          + " (?:that )?[^.]{0,60}?\\b(?:pass\\w*|works?|working|running|healthy|up)\\b[^.]{0,30}"
          // a runtime's version, also where support for an older one ends ("dropped support for Node 16") and where
          // the sentence puts a verb between the runtime and its number ("minimum required Node version is 18")
          + "|(?:\\b(?:the |a |new )?(?:minimum|required|lowest)\\s+(?:supported |required )?(?:versions? of )?)?"
          + "(?:\\b(?:dropped|drops|dropping|removed|removes|removing|ended|ends) support for )?\\b" + RUNTIME
          + "\\s*(?:versions?\\s*)?(?:(?:is|are) (?:now )?)?(?:from v?\\d[\\w.]*\\s*)?(?:to\\s*)?v?\\d+(?:\\.\\d+)*\\+?"
          + "(?: or (?:greater|higher|newer|later|above|up))?", F);
  /** The words around a runtime version that only say the image must bring it. */
  private static final Pattern RUNTIME_WORDS = Pattern.compile("\\b(?:is|are) (?:now )?(?:required|needed|the minimum)"
      + "\\b|\\b(?:now )?(?:requires?|required|needs?)\\b|\\bto run (?:\\w+ ){0,2}|\\bat least\\b|\\bminimum\\b", F);
  private static final Pattern MANUAL = Pattern.compile("\\bmanual(?:ly)?\\b|\\bby hand\\b|\\bexplicitly\\b", F);
  private static final Pattern STEP_JOIN = Pattern.compile("[,;:]|\\b(?:and|then|and then|or|with|after that)\\b", F);

  /**
   * The sentence asks for the image's standard steps and nothing else: without them (and the upgrade's timing), no
   * signal, obligation or other instruction is left.
   */
  private static boolean onlyImageSteps(String lower) {
    if (OBLIGATION.matcher(lower).find() && !lower.matches("(?s).*\\b(?:is|are) (?:now )?required\\b.*")
        || STRONG_BREAKING.matcher(lower).find() || MANUAL.matcher(lower).find()) {
      return false; // "restart the worker manually": a step the note says the image does not do
    }
    String rest = IMAGE_STEP.matcher(lower).replaceAll(" ");
    rest = RUNTIME_WORDS.matcher(WHEN_UPGRADING.matcher(rest).replaceAll(" ")).replaceAll(" ");
    for (Signal sig : SIGNALS) {
      if (sig.pattern().matcher(rest).find()) {
        return false;
      }
    }
    for (String part : STEP_JOIN.split(rest)) {
      String p = part.replaceAll("^[\\s\\d.)*-]+", "");
      if (imperative(p)) {
        return false;
      }
    }
    return true;
  }

  /** A changelog entry's own verb: "Update `lib_x` #123" names a change the project made (round 7). */
  private static final Pattern CHANGE_VERB = Pattern.compile(
      "^(?:, )?(?:please )?(?:set|configure|change|update|add|remove|rename|replace|adjust|edit|define|export) ", F);
  /** A reference to an issue, pull request, commit or author: the mark of a changelog entry, not of advice. */
  private static final Pattern CHANGE_REF = Pattern.compile(
      "#\\d+|\\(\\s*\\p{XDigit}{7,40}\\s*\\)|^\\s*\\p{XDigit}{7,40}\\b|(?<![\\w.])@[A-Za-z0-9][\\w-]*");

  /**
   * True when every match of a requirement's words is the verb that opens a changelog entry carrying a reference
   * ("Update library `lib_opml` #4403", "Updated XController, add `field` (57407463)"): the entry reports what the
   * project changed; the composition ({@link EntryEffect}) still reads a removed setting or a new requirement in it.
   */
  private static boolean changeTitleOnly(Matcher m, String sentence) {
    if (!CHANGE_VERB.matcher(m.group()).lookingAt() || !CHANGE_REF.matcher(sentence).find()) {
      return false;
    }
    while (m.find()) {
      if (!CHANGE_VERB.matcher(m.group()).lookingAt()) {
        return false;
      }
    }
    return true;
  }

  private static boolean imperative(String body) {
    return IMPERATIVE.matcher(body.stripLeading()).lookingAt();
  }

  private static final Pattern HARMLESS = Pattern.compile("\\b(?:unused|dead|redundant|invalid|broken|unnecessary"
      + "|unneeded|unsupported|duplicate\\w*|stale|leftover"
      + "|obsolete|no-?op|debug|internal|test|tests|typo|warnings?|log(?:ging)? (?:line|message|noise)s?"
      // round 7: said of the thing removed, "no longer used" is "unused"
      + "|no longer (?:used|needed|in use)|not (?:used|needed) any ?more)\\b", F);

  private static boolean harmlessRemoval(String body) {
    return HARMLESS.matcher(body).find();
  }

  private static String firstMatch(Pattern p, String text) {
    Matcher m = p.matcher(text.length() > 2000 ? text.substring(0, 2000) : text);
    return m.find() ? m.group() : "another platform";
  }

  private static Classified c(String heading, SectionKind section, SentenceClass cls, boolean holds, String why,
      NoteParser.Unit unit, String sentence) {
    String w = why.length() > 120 ? why.substring(0, 120) + "…'" : why;
    return new Classified(heading, section, cls, holds && cls.holds(), w, unit.line(), sentence);
  }

  /** Null when the note reads as text; otherwise why not (mostly replacement or control characters). */
  private static String garbage(String text) {
    if (text.length() < 64) {
      return null;
    }
    int bad = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD' || c != '\n' && c != '\t' && Character.isISOControl(c)) {
        bad++;
      }
    }
    double share = bad / (double) text.length();
    if (share > MAX_GARBAGE_SHARE) {
      return String.format(Locale.ROOT, "the note is not text (%.0f %% invalid or control characters): it cannot"
          + " be read, so it holds", share * 100);
    }
    return null;
  }
}
