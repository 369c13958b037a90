package warm.gate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Round 18 (issue 14): two readings under which a sentence the classifier would hold asks no step of the deployment,
 * each a positive reading of the sentence's own words, never the absence of one. Each was kept because a
 * leave-one-split-out estimate over the twelve tuning splits released false holds on held-out splits and lost no HOLD
 * (FalseHoldSurveyTest; machine-docs/DECISIONS.md, "Gate round 18"):
 *
 * <ul>
 *   <li>a change whose subject is the project's own work (continuous integration, pull requests, tests, a development
 *       script) or, when the deployment runs the upstream's container image, its build ("requires Go 1.17 to build",
 *       "cmake: …"), and no word that addresses the operator;
 *   <li>the upgrade boilerplate alone ("Follow the upgrade instructions for ansible or docker", "Check the docs for
 *       more details"), when the deployment runs the image: the standard procedure, which the image performs.
 * </ul>
 *
 * <p>A requirement said in so many words ("must", "required"), a breaking or failing outcome, a migration or a manual
 * step keeps the sentence holding.
 */
final class NoStepReading {
  private NoStepReading() {}

  private static final int F = Pattern.CASE_INSENSITIVE;
  /** Words that keep either reading from releasing: an obligation or an outcome that breaks. */
  private static final Pattern STRONG = Pattern.compile("\\bmust\\b|\\bmandatory\\b|\\brequired\\b|\\bbreak"
      + "|\\bwill (?:not|no longer) (?:work|start)\\b|\\bfail", F);
  private static final Pattern PROJECT_WORK = Pattern.compile("\\b(?:continuous integration|ci|pull requests?"
      + "|github actions|gitea actions|drone|test suite|unit tests?|bin/dev|dev(?:elopment)? (?:server|environment"
      + "|script))\\b", F);
  private static final Pattern BUILD = Pattern.compile("\\b(?:to build|build (?:system|toolchain|dependency"
      + "|dependencies)|cmake|compil\\w+|linking)\\b", F);
  private static final Pattern OPERATOR = Pattern.compile("\\b(?:you|your|operators?|admins?|administrators?)\\b", F);
  private static final Pattern BOILERPLATE = Pattern.compile("^(?:please )?(?:follow|see|check|read) (?:the )?"
      + "(?:\\w+ )?(?:(?:or|and) \\w+ )?(?:upgrade|update|upgrading|updating)? ?(?:instructions|docs|documentation)\\b",
      F);
  /** What makes the boilerplate more than the standard procedure: a step of its own, or a migration. */
  private static final Pattern FURTHER_STEP = Pattern.compile("\\byour?\\b|\\bto (?:replace|change|update|edit|add"
      + "|remove|set|configure|migrate|run|adjust)\\b|\\bmigrat|\\bmanual", F);

  /**
   * @param c a sentence as the classifier read it
   * @param runsImage whether the deployment runs the upstream's container image
   * @return the sentence released, with the reading that released it; empty when it still holds (or never did)
   */
  static Optional<NoteClassifier.Classified> release(NoteClassifier.Classified c, boolean runsImage) {
    if (!c.holds() || STRONG.matcher(c.text()).find()) {
      return Optional.empty();
    }
    NoteClassifier.SentenceClass cls = c.cls();
    boolean requirement = cls == NoteClassifier.SentenceClass.REQUIREMENT;
    boolean change = requirement || cls == NoteClassifier.SentenceClass.BEHAVIOUR_CHANGE
        || cls == NoteClassifier.SentenceClass.REMOVAL || cls == NoteClassifier.SentenceClass.BREAKING_SECTION;
    if (change && !OPERATOR.matcher(c.text()).find()) {
      var work = PROJECT_WORK.matcher(c.text());
      if (work.find()) {
        return Optional.of(released(c, NoteClassifier.SentenceClass.ROUTINE, "'" + work.group() + "': the"
            + " project's own work, not the deployment"));
      }
      var build = BUILD.matcher(c.text());
      if (runsImage && build.find()) {
        return Optional.of(released(c, NoteClassifier.SentenceClass.ROUTINE, "'" + build.group() + "': how the"
            + " software is built, which the container image does (gate.context 'container image')"));
      }
    }
    var boiler = BOILERPLATE.matcher(c.text().strip());
    if (requirement && runsImage && boiler.lookingAt() && !FURTHER_STEP.matcher(c.text()).find()) {
      return Optional.of(released(c, NoteClassifier.SentenceClass.ROUTINE, "'" + boiler.group() + "': the standard"
          + " upgrade procedure, which the container image performs (gate.context 'container image')"));
    }
    return Optional.empty();
  }

  private static NoteClassifier.Classified released(NoteClassifier.Classified c, NoteClassifier.SentenceClass cls,
      String reading) {
    return new NoteClassifier.Classified(c.heading(), c.section(), cls, false, reading + " (" + c.why() + ")",
        c.line(), c.text(), c.anywhere());
  }
}
