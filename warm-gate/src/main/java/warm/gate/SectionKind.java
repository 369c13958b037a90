package warm.gate;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a section of a note is about, read from its heading path (the innermost heading that says something wins).
 * The kind sets how much a sentence's words count: in "Breaking changes" every item holds unless it says otherwise;
 * in "Bug fixes" or "Documentation" a sentence that merely mentions a migration or a removal does not.
 */
enum SectionKind {
  /** Breaking changes, incompatible changes, action required. */
  BREAKING(false),
  /** Upgrade notes, migration guide, before you upgrade: imperatives here are addressed to the operator. */
  UPGRADE(false),
  /** Notable or important changes, highlights. */
  NOTABLE(false),
  /** Security fixes and advisories. */
  SECURITY(false),
  /** Deprecations: still working, to be removed later. */
  DEPRECATIONS(true),
  /** Bug fixes. */
  FIXES(true),
  /** Documentation changes. */
  DOCS(true),
  /** Dependency bumps. */
  DEPENDENCIES(true),
  /** Internal: refactoring, tests, CI, build, chores. */
  INTERNAL(true),
  /** New features and enhancements. */
  FEATURES(true),
  /** Plans for later releases ("Next steps", "Roadmap"): what they describe has not happened yet (round 7). */
  ROADMAP(true),
  /** No heading, or one that says nothing about the kind. */
  GENERAL(false);

  private final boolean routine;

  SectionKind(boolean routine) {
    this.routine = routine;
  }

  /** @return true for sections whose items are routine unless a sentence is explicit about breaking */
  boolean routine() {
    return routine;
  }

  private static final Pattern BREAKING_H = Pattern.compile(
      "\\bbreaking\\b|\\bincompatib|\\baction (?:required|needed)\\b|\\bbackwards?[ -]incompatible|\\bremovals?\\b"
          + "|\\bmanual (?:steps?|actions?|intervention)|\\bbc[ -]break");
  private static final Pattern REMOVED_H = Pattern.compile("removed(?: features?| functionality| options?)?\\W*");
  private static final Pattern UPGRADE_H = Pattern.compile(
      "\\bupgrad|\\bmigrat|\\bupdate (?:notes|instructions|guide)|\\bbefore (?:you )?(?:update|install)"
          + "|\\bimportant\\b|\\bwarning|\\battention\\b|\\bcaution\\b|\\bheads[ -]up|\\bknown (?:issues|limitations)"
          + "|\\bread (?:this|before)|\\bpost[- ]install|\\bconfiguration changes\\b|\\bbehaviou?r changes?\\b"
          + "|\\bchanged defaults?\\b|\\bdefault changes\\b|\\bpotentially disruptive");
  private static final Pattern NOTABLE_H = Pattern.compile("\\bnotable\\b|\\bhighlights?\\b|\\bchanges?\\b|\\bchanged\\b");
  private static final Pattern SECURITY_H = Pattern.compile("\\bsecurity\\b|\\bcve\\b|\\bvulnerab");
  private static final Pattern DEPRECATION_H = Pattern.compile("\\bdeprecat");
  private static final Pattern FIXES_H = Pattern.compile("\\bfix|bug ?fix|\\bbugs?\\b|\\bpatch(?:es)?\\b|\\bcorrections?\\b");
  private static final Pattern DOCS_H = Pattern.compile("\\bdoc(?:s|umentation)?\\b|\\btranslations?\\b|\\bi18n\\b"
      + "|\\bl10n\\b|\\blocali[sz]ation");
  private static final Pattern ROADMAP_H = Pattern.compile("\\bnext steps\\b|\\broad-?map\\b|\\blooking ahead\\b"
      + "|\\bwhat.?s next\\b|\\bcoming soon\\b|\\bfuture plans?\\b|\\bplans for the next\\b");
  private static final Pattern DEPS_H = Pattern.compile("\\bdependenc|\\bdeps\\b|\\bbumps?\\b|\\bupgraded? (?:libraries|packages)");
  private static final Pattern DEPS_TITLE = Pattern.compile(
      "(?:dependency |dependencies |package |library |libraries )?(?:upgrades|updates|bumps)");
  private static final Pattern INTERNAL_H = Pattern.compile("\\binternal|\\brefactor|\\bchores?\\b|\\bmaintenance\\b"
      + "|\\btests?\\b|\\btesting\\b|\\bci\\b|\\bbuild\\b|\\bdevelop|\\bcode quality|\\bmisc|\\bother\\b|\\bcleanup"
      + "|\\btooling|\\bperformance|\\bperf\\b|\\bstyle\\b|\\blint");
  /**
   * "Other changes", "Miscellaneous": a catch-all that collects whatever did not fit elsewhere; it does not say its
   * sub-sections are internal (a "Breaking" list under it is still breaking).
   */
  private static final Pattern CATCH_ALL_H = Pattern.compile("\\bmisc|\\bother\\b");
  private static final Pattern FEATURES_H = Pattern.compile("\\bfeatures?\\b|\\benhancements?\\b|\\bimprovements?\\b"
      + "|\\badded\\b|\\bnew\\b|\\bfeat\\b|\\bwhat'?s new");

