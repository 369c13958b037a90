package warm.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a note's text (already decoded by {@link NoteText}, HTML already rendered as Markdown) into units —
 * paragraphs, bullets, table rows, code blocks — each under its heading path, and each unit into sentences.
 * Headings are recognised in every format real notes use at once: Markdown ({@code #} and underlined), AsciiDoc
 * ({@code == Title}), reStructuredText (a title underlined, or over- and underlined, with punctuation), a line that
 * is only bold text, and a short plain-text line ending in a colon ("Breaking changes:"). One linear pass; every
 * regex is anchored or bounded, so a megabyte of hostile text costs linear time.
 */
final class NoteParser {
  /** A sentence longer than this is cut into pieces: the classifier's patterns look at most this far. */
  static final int MAX_SENTENCE_CHARS = 600;
  /** Headings longer than this are not headings (a hostile line of '#'s must not become the path of everything). */
  private static final int MAX_HEADING_CHARS = 120;
  /** Level of pseudo-headings (bold lines, "Title:" lines): below every real heading. */
  private static final int PSEUDO_LEVEL = 7;

  private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.*?)[ \\t#]*$");
  private static final Pattern ASCIIDOC = Pattern.compile("^(={1,6})[ \\t]+(\\S.*)$");
  private static final Pattern ADORNMENT = Pattern.compile("^([=\\-~^\"'`#*+.:_])\\1{2,}[ \\t]*$");
  private static final Pattern BULLET = Pattern.compile("^([ \\t]*)(?:[-*+•‣◦]|\\d{1,3}[.)]|[a-z][.)])[ \\t]+(.*)$");
  /** Bold text alone on a line, a colon and an emoji after it allowed ("**Security:** ⚠️", round 8). */
  private static final Pattern BOLD_LINE = Pattern.compile("^(?:\\*\\*|__)([^*_]{1," + MAX_HEADING_CHARS
      + "}?)(?:\\*\\*|__)[ \\t]*:?[ \\t]*(?:[\\p{So}\\uFE0F\\u200D]+[ \\t]*)?$");
  private static final Pattern COLON_LINE = Pattern.compile("^([A-Za-z][^.!?:|,]{1,60}):[ \\t]*$");
  /** A bullet that only names a category ("* BREAKING", "- Bug fixes:") and heads the nested bullets below it. */
  private static final Pattern CATEGORY_BULLET = Pattern.compile("^(?:[A-Z][A-Z &/-]{2,40}|[A-Za-z][\\w &/-]{1,40}:)$");
  private static final Pattern FENCE = Pattern.compile("^[ \\t]*(?:```|~~~|----|\\.\\.\\.\\.)[ \\t\\w-]*$");
  private static final Pattern TABLE_SEPARATOR = Pattern.compile("^[ \\t|:+=-]*$");
  private static final Pattern ADMONITION = Pattern.compile(
      "^(?:\\[!(?:warning|important|caution)]|(?:\\*\\*)?(?:warning|important|caution)(?:\\*\\*)?:|\\.\\. (?:warning|important|caution|attention|danger)::)",
      Pattern.CASE_INSENSITIVE);
  /**
   * A Markdown link reference definition ("[#123]: https://…", "[ms-v1.2]: /milestone/4 "title""): it renders as
   * nothing, so it is no sentence (round 13: a list of them under "Removed" held as items of the list).
   */
  private static final Pattern LINK_DEFINITION = Pattern.compile(
      "^ {0,3}\\[[^\\]\\n]{1,200}]:[ \\t]*<?[^\\s<>]{1,2000}>?(?:[ \\t]+(?:\"[^\"]{0,300}\"|'[^']{0,300}'"
          + "|\\([^)]{0,300}\\)))?[ \\t]*$");
  // Markdown links and images: keep the text, drop the URL (bounded, so "[[[[…" stays linear).
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]\\n]{0,300})]\\([^)\\s]{0,500}\\)");

  private NoteParser() {}

  /**
   * A block of a note and its sentences.
   *
   * @param headings the heading path, outermost first
   * @param line the 1-based line the unit starts on
   * @param text the unit's text, joined into one line
   * @param sentences the unit's sentences (a code block has none)
   * @param kind what the unit is
   * @param admonition true when the unit is flagged as a warning/important/caution block
   */
  record Unit(List<String> headings, int line, String text, List<String> sentences, UnitKind kind,
      boolean admonition) {}

  enum UnitKind { PARAGRAPH, BULLET, ROW, CODE }

  /** One heading on the stack. */
  private record Heading(int level, String title) {}

  /**
   * @param text the decoded note
   * @return its units in order; never null, never throws on any text
   */
  static List<Unit> parse(String text) {
    String[] lines = text.split("\n", -1);
    List<Unit> units = new ArrayList<>();
    List<Heading> stack = new ArrayList<>();
    List<String> rstStyles = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int[] curLine = {0};
    UnitKind[] curKind = {UnitKind.PARAGRAPH};
    boolean[] curAdmonition = {false};
    boolean inFence = false;
    int i = 0;
    while (i < lines.length) {
      String raw = lines[i];
      String line = stripQuote(raw);
      String trimmed = line.strip();
      if (inFence) {
        if (FENCE.matcher(line).matches()) {
          flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
          curAdmonition[0] = false;
          inFence = false;
        } else {
          append(cur, trimmed);
        }
        i++;
        continue;
      }
      if (trimmed.isEmpty()) {
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = false;
        i++;
        continue;
      }
      if (cur.length() == 0 && trimmed.charAt(0) == '[' && LINK_DEFINITION.matcher(line).matches()) {
        i++; // a link reference definition between blocks (it cannot interrupt a paragraph)
        continue;
      }
      if (FENCE.matcher(line).matches() && !ADORNMENT.matcher(trimmed).matches()
          || trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        boolean admonition = curAdmonition[0];
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = admonition;
        inFence = true;
        curLine[0] = i + 1;
        curKind[0] = UnitKind.CODE;
        i++;
        continue;
      }
      String next = i + 1 < lines.length ? stripQuote(lines[i + 1]).strip() : "";
      // reStructuredText over- and underlined title: "=====\nTitle\n====="
      if (ADORNMENT.matcher(trimmed).matches() && i + 2 < lines.length && !next.isEmpty()
          && next.length() <= MAX_HEADING_CHARS && !ADORNMENT.matcher(next).matches()
          && stripQuote(lines[i + 2]).strip().equals(trimmed) && cur.length() == 0) {
        push(stack, rstLevel(rstStyles, "over" + trimmed.charAt(0)), next);
        i += 3;
        continue;
      }
      // Underlined title (Markdown setext, reStructuredText): the underline is at least 3 characters long.
      if (cur.length() == 0 && !next.isEmpty() && ADORNMENT.matcher(next).matches()
          && trimmed.length() <= MAX_HEADING_CHARS && !BULLET.matcher(line).matches()
          && !ADORNMENT.matcher(trimmed).matches()) {
        char c = next.charAt(0);
        int level = c == '=' ? rstLevel(rstStyles, "=") : c == '-' ? rstLevel(rstStyles, "-")
            : rstLevel(rstStyles, String.valueOf(c));
        push(stack, level, trimmed);
        i += 2;
        continue;
      }
      if (ADORNMENT.matcher(trimmed).matches()) { // a rule: ends the paragraph
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = false;
        i++;
        continue;
      }
      // Length first: a hostile line of "# # # …" would make the lazy heading pattern quadratic.
      boolean headingSized = line.length() <= MAX_HEADING_CHARS + 16;
      Matcher m = ATX.matcher(headingSized ? line : "");
      if (headingSized && m.matches() && m.group(2).length() <= MAX_HEADING_CHARS) {
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = false;
        pushTitle(units, stack, m.group(1).length(), m.group(2), i + 1);
        i++;
        continue;
      }
      m = ASCIIDOC.matcher(headingSized ? line : "");
      if (headingSized && m.matches()) {
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = false;
        push(stack, m.group(1).length(), m.group(2));
        i++;
        continue;
      }
      if (cur.length() == 0 || curKind[0] != UnitKind.BULLET) {
        Matcher b = BOLD_LINE.matcher(trimmed);
        Matcher c = COLON_LINE.matcher(trimmed);
        // a lower-case line ending in ':' after an unfinished paragraph line is that sentence wrapped, not a title
        boolean wrapped = cur.length() > 0 && curKind[0] == UnitKind.PARAGRAPH && !endsSentence(cur)
            && Character.isLowerCase(trimmed.charAt(0));
        if (b.matches() || c.matches() && !wrapped && !BULLET.matcher(line).matches()
            && c.group(1).split("\\s+").length <= 6) {
          String title = b.matches() ? b.group(1) : c.group(1);
          flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
          curAdmonition[0] = false;
          if (ADMONITION.matcher(trimmed).lookingAt()) {
            curAdmonition[0] = true; // "**Warning**" alone: the next paragraph is the warning, not a section
          } else {
            if (b.matches()) {
              // a bold line of more than five words says something itself, as a long '#' heading does (round 12:
              // "**This release adds new migrations, be sure to run them before restarting**")
              pushTitle(units, stack, PSEUDO_LEVEL, title, i + 1);
            } else {
              push(stack, PSEUDO_LEVEL, title);
            }
            if (!b.matches() && !sectionNameOnly(title)) {
              // "Plugins that need updating:" heads its list and says something itself; "Breaking changes:" only
              // names the section its list is read in (round 8)
              units.add(unit(stack.subList(0, stack.size() - 1), i + 1, trimmed, UnitKind.PARAGRAPH, false));
            }
          }
          i++;
          continue;
        }
      }
      if (trimmed.startsWith("|") && (trimmed.length() > 1)) {
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = false;
        if (!TABLE_SEPARATOR.matcher(trimmed).matches()) {
          String row = row(trimmed);
          units.add(unit(stack, i + 1, row, UnitKind.ROW, false));
        }
        i++;
        continue;
      }
      Matcher bullet = BULLET.matcher(line);
      if (bullet.matches() && CATEGORY_BULLET.matcher(bullet.group(2).strip()).matches()
          && bullet.group(2).strip().split("\\s+").length <= 4) {
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = false;
        push(stack, PSEUDO_LEVEL + 1 + bullet.group(1).length(), bullet.group(2).strip().replaceAll(":$", ""));
        i++;
        continue;
      }
      if (bullet.matches()) {
        boolean admonition = curAdmonition[0] && cur.length() == 0;
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curAdmonition[0] = admonition;
        curLine[0] = i + 1;
        curKind[0] = UnitKind.BULLET;
        append(cur, bullet.group(2));
        i++;
        continue;
      }
      if (cur.length() == 0) {
        curLine[0] = i + 1;
        curKind[0] = UnitKind.PARAGRAPH;
        if (ADMONITION.matcher(trimmed).lookingAt()) {
          curAdmonition[0] = true;
        }
      } else if ((curKind[0] == UnitKind.PARAGRAPH || curKind[0] == UnitKind.BULLET && line.equals(trimmed))
          && (endsSentence(cur) || endsStatement(cur)) && startsStatement(trimmed)
          || curKind[0] == UnitKind.PARAGRAPH && endsSentence(cur)) {
        // A new statement: a plain line after a finished one, or an unindented capitalised line after a bullet.
        // Plain-text notes often put one statement per line without bullets: keep them apart.
        flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
        curLine[0] = i + 1;
        curKind[0] = UnitKind.PARAGRAPH;
        curAdmonition[0] = ADMONITION.matcher(trimmed).lookingAt();
      }
      append(cur, trimmed);
      i++;
    }
    flush(units, stack, cur, curLine[0], curKind[0], curAdmonition[0]);
    return units;
  }

  /** "| a |  b |" → "a | b" (by hand: a regex with [ \t]* around '|' is quadratic on long runs of spaces). */
  private static String row(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.split("\\|", -1)) {
      if (!cell.isBlank()) {
        cells.add(cell.strip());
      }
    }
    return String.join(" | ", cells);
  }

  private static String stripQuote(String line) {
    int k = 0;
    while (k < line.length() && k < 16 && (line.charAt(k) == '>' || line.charAt(k) == ' ')) {
      k++;
    }
    return k > 0 && line.indexOf('>') >= 0 && line.indexOf('>') < k ? line.substring(k) : line;
  }

  private static boolean endsStatement(StringBuilder cur) {
    char c = cur.charAt(cur.length() - 1);
    return c == ')' || Character.isLetterOrDigit(c) && cur.length() < 80;
  }

  /** A title of at most three words that only names a kind of section: "Breaking changes", "Bug fixes". */
  private static boolean sectionNameOnly(String title) {
    return title.strip().split("\\s+").length <= 3 && SectionKind.ofHeading(title) != SectionKind.GENERAL;
  }

  private static boolean endsSentence(StringBuilder cur) {
    char c = cur.charAt(cur.length() - 1);
    return c == '.' || c == '!' || c == '?';
  }

  private static boolean startsStatement(String line) {
    return Character.isUpperCase(line.charAt(0));
  }

  private static int rstLevel(List<String> styles, String style) {
    int k = styles.indexOf(style);
    if (k < 0) {
      styles.add(style);
      k = styles.size() - 1;
    }
    return Math.min(6, k + 1);
  }

  /**
   * Pushes a real heading and adds it as a unit under its parent path: in upgrade guides the heading is often the
   * whole message ("Plugins that need updating when upgrading to 6.4").
   */
  private static void pushTitle(List<Unit> units, List<Heading> stack, int level, String title, int line) {
    push(stack, level, title);
    if (!stack.isEmpty() && title.strip().split("\\s+").length > 5) {
      units.add(unit(stack.subList(0, stack.size() - 1), line, title.strip(), UnitKind.PARAGRAPH, false));
    }
  }

  private static void push(List<Heading> stack, int level, String title) {
    while (!stack.isEmpty() && stack.get(stack.size() - 1).level() >= level) {
      stack.remove(stack.size() - 1);
    }
    String t = clean(title).strip();
    if (!t.isEmpty()) {
      stack.add(new Heading(level, t.length() > MAX_HEADING_CHARS ? t.substring(0, MAX_HEADING_CHARS) : t));
    }
  }

  private static void append(StringBuilder cur, String text) {
    if (cur.length() > 0) {
      cur.append(' ');
    }
    cur.append(text);
  }

  private static void flush(List<Unit> units, List<Heading> stack, StringBuilder cur, int line, UnitKind kind,
      boolean admonition) {
    if (cur.length() == 0) {
      return;
    }
    units.add(unit(stack, line, cur.toString(), kind, admonition));
    cur.setLength(0);
  }

  private static Unit unit(List<Heading> stack, int line, String text, UnitKind kind, boolean admonition) {
    // headings are copied: the stack changes after this unit
    List<String> headings = stack.stream().map(Heading::title).toList();
    String t = clean(text);
    List<String> sentences = kind == UnitKind.CODE ? List.of() : sentences(t);
    return new Unit(headings, line, t, sentences, kind, admonition);
  }

  /** Drops link targets and emphasis markers, which only hide words from the patterns; code quotes stay. */
  static String clean(String s) {
    String t = LINK.matcher(s).replaceAll("$1");
    StringBuilder b = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean edge = i == 0 || i == t.length() - 1 || !Character.isLetterOrDigit(t.charAt(i - 1))
          || !Character.isLetterOrDigit(t.charAt(i + 1));
      if (c == '*' || c == '\t' || c == '_' && edge) {
        b.append(' ');
      } else {
        b.append(c);
      }
    }
    return b.toString().replaceAll(" {2,}", " ").strip();
  }

  /**
   * Splits at '.', '!' or '?' followed by a space and a capital, a digit or a quote, unless the word before is an
   * abbreviation; pieces longer than {@link #MAX_SENTENCE_CHARS} are cut at a space.
   */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean end = (c == '.' || c == '!' || c == '?') && i + 2 < n && text.charAt(i + 1) == ' '
          && startsSentence(text.charAt(i + 2)) && !abbreviation(text, i);
      if (end) {
        add(out, text.substring(start, i + 1));
        start = i + 2;
      }
    }
    if (start < n) {
      add(out, text.substring(start));
    }
    return out;
  }

  private static boolean startsSentence(char c) {
    return Character.isUpperCase(c) || Character.isDigit(c) || c == '"' || c == '\'' || c == '(' || c == '[' || c == '`';
  }

  private static boolean abbreviation(String text, int dot) {
    int k = dot;
    while (k > 0 && Character.isLetter(text.charAt(k - 1)) && dot - k < 6) {
      k--;
    }
    String word = text.substring(k, dot).toLowerCase(java.util.Locale.ROOT);
    return switch (word) {
      case "e.g", "i.e", "g", "e", "etc", "vs", "approx", "incl", "cf", "no", "nr", "ver", "v" -> true;
      default -> false;
    };
  }

  private static void add(List<String> out, String sentence) {
    String s = sentence.strip();
    int from = 0; // by index: cutting a megabyte line by repeated substring() would copy it quadratically
    while (s.length() - from > MAX_SENTENCE_CHARS) {
      int cut = s.lastIndexOf(' ', from + MAX_SENTENCE_CHARS);
      if (cut < from + MAX_SENTENCE_CHARS / 2) {
        cut = from + MAX_SENTENCE_CHARS;
      }
      String piece = s.substring(from, cut).strip();
      if (!piece.isEmpty()) {
        out.add(piece);
      }
      from = cut;
    }
    String rest = s.substring(from).strip();
    if (!rest.isEmpty()) {
      out.add(rest);
    }
  }
}
