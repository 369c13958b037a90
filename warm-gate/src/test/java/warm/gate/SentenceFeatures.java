package warm.gate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features of one sentence for the learned combiner of gate round 10 (issue 14): only what the gate already
 * computes (section kind, the innermost heading's kind, the sentence class and whether a rule held it, EntryEffect's
 * effect × object × tense, the unit's kind and place) plus general cues and, optionally, a bag of general words whose
 * vocabulary is fixed here. No product name and no word learned from the corpus: a feature is a name from this class.
 */
final class SentenceFeatures {
  private SentenceFeatures() {}

  /** One sentence of one note: its feature names and whether the rules held it. */
  record Sentence(Set<String> features, boolean ruleHolds, String text) {}

  /** Cue words, each a general class of wording rather than a product's phrase. */
  private static final Map<String, Pattern> CUES = cues();

  private static Map<String, Pattern> cues() {
    Map<String, Pattern> m = new LinkedHashMap<>();
    int f = Pattern.CASE_INSENSITIVE;
    m.put("cue:imperative", Pattern.compile("^\\W*(?:please )?(?:update|change|set|add|remove|delete|run|execute"
        + "|migrate|rename|replace|adjust|edit|modify|configure|check|review|verify|make sure|ensure|back ?up|create"
        + "|recreate|regenerate|restart|reindex|upgrade|switch|move|copy|convert|export|import|install|enable|disable"
        + "|apply|follow|stop|rotate)\\b", f));
    m.put("cue:modal", Pattern.compile("\\b(?:must|need to|needs to|have to|has to|required|requires?|mandatory"
        + "|should)\\b", f));
    m.put("cue:negation", Pattern.compile("\\b(?:not|no longer|never|cannot|can't|won't|don't|doesn't|isn't"
        + "|aren't)\\b", f));
    m.put("cue:noaction", Pattern.compile("\\bno (?:\\w+ )?(?:action|changes?|steps?) (?:is |are )?(?:required|needed"
        + "|necessary)\\b|\\bnothing to do\\b|\\bno need to\\b|\\bbackwards?[ -]compatible\\b", f));
    m.put("cue:automatic", Pattern.compile("\\bautomatic(?:ally)?\\b|\\bon (?:start|startup|boot)\\b", f));
    m.put("cue:you", Pattern.compile("\\byou(?:r)?\\b", f));
    m.put("cue:if", Pattern.compile("\\bif\\b|\\bwhen using\\b|\\busers of\\b", f));
    m.put("cue:manual", Pattern.compile("\\bmanual(?:ly)?\\b|\\bby hand\\b|\\bexplicitly\\b|\\bone-time\\b", f));
    m.put("cue:upgrading", Pattern.compile("\\b(?:before|after|when|once) (?:you )?(?:upgrad|updat|migrat)\\w*", f));
    m.put("cue:default", Pattern.compile("\\bdefaults?\\b", f));
    m.put("cue:later", Pattern.compile("\\b(?:future|next|upcoming|later) (?:\\w+ )?(?:release|version|major)\\b"
        + "|\\bwill be removed\\b|\\bdeprecat\\w*", f));
    m.put("cue:code", Pattern.compile("`[^`]{1,80}`"));
    m.put("cue:ident", Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b|(?<![\\w-])--[a-z][a-z-]+"));
    m.put("cue:ref", Pattern.compile("#\\d+|\\(\\s*\\p{XDigit}{7,40}\\s*\\)|(?<![\\w.])@[A-Za-z0-9][\\w-]*"));
    m.put("cue:version", Pattern.compile("\\bv?\\d+\\.\\d+"));
    m.put("cue:security", Pattern.compile("\\bcve-\\d|\\bvulnerab\\w*|\\bsecurity\\b", f));
    m.put("cue:fixlead", Pattern.compile("^\\W*(?:\\[?\\w+]?:\\s*)?(?:fix(?:es|ed)?|bugfix|resolve[sd]?)\\b", f));
    m.put("cue:addlead", Pattern.compile("^\\W*(?:\\[?\\w+]?:\\s*)?(?:add(?:s|ed)?|new|support|allow|implement\\w*"
        + "|introduce[sd]?)\\b", f));
    m.put("cue:removelead", Pattern.compile("^\\W*(?:\\[?\\w+]?:\\s*)?(?:remov\\w*|drop\\w*|delet\\w*)\\b", f));
    return Collections.unmodifiableMap(m); // in this order: a sentence's features list in the same order every run
  }

  /**
   * A small bag of general words an operator reads for (fixed here, not learned from the notes): stems matched at a
   * word's start.
   */
  static final List<String> WORDS = List.of("remov", "drop", "delet", "deprecat", "default", "renam", "replac",
      "requir", "must", "need", "breaking", "incompatib", "upgrad", "migrat", "database", "schema", "config", "option",
      "setting", "variable", "environment", "env", "flag", "secret", "api", "endpoint", "support", "provider",
      "integration", "plugin", "auth", "login", "ldap", "oidc", "password", "token", "docker", "image", "container",
      "volume", "path", "port", "url", "proxy", "fix", "add", "improv", "new", "now", "no longer", "longer", "instead",
      "manual", "command", "run", "restart", "backup", "data", "file", "user", "admin", "server", "client", "ui",
      "test", "dependenc", "bump", "library", "php", "node", "python", "go", "version", "release", "step", "note",
      "warning", "important", "moved", "changed", "chang", "behavio", "disabled", "enabled", "no action", "opt");
  private static final Pattern WORD_SPLIT = Pattern.compile("[^a-z0-9]+");

  /**
   * @param note the note
   * @param classifier the gate's classifier (its reading is what the features describe)
   * @param words true to add the bag of general words
   * @return every sentence of the note the classifier read, in order
   */
  static List<Sentence> of(String note, NoteClassifier classifier, boolean words) {
    NoteClassifier.Verdict v = classifier.classify(note);
    List<NoteParser.Unit> units = NoteParser.parse(NoteText.of(note));
    Map<Integer, NoteParser.Unit> byLine = new HashMap<>();
    for (NoteParser.Unit u : units) {
      byLine.putIfAbsent(u.line(), u);
    }
    Map<Integer, Integer> unitIndex = new HashMap<>();
    for (int k = 0; k < units.size(); k++) {
      unitIndex.putIfAbsent(units.get(k).line(), k);
    }
    boolean breakingSection = false;
    boolean upgradeSection = false;
    for (NoteClassifier.Classified c : v.sentences()) {
      breakingSection |= c.section() == SectionKind.BREAKING;
      upgradeSection |= c.section() == SectionKind.UPGRADE;
    }
    List<Sentence> out = new ArrayList<>();
    int prevLine = -1;
    int inUnit = 0;
    for (NoteClassifier.Classified c : v.sentences()) {
      inUnit = c.line() == prevLine ? inUnit + 1 : 0;
      prevLine = c.line();
      Set<String> f = new LinkedHashSet<>();
      f.add("bias");
      f.add("sec=" + c.section());
      f.add("cls=" + c.cls());
      if (c.holds()) {
        f.add("holds");
        f.add("holds×sec=" + c.section());
      }
      if (c.why().startsWith("an instruction in a")) {
        f.add("rule:section-instruction");
      }
      NoteParser.Unit u = byLine.get(c.line());
      if (u != null) {
        f.add("kind=" + u.kind());
        if (u.admonition()) {
          f.add("admonition");
        }
        List<String> h = u.headings();
        f.add("depth=" + Math.min(h.size(), 3));
        if (!h.isEmpty()) {
          String last = h.get(h.size() - 1);
          f.add("head=" + SectionKind.ofHeading(last));
          if (SectionKind.removedHeading(last)) {
            f.add("head:removed");
          }
          if (SectionKind.catchAll(last)) {
            f.add("head:catch-all");
          }
        }
        int at = unitIndex.get(c.line());
        f.add("pos=" + Math.min(3, 4 * at / Math.max(1, units.size())));
      }
      f.add(inUnit == 0 ? "first-of-unit" : "later-in-unit");
      if (breakingSection) {
        f.add("note:breaking-section");
      }
      if (upgradeSection) {
        f.add("note:upgrade-section");
      }
      String text = c.text();
      EntryEffect.Reading r = EntryEffect.read(text);
      f.add("eff=" + r.effect());
      f.add("tgt=" + r.target());
      f.add("tense=" + r.tense());
      f.add("eff×tgt=" + r.effect() + "×" + r.target());
      f.add("eff×tense=" + r.effect() + "×" + r.tense());
      if (r.breaks(true)) {
        f.add("breaks");
        f.add("breaks×sec=" + c.section());
      }
      String head = text.length() > 600 ? text.substring(0, 600) : text;
      for (Map.Entry<String, Pattern> cue : CUES.entrySet()) {
        if (cue.getValue().matcher(head).find()) {
          f.add(cue.getKey());
        }
      }
      if (text.length() > 200) {
        f.add("long");
      }
      if (words) {
        String lower = " " + String.join(" ", WORD_SPLIT.split(head.toLowerCase(Locale.ROOT))) + " ";
        for (String w : WORDS) {
          if (lower.contains(" " + w)) {
            f.add("w:" + w);
          }
        }
      }
      out.add(new Sentence(f, c.holds(), text));
    }
    return out;
  }

  /** A quoted piece of a {@code why:} line, cut at its ellipses, long enough to find one sentence by. */
  private static final Pattern QUOTE = Pattern.compile("\"([^\"]{4,})\"|“([^”]{4,})”");

  /** The quoted pieces of a label's {@code why:} line, normalised. */
  static List<String> quotes(String why) {
    List<String> out = new ArrayList<>();
    Matcher m = QUOTE.matcher(why);
    while (m.find()) {
      String q = m.group(1) != null ? m.group(1) : m.group(2);
      for (String piece : q.split("\\.\\.\\.|…")) {
        String n = normalise(piece);
        if (n.length() >= 6) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** True when the sentence holds one of the quoted pieces, or is itself part of a longer quote. */
  static boolean quoted(String sentence, List<String> quotes) {
    String n = normalise(sentence);
    for (String q : quotes) {
      if (n.contains(q) || n.length() >= 20 && q.contains(n)) {
        return true;
      }
    }
    return false;
  }

  static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[`*\"“”'’\\\\]", "").replaceAll("\\s+", " ").strip();
  }
}
