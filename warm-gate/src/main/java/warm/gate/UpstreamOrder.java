package warm.gate;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders upstream parts ({@code 26.6.2}, {@code 1.0.5-social-amd64}, {@code v3.1}) naturally: split into digit and
 * letter runs (other characters only separate); digits compare numerically, letters case-insensitively, and a digit
 * run sorts after a letter run at the same position (so {@code 1.0.10 > 1.0.9}, {@code v3.10 > v3.9}); when one
 * runs out first it is the smaller. Only a tie-break after the recipe semver: sensible, not authoritative.
 */
final class UpstreamOrder {
  private UpstreamOrder() {}

  /** Absent (null) sorts before any upstream. Returns -1, 0 or 1. */
  static int compare(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    List<String> ta = tokens(a);
    List<String> tb = tokens(b);
    for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
      int c = compareToken(ta.get(i), tb.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(ta.size(), tb.size());
  }

  private static int compareToken(String x, String y) {
    boolean dx = Character.isDigit(x.charAt(0));
    boolean dy = Character.isDigit(y.charAt(0));
    if (dx != dy) {
      return dx ? 1 : -1;
    }
    if (dx) {
      String nx = stripZeros(x);
      String ny = stripZeros(y);
      if (nx.length() != ny.length()) {
        return nx.length() < ny.length() ? -1 : 1;
      }
      return Integer.signum(nx.compareTo(ny));
    }
    return Integer.signum(x.compareToIgnoreCase(y));
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (isAsciiDigit(c) || isAsciiLetter(c)) {
        boolean digit = isAsciiDigit(c);
        int j = i;
        while (j < s.length() && (digit ? isAsciiDigit(s.charAt(j)) : isAsciiLetter(s.charAt(j)))) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      } else {
        i++;
      }
    }
    return out;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
