package warm.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sentence's opening condition on the version the operator upgrades from ("If you are upgrading from v0.11.x or
 * v0.12.x, this version includes breaking changes", "If you are upgrading from a version older than 5.4.0 please read
 * …"): the same sentence concerns one upgrade and not another (issue 14, round 14). Only the opening form is read,
 * and only a list of versions the grammar below covers entirely; anything else is no condition, so the sentence is
 * read as always applying (fail-safe).
 *
 * @param text the versions as the note spells them, for the explanation
 * @param terms the versions, any of which the condition applies to
 */
record UpgradeCondition(String text, List<Term> terms) {
  /** How one listed version bounds the version upgraded from. */
  enum Bound {
    /** That version or its line: "v0.12.x", "4.10" (4.10.*), "4.3.0-rc.1". */
    LINE,
    /** That version, its line, or anything older: "v0.14.x and below", "0.9 or earlier". */
    AT_MOST,
    /** Anything older than it: "a version older than 5.4.0", "versions before 2.0". */
    BEFORE
  }

  /**
   * One listed version.
   *
   * @param version the version without a leading {@code v} or a trailing {@code .x}
   * @param bound how it bounds the version upgraded from
   */
  record Term(String version, Bound bound) {}

  UpgradeCondition {
    terms = List.copyOf(terms);
  }

  private static final int F = Pattern.CASE_INSENSITIVE;
  /** The cheap cue: only sentences that open this way are parsed further. */
  private static final Pattern CUE = Pattern.compile("^[^\\p{L}\\d]{0,8}(?:if|when) you(?:'re| are)? "
      + "(?:upgrading|updating|migrating|coming) (?:directly )?from ", F);
  private static final String VER =
      "`?v?\\d{1,9}(?:\\.(?:\\d{1,9}|x)){0,4}(?:-[0-9a-z]{1,20}(?:\\.[0-9a-z]{1,20}){0,3})?`?";
  private static final String TERM = "(?:(?:a |any )?(?:version|release)s? )?"
      + "(?:(?:older|earlier|lower) than|prior to|before) " + VER
      + "|" + VER + "(?: (?:and|or) (?:below|earlier|older|lower|before))?";
  /**
   * The whole list (atomic: a shorter list is never tried), then where the condition ends: a clause break or the
   * consequence's first word. A list followed by anything else ("from 1.2 to 1.4", "or from …") is no condition.
   */
  private static final Pattern LIST = Pattern.compile(
      "((?>(?:" + TERM + ")(?:(?:,|,? or|,? and) (?:" + TERM + ")){0,9}))"
      + "(?=[,;:]|\\.(?:\\s|$)|$| (?:please|this|these|you|then|read|make|there|it|we|the|some|only)\\b)", F);
  private static final Pattern ONE = Pattern.compile("(?:(?:a |any )?(?:version|release)s? )?((?:older|earlier|lower) "
      + "than|prior to|before)? ?(" + VER + ")( (?:and|or) (?:below|earlier|older|lower|before))?", F);

  /**
   * @param sentence one sentence
   * @return its opening condition on the version upgraded from, if it has one the grammar covers entirely
   */
  static Optional<UpgradeCondition> of(String sentence) {
    Matcher cue = CUE.matcher(sentence);
    if (!cue.lookingAt()) {
      return Optional.empty();
    }
    Matcher list = LIST.matcher(sentence);
    list.region(cue.end(), Math.min(sentence.length(), cue.end() + 400));
    list.useTransparentBounds(true);
    if (!list.lookingAt()) {
      return Optional.empty();
    }
    String text = list.group(1);
    List<Term> terms = new ArrayList<>();
    Matcher one = ONE.matcher(text);
    while (one.find()) {
      Bound bound = one.group(1) != null ? Bound.BEFORE : one.group(3) != null ? Bound.AT_MOST : Bound.LINE;
      terms.add(new Term(normal(one.group(2)), bound));
    }
    return terms.isEmpty() ? Optional.empty() : Optional.of(new UpgradeCondition(text, terms));
  }

  /**
   * @param from the version upgraded from, as the note would spell it
   * @return whether the condition holds for it
   */
  boolean covers(String from) {
    String f = normal(from);
    for (Term t : terms) {
      boolean line = f.equals(t.version()) || f.startsWith(t.version() + ".") || f.startsWith(t.version() + "-");
      boolean covered = switch (t.bound()) {
        case LINE -> line;
        case AT_MOST -> line || UpstreamOrder.compare(f, t.version()) <= 0;
        case BEFORE -> !line && UpstreamOrder.compare(f, t.version()) < 0;
      };
      if (covered) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param from the range's installed version; null when unknown
   * @return whether the sentence concerns an upgrade from it: false only when every reading of {@code from} (its
   *     recipe part and its upstream part) lies outside the condition; a version without an upstream part is unknown
   *     here (notes speak of the product's own versions), so the sentence applies
   */
  boolean appliesFrom(RecipeVersion from) {
    if (from == null || !from.isRelease() || from.upstream().isEmpty()) {
      return true;
    }
    return covers(from.recipePart()) || covers(from.upstream().get());
  }

  /** No backticks, no leading {@code v}, no trailing {@code .x}. */
  private static String normal(String v) {
    String s = v.replace("`", "").strip().toLowerCase(Locale.ROOT);
    if (s.length() > 1 && s.charAt(0) == 'v' && Character.isDigit(s.charAt(1))) {
      s = s.substring(1);
    }
    while (s.endsWith(".x")) {
      s = s.substring(0, s.length() - 2);
    }
    return s;
  }
}