  /**
   * @param headings the heading path, outermost first
   * @return the kind of the innermost heading that has one, else {@link #GENERAL}
   */
  static SectionKind of(List<String> headings) {
    // Documentation and internal (developer) sections cover everything below them: "Developer › Removed" is
    // about code, not about the deployment.
    for (String h : headings) {
      SectionKind kind = ofHeading(h);
      if ((kind == DOCS || kind == INTERNAL) && !CATCH_ALL_H.matcher(h.toLowerCase(Locale.ROOT)).find()) {
        return kind;
      }
    }
    for (int k = headings.size() - 1; k >= 0; k--) {
      SectionKind kind = ofHeading(headings.get(k));
      if (kind != GENERAL) {
        return kind;
      }
    }
    return GENERAL;
  }

  /** @return true for a catch-all heading ("Other changes", "Misc"), which says nothing of its items' kind */
  static boolean catchAll(String heading) {
    return CATCH_ALL_H.matcher(heading.toLowerCase(Locale.ROOT)).find();
  }

  /** @return true for a keep-a-changelog "Removed" heading */
  static boolean removedHeading(String heading) {
    return REMOVED_H.matcher(heading.toLowerCase(Locale.ROOT).strip()).matches();
  }

  /** The kind one heading names, checked from the most to the least demanding. */
  static SectionKind ofHeading(String heading) {
    String h = heading.toLowerCase(Locale.ROOT);
    if (h.length() > 120) {
      return GENERAL;
    }
    boolean breaking = BREAKING_H.matcher(h).find();
    boolean deprecation = DEPRECATION_H.matcher(h).find();
    if (breaking && deprecation) {
      return NOTABLE; // "Breaking changes & Deprecations": each item must say which it is
    }
    // keep-a-changelog's "Removed": each item is something an existing deployment may still use
    if (breaking || REMOVED_H.matcher(h.strip()).matches()) {
      return BREAKING;
    }
    if (deprecation) {
      return DEPRECATIONS;
    }
    // A long heading is a sentence describing one change ("X is now behind a feature flag"), not a section
    // title: its incidental words ("feature", "fix") say nothing about the section's kind.
    if (h.split("\\s+").length > 5) {
      return UPGRADE_H.matcher(h).find() && h.startsWith("upgrad") ? UPGRADE : GENERAL;
    }
    if (DEPS_TITLE.matcher(h.strip()).matches()) {
      return DEPENDENCIES; // a changelog's "Upgrades" lists dependency bumps, not upgrade notes
    }
    if (UPGRADE_H.matcher(h).find()) {
      return UPGRADE;
    }
    if (SECURITY_H.matcher(h).find()) {
      return SECURITY;
    }
    if (DOCS_H.matcher(h).find()) {
      return DOCS;
    }
    if (ROADMAP_H.matcher(h).find()) {
      return ROADMAP;
    }
    if (DEPS_H.matcher(h).find()) {
      return DEPENDENCIES;
    }
    if (FIXES_H.matcher(h).find()) {
      return FIXES;
    }
    if (INTERNAL_H.matcher(h).find()) {
      return INTERNAL;
    }
    if (FEATURES_H.matcher(h).find()) {
      return FEATURES;
    }
    if (NOTABLE_H.matcher(h).find()) {
      return NOTABLE;
    }
    return GENERAL;
  }
}
