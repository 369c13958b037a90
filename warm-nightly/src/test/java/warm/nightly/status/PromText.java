package warm.nightly.status;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) as node_exporter's textfile collector reads it:
 * HELP/TYPE lines before a family's samples, metric and label names by the spec's grammar, escaped label values,
 * numeric values, no duplicate series, no family split in two. Fails with the offending line.
 */
final class PromText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

  /** One sample: metric name, labels (sorted), value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private PromText() {}

  /** Series key ({@code name{a="x",b="y"}}, labels sorted) → sample. */
  static Map<String, Sample> parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError("the file must end with a line feed");
    }
    Map<String, Sample> out = new LinkedHashMap<>();
    Map<String, String> types = new HashMap<>();
    Set<String> closed = new HashSet<>();
    String current = null;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] p = line.split(" ", 4);
        if (p.length >= 3 && (p[1].equals("HELP") || p[1].equals("TYPE"))) {
          require(NAME.matcher(p[2]).matches(), n, line, "bad metric name");
          require(!closed.contains(p[2]), n, line, "family " + p[2] + " appears twice");
          if (p[1].equals("TYPE")) {
            require(p.length == 4 && Set.of("gauge", "counter", "untyped", "summary", "histogram").contains(p[3]),
                n, line, "bad TYPE");
            require(!types.containsKey(p[2]), n, line, "second TYPE");
            types.put(p[2], p[3]);
          }
          if (!p[2].equals(current)) {
            if (current != null) {
              closed.add(current);
            }
            current = p[2];
          }
        }
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      require(space > 0, n, line, "no value");
      String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      require(NAME.matcher(name).matches(), n, line, "bad metric name");
      require(types.containsKey(name), n, line, "sample before its TYPE");
      require(name.equals(current), n, line, "sample outside its family's block");
      Map<String, String> labels = new TreeMap<>();
      if (brace >= 0 && brace < space) {
        int close = line.lastIndexOf('}');
        require(close > brace && close < space, n, line, "unclosed labels");
        String body = line.substring(brace + 1, close);
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
          require(m.find(at) && m.start() == at, n, line, "bad label at " + at);
          require(labels.put(m.group(1), unescape(m.group(2))) == null, n, line, "label twice");
          at = m.end();
          if (at < body.length()) {
            require(body.charAt(at) == ',', n, line, "labels must be separated by ','");
            at++;
          }
        }
      }
      double value;
      try {
        value = Double.parseDouble(line.substring(space + 1));
      } catch (NumberFormatException e) {
        throw new AssertionError("line " + n + ": bad value: " + line);
      }
      String key = name + labels;
      require(out.put(key, new Sample(name, labels, value)) == null, n, line, "duplicate series");
    }
    return out;
  }

  /** The value of the one series with that name and exactly those labels (given as k, v pairs). */
  static double value(Map<String, Sample> samples, String name, String... kv) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      labels.put(kv[i], kv[i + 1]);
    }
    Sample s = samples.get(name + labels);
    if (s == null) {
      throw new AssertionError("no series " + name + labels + " in " + samples.keySet());
    }
    return s.value();
  }

  private static String unescape(String v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\') {
        char e = v.charAt(++i); // the label pattern admits only \\, \" and \n
        b.append(e == 'n' ? '\n' : e);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static void require(boolean ok, int n, String line, String why) {
    if (!ok) {
      throw new AssertionError("line " + n + ": " + why + ": " + line);
    }
  }
}
