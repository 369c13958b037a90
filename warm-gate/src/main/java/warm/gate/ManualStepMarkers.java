package warm.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the lines of a release note that announce operator work ("ATTENTION", "breaking", "you must", "backup before
 * upgrading", "run … after deploying", "not backwards compatible", "action required", …). Errs towards holding: a
 * false hold costs an operator a glance, a missed one costs an outage. Tuned on the labelled corpus in the tests
 * ({@code ManualStepMarkersCorpusTest}), which demands 100 % recall on notes that need a human.
 */
final class ManualStepMarkers {
  /** Quote at most this many lines per note; an alert is not the place for the whole note. */
  static final int MAX_QUOTES_PER_NOTE = 20;
  /** A quoted line is cut to this many characters around the match. */
  static final int MAX_QUOTE_CHARS = 240;
  // Hostile notes may have megabyte-long lines: scan them in overlapping windows so every regex stays linear.
  private static final int WINDOW = 1000;
  private static final int STEP = 800;

  // Defaults are ASCII words: ASCII case folding is enough and much cheaper on megabytes of hostile text.
  private static final int FLAGS = Pattern.CASE_INSENSITIVE;
  private static final int EXTRA_FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String UPGRADING = "(?:upgrad|updat|deploy|redeploy|install)\\w*";

  /** The default markers, by name; the names appear in docs/gate.md. */
  static final List<Marker> DEFAULTS = List.of(
      m("attention", List.of("attention"), "\\battention\\b"),
      m("breaking", List.of("break"), "\\bbreaking\\b|\\bbreaks\\b|\\bwill break\\b"),
      m("manual", List.of("manual", "by hand"), "\\bmanual(?:ly)?\\b|\\bby hand\\b"),
      m("migrate", List.of("migrat"), "\\bmigrat(?:e|es|ed|ing|ion|ions)\\b"),
      m("must", List.of("must", "need", "have to"), "\\bmust\\b|\\b(?:you|operators?|admins?|administrators?|users?) (?:will )?(?:need|have) to\\b"
          + "|\\bneeds? to be (?:done|run|set|changed|updated|added|removed|migrated|recreated)\\b"),
      m("backup before", List.of("back"), "\\bback(?:ing)?[ -]?ups?\\b.{0,80}?\\b(?:before|first|prior)\\b"
          + "|\\b(?:make|take|create|have) (?:a |an |sure (?:you have |to (?:make|take) )(?:a )?)?"
          + "(?:fresh |full |recent |complete )?back[ -]?up\\b|\\bback up (?:your|the|all|any)\\b"),
      m("before/after upgrading", List.of("before", "prior", "run", "execute", "after", "once"),
          "\\b(?:before|prior to) (?:you )?" + UPGRADING + "\\b|\\bbefore (?:the|this) (?:upgrade|update)\\b"
              + "|\\b(?:run|execute)\\b.{0,120}?\\b(?:before|after|prior to|once)\\b.{0,30}?\\b" + UPGRADING
              + "|\\b(?:after|once) (?:you )?(?:have )?" + UPGRADING + "\\b.{0,60}?\\b(?:run|execute|log ?in|go to"
              + "|visit|open|re-?create|restart|delete|remove|set|change|update)\\b"),
      m("not backwards compatible", List.of("compatible"), "\\bnot backwards?[ -]compatible\\b|\\bincompatible\\b"
          + "|\\bno longer compatible\\b|\\bbackwards?[ -]incompatible\\b"),
      m("action required", List.of("action", "intervention", "require"), "(?<!\\bno )\\baction (?:is )?(?:required|needed)\\b|\\bintervention\\b"
          + "|\\brequires? (?:manual|operator|user|admin) (?:action|steps?|work)\\b"
          + "|\\bthis (?:release|version|update|upgrade) requires\\b"),
      m("warning line", List.of(), "^\\W*(?:warning|important|caution|heads[ -]up|note well|n\\.?b\\.)\\b"),
      m("data loss", List.of("loss", "destructive", "irreversible", "undone", "will "), "\\bdata[ -]loss\\b|\\bdestructive\\b|\\birreversible\\b|\\bcannot be undone\\b"
          + "|\\bwill (?:delete|erase|wipe|reset|drop)\\b"),
      m("configuration change", List.of(".env", "abra app", "secret", "required", "rename"), "\\b(?:edit|update|change|add|set|adjust|rename|remove)\\b.{0,60}?\\.env\\b(?!\\.sample)"
          + "|\\babra app (?:config|cmd|run|secret|restore|backup|undeploy|volume)\\b"
          + "|\\bsecret (?:generate|insert|rm)\\b|\\bnew (?:required )?secrets?\\b|\\bnow required\\b"
          + "|\\brequired (?:env|environment|variable|secret|setting|config)"
          + "|\\brenamed?\\b.{0,60}?\\b(?:env|variable|secret|volume|config)"
          + "|\\b(?:env|variable|secret|volume|config)\\w*\\b.{0,60}?\\brenamed\\b"),
      m("upgrade path", List.of("at a time", "intermediate", "upgrad", "skip", "downgrade", "migration"), "\\bone major (?:version|release) at a time\\b|\\bupgrade path\\b"
          + "|\\bintermediate (?:version|release)\\b|\\b(?:do not|don't|never|cannot|can't) (?:upgrade|skip|downgrade)\\b"
          + "|\\bskip(?:ping)? (?:a |any )?(?:major )?(?:versions?|releases?)\\b"
          + "|\\b(?:upgrade|upgrading|migration) (?:guide|instructions|steps|notes)\\b"),
      m("dump and restore", List.of("pg", "dump", "export", "index"), "\\bpg[ _]?(?:dump|dumpall|upgrade|restore)\\b|\\bmysqldump\\b|\\bdump and restore\\b"
          + "|\\b(?:export|dump)\\b.{0,60}?\\b(?:import|restore)\\b|\\bre-?index\\b"),
      m("undeploy", List.of("undeploy"), "\\bundeploy\\b"),
      m("major upstream", List.of("major"), "\\bmajor (?:upstream )?(?:upgrade|update|version|release|bump)\\b"),
      m("removed", List.of("removed", "no longer"), "\\b(?:was|were|has been|have been) removed\\b|\\bno longer (?:supported|available|works)\\b"
          + "|\\bremoved support\\b"),
      m("ownership", List.of("chown"), "\\bchown\\b"));

  private final List<Marker> markers;

  private ManualStepMarkers(List<Marker> markers) {
    this.markers = List.copyOf(markers);
  }

  /** The defaults plus the policy's extra markers, each a literal, case-insensitive phrase. */
  static ManualStepMarkers with(List<String> extraPhrases) {
    List<Marker> all = new ArrayList<>(DEFAULTS);
    for (String phrase : extraPhrases) {
      all.add(new Marker("extra: " + phrase, Pattern.compile(Pattern.quote(normalize(phrase.strip())), EXTRA_FLAGS),
          List.of()));
    }
    return new ManualStepMarkers(all);
  }

  private static Marker m(String name, List<String> triggers, String regex) {
    return new Marker(name, Pattern.compile(regex, FLAGS), triggers);
  }

  /**
   * A named pattern. {@code triggers}: lower-case literals of which at least one occurs wherever the pattern
   * matches; a window containing none of them skips the regex (plain substring search is far cheaper on megabytes
   * of hostile text). Empty means always run the regex.
   */
  record Marker(String name, Pattern pattern, List<String> triggers) {}

  /**
   * The lines of {@code text} a marker matches, quoted (stripped, cut to {@link #MAX_QUOTE_CHARS}); a phrase wrapped
   * over two lines ("run X before\nupgrading") quotes both. At most {@link #MAX_QUOTES_PER_NOTE}, then one line saying
   * how many more matched.
   */
  List<String> matchingLines(String text) {
    Matcher[] matchers = new Matcher[markers.size()];
    for (int k = 0; k < matchers.length; k++) {
      matchers[k] = markers.get(k).pattern().matcher("");
    }
    String[] lines = text.split("\n", -1);
    boolean[] hit = new boolean[lines.length];
    int[] at = new int[lines.length];
    for (int i = 0; i < lines.length; i++) {
      int pos = lines[i].isBlank() ? -1 : find(normalize(lines[i]), true, matchers);
      if (pos >= 0) {
        hit[i] = true;
        at[i] = pos;
      }
    }
    for (int i = 0; i + 1 < lines.length; i++) {
      if (!hit[i] && !hit[i + 1] && !lines[i].isBlank() && !lines[i + 1].isBlank()) {
        String a = normalize(tail(lines[i]));
        if (find(a + " " + normalize(head(lines[i + 1])), false, matchers) >= 0) {
          hit[i] = true;
          hit[i + 1] = true;
        }
      }
    }
    List<String> quotes = new ArrayList<>();
    int more = 0;
    for (int i = 0; i < lines.length; i++) {
      if (hit[i]) {
        if (quotes.size() < MAX_QUOTES_PER_NOTE) {
          quotes.add(quote(lines[i], at[i]));
        } else {
          more++;
        }
      }
    }
    if (more > 0) {
      quotes.add("(… " + more + " more matching lines)");
    }
    return quotes;
  }

  /** Position of the first marker match in a normalized line, or -1. */
  private int find(String line, boolean lineStart, Matcher[] matchers) {
    for (int start = 0; start < Math.max(1, line.length()); start += STEP) {
      String window = line.substring(start, Math.min(line.length(), start + WINDOW));
      String lower = window.toLowerCase(Locale.ROOT);
      for (int k = 0; k < matchers.length; k++) {
        Marker marker = markers.get(k);
        // "^" markers only make sense at the real start of a line.
        if ((!lineStart || start > 0) && marker.pattern().pattern().startsWith("^")) {
          continue;
        }
        if (!marker.triggers().isEmpty() && marker.triggers().stream().noneMatch(lower::contains)) {
          continue;
        }
        Matcher m = matchers[k].reset(window);
        if (m.find()) {
          return start + m.start();
        }
      }
      if (start + WINDOW >= line.length()) {
        break;
      }
    }
    return -1;
  }

  // Markdown emphasis and code quotes must not hide a word from \b ("_manual_" has no word boundary).
  private static String normalize(String line) {
    StringBuilder b = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      b.append(c == '*' || c == '_' || c == '`' || c == '\t' ? ' ' : c);
    }
    return b.toString();
  }

  private static String tail(String s) {
    return s.length() > 200 ? s.substring(s.length() - 200) : s;
  }

  private static String head(String s) {
    return s.length() > 200 ? s.substring(0, 200) : s;
  }

  private static String quote(String line, int at) {
    String s = line.strip();
    if (s.length() <= MAX_QUOTE_CHARS) {
      return s;
    }
    int lead = line.length() - line.stripLeading().length();
    int centre = Math.max(0, Math.min(s.length(), at - lead));
    int from = Math.max(0, Math.min(centre - MAX_QUOTE_CHARS / 3, s.length() - MAX_QUOTE_CHARS));
    return (from > 0 ? "…" : "") + s.substring(from, from + MAX_QUOTE_CHARS) + "…";
  }
}
