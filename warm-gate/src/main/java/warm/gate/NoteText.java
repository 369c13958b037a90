package warm.gate;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns the bytes of a release note into text lines: invalid UTF-8 becomes U+FFFD, control characters become
 * spaces, and a note that looks like HTML goes through jsoup (script and style content is dropped, block elements
 * become line breaks). Markdown and plain text stay as written.
 */
final class NoteText {
  // Only opening tags that real notes use; no [^>]* so that a hostile "<p<p<p…" cannot make the search quadratic.
  private static final Pattern HTML_TAG = Pattern.compile(
      "<(?:!doctype|html|head|body|p|div|br|hr|h[1-6]|ul|ol|li|script|style|a|strong|em|b|i|pre|code|span|table|tr|td)"
          + "(?=[\\s/>])",
      Pattern.CASE_INSENSITIVE);

  /**
   * jsoup builds a full tree (hundreds of bytes per element, transiently much more); above 256 Ki characters a
   * hostile note of nested tags would cost too much, so larger HTML goes through {@link #stripTags} instead.
   */
  static final int MAX_JSOUP_CHARS = 256 * 1024;

  private NoteText() {}

  /** @return the note as text with {@code \n} line ends */
  static String of(byte[] bytes, int length) {
    return of(new String(bytes, 0, length, StandardCharsets.UTF_8));
  }

  /** @return the note as text with {@code \n} line ends */
  static String of(String note) {
    String raw = note.startsWith("\uFEFF") ? note.substring(1) : note;
    String text = raw;
    if (HTML_TAG.matcher(raw).find()) {
      if (MARKDOWN_LINE.matcher(raw.length() > 4096 ? raw.substring(0, 4096) : raw).find()
          && !raw.stripLeading().startsWith("<")) {
        // Markdown with a few tags in it (GitHub's <details>, <br>): keep the lines, drop the tags.
        text = stripTags(raw, false);
      } else {
        text = raw.length() <= MAX_JSOUP_CHARS ? htmlToText(escapeUnknownTags(raw)) : stripTags(raw);
      }
    }
    return clean(text);
  }

  private static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          continue;
        }
        b.append('\n');
      } else if (c == '\n' || c == '\t') {
        b.append(c);
      } else if (Character.isISOControl(c)) {
        b.append(' ');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** A Markdown heading or bullet at the start of a line: the note is Markdown even if it holds tags. */
  private static final Pattern MARKDOWN_LINE = Pattern.compile("(?m)^(?:#{1,6} |[-*] \\S|=+ \\S)");

  /** One linear pass: drops tags, and the content of script and style elements; a tag becomes a line break. */
  static String stripTags(String html) {
    return stripTags(html, true);
  }

  /**
   * One linear pass: drops tags, and the content of script and style elements.
   *
   * @param breaks true: every tag becomes a line break; false: tags vanish and the text's own lines stay
   */
  static String stripTags(String html, boolean breaks) {
    StringBuilder out = new StringBuilder(html.length() / 2);
    int i = 0;
    int n = html.length();
    while (i < n) {
      char c = html.charAt(i);
      // In Markdown, "<app>" or "a < b" is text: only real HTML tags are dropped there.
      if (c != '<' || !breaks && !tagAt(html, i)) {
        out.append(c);
        i++;
        continue;
      }
      String skipTo = html.regionMatches(true, i, "<script", 0, 7) ? "</script"
          : html.regionMatches(true, i, "<style", 0, 6) ? "</style" : null;
      if (skipTo != null) {
        int end = indexOfIgnoreCase(html, skipTo, i + 1);
        i = end < 0 ? n : end;
      }
      int close = html.indexOf('>', i);
      i = close < 0 ? n : close + 1;
      if (breaks && (out.length() == 0 || out.charAt(out.length() - 1) != '\n')) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Tags Markdown notes carry (GitHub's collapsible blocks, line breaks, images) and the HTML tags above. */
  private static final Pattern MARKDOWN_TAG = Pattern.compile("</?(?:details|summary|img|sub|sup|kbd|picture|source"
      + "|br|hr|p|div|span|a|b|i|u|s|em|strong|code|pre|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption"
      + "|h[1-6]|script|style|html|head|body|meta|link|title|section|article|main|nav|header|footer|blockquote|figure"
      + "|figcaption|del|ins|small|mark|abbr|time|svg|g-emoji|relative-time|!doctype|!--)(?=[\\s/>]|$)",
      Pattern.CASE_INSENSITIVE);

  /**
   * "&lt;app&gt;" in a note is a placeholder, not an element: escapes every '&lt;' that does not open a known tag, so
   * that jsoup keeps it as text instead of swallowing it.
   */
  static String escapeUnknownTags(String html) {
    StringBuilder out = new StringBuilder(html.length() + 16);
    for (int i = 0; i < html.length(); i++) {
      char c = html.charAt(i);
      if (c == '<' && !tagAt(html, i)) {
        out.append("&lt;");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean tagAt(String s, int i) {
    return MARKDOWN_TAG.matcher(s).region(i, Math.min(s.length(), i + 16)).lookingAt();
  }

  private static int indexOfIgnoreCase(String s, String what, int from) {
    for (int i = from; i + what.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, what, 0, what.length())) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Renders HTML as the Markdown the note parser reads, so that structure survives: {@code <h2>} becomes
   * {@code ## title}, {@code <li>} a bullet, {@code <tr>} a table row, {@code <pre>} a fenced block, and each block
   * element starts a new paragraph.
   */
  private static String htmlToText(String html) {
    StringBuilder out = new StringBuilder(html.length() / 2);
    // NodeTraversor walks iteratively, so deeply nested hostile markup cannot overflow the stack.
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode t) {
          out.append(t.text());
          return;
        }
        if (!(node instanceof Element e)) {
          return;
        }
        String n = e.normalName();
        if (n.length() == 2 && n.charAt(0) == 'h' && n.charAt(1) >= '1' && n.charAt(1) <= '6') {
          out.append("\n\n").append("#".repeat(n.charAt(1) - '0')).append(' ');
        } else if (n.equals("li")) {
          out.append("\n- ");
        } else if (n.equals("tr")) {
          out.append("\n| ");
        } else if (n.equals("pre")) {
          out.append("\n```\n");
        } else if (n.equals("br")) {
          out.append('\n');
        } else if (e.isBlock() && !n.equals("td") && !n.equals("th")) {
          out.append("\n\n");
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (!(node instanceof Element e)) {
          return;
        }
        String n = e.normalName();
        if (n.equals("td") || n.equals("th")) {
          out.append(" | ");
        } else if (n.equals("pre")) {
          out.append("\n```\n");
        } else if (e.isBlock() && !n.equals("li")) {
          out.append('\n');
        }
      }
    }, Jsoup.parse(html).body());
    return out.toString();
  }
}
