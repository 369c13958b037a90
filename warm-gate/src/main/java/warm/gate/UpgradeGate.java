package warm.gate;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the step from the installed version of a recipe to a target may be applied unattended.
 *
 * <p>Rules, in order: an installed or target version that is not a release (unparsable, or a commit hash) holds
 * ({@link HoldReason.Code#UNPARSABLE}, fail safe); the same version is {@link GateDecision.Outcome#NO_OP}; an older
 * target holds ({@link HoldReason.Code#DOWNGRADE}); otherwise every reason that applies is collected: the recipe
 * major grew ({@link HoldReason.Code#MAJOR_BUMP}), under {@link AutoApply#PATCH} the recipe minor grew within the same
 * major ({@link HoldReason.Code#STEP_ABOVE_AUTO_APPLY}), a note of some v with from &lt; v ≤ to matches a marker
 * ({@link HoldReason.Code#MANUAL_MIGRATION}), a note in range could not be read in full
 * ({@link HoldReason.Code#UNREADABLE_NOTE}). No reason left means {@link GateDecision.Outcome#AUTO_APPLY}.
 * Acknowledged versions ({@link GatePolicy#acknowledged()}) release the note reasons of that version, and the major
 * bump and the step limit's hold when the target itself is acknowledged.
 */
public final class UpgradeGate {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradeGate.class);

  private UpgradeGate() {}

  /**
   * Decides an upgrade to a given target, reading the notes of a recipe checkout and its git tags
   * ({@link ReleaseNoteSource#recipeDirectory(Path)}); the recipe name is the checkout's folder name.
   *
   * @param recipeDir the recipe checkout (its {@code release/} folder and its tags hold the notes)
   * @param from the installed version
   * @param to the target version
   * @param policy extra markers and acknowledgements
   * @return the decision; a hold is a decision, never an exception
   * @throws RecipeCheckoutException when {@code recipeDir} is missing or not a directory
   * @throws GateException when git cannot be run or times out while listing tags
   */
  public static GateDecision decide(Path recipeDir, String from, String to, GatePolicy policy) {
    return decide(recipeDir, recipeName(recipeDir), from, to, policy);
  }

  /**
   * Like {@link #decide(Path, String, String, GatePolicy)} with an explicit recipe name. A directory that is not a
   * git repository has no published versions: only its working tree's notes count.
   *
   * @param recipeDir the recipe checkout
   * @param recipe the recipe name, used to look up acknowledgements
   * @param from the installed version
   * @param to the target version
   * @param policy extra markers and acknowledgements
   * @return the decision
   * @throws RecipeCheckoutException when {@code recipeDir} is missing or not a directory
   * @throws GateException when git cannot be run or times out while listing tags
   */
  public static GateDecision decide(Path recipeDir, String recipe, String from, String to, GatePolicy policy) {
    return decide(recipeDir, recipe, from, to, policy, Git.DEFAULT_TIMEOUT);
  }

  /**
   * Like {@link #decide(Path, String, String, String, GatePolicy)}, each git command bounded by {@code gitTimeout}
   * ({@code warm gate}: {@code timeouts.commandSeconds}).
   *
   * @param gitTimeout how long each git command may take
   * @return the decision
   * @throws RecipeCheckoutException when {@code recipeDir} is missing or not a directory
   * @throws GateException when git cannot be run or takes longer than {@code gitTimeout} while listing tags
   */
  public static GateDecision decide(Path recipeDir, String recipe, String from, String to, GatePolicy policy,
      Duration gitTimeout) {
    requireDirectory(recipeDir);
    // Listed only when the decision needs it: an unparsable version or a no-op never runs git.
    PublishedVersions[] published = new PublishedVersions[1];
    Supplier<PublishedVersions> tags = () -> {
      if (published[0] == null) {
        try {
          published[0] = publishedVersions(recipeDir, gitTimeout);
        } catch (RecipeCheckoutException e) {
          published[0] = PublishedVersions.of(List.of()); // not a git repository: no tags
        }
      }
      return published[0];
    };
    return decide(recipe, from, to, tags, () -> new RecipeDirectoryNotes(recipeDir, tagNames(tags.get()),
        gitTimeout), null, policy);
  }

  /**
   * Decides an upgrade to a given target with the notes as the platform serves them.
   *
   * @param recipe the recipe name, used to look up acknowledgements
   * @param from the installed version
   * @param to the target version
   * @param published the recipe's published versions (its tags): the notes of those in range are read
   * @param notes where the notes are read
   * @param policy extra markers and acknowledgements
   * @return the decision; a hold is a decision, never an exception (a note that cannot be read holds)
   */
  public static GateDecision decide(String recipe, String from, String to, PublishedVersions published,
      ReleaseNoteSource notes, GatePolicy policy) {
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(notes, "notes");
    return decide(recipe, from, to, () -> published, () -> notes, null, policy);
  }

  /**
   * Like {@link #decide(String, String, String, PublishedVersions, ReleaseNoteSource, GatePolicy)}, also reading the
   * upstream notes of every upstream version in (installed upstream, target upstream]: the upstream parts of the
   * published releases in range and of the target, each read once. They count like the recipe's notes, labelled
   * {@code upstream <version>}; acknowledging a recipe version that brings an upstream version releases its note. An
   * upstream part that cannot name a note holds ({@link HoldReason.Code#UNREADABLE_NOTE}); an unreachable note holds
   * ({@link HoldReason.Code#UPSTREAM_UNREACHABLE}) or, under {@link UpstreamNotes.OnUnreachable#PROCEED}, becomes a
   * {@link GateDecision#warnings() warning}. {@link GateDecision#noteSources()} says where each was looked up.
   *
   * @param recipe the recipe name, used to look up acknowledgements
   * @param from the installed version
   * @param to the target version
   * @param published the recipe's published versions (its tags)
   * @param notes where the recipe's notes are read
   * @param upstream where the upstream notes are read, and what an unreachable one does
   * @param policy extra markers and acknowledgements
   * @return the decision
   */
  public static GateDecision decide(String recipe, String from, String to, PublishedVersions published,
      ReleaseNoteSource notes, UpstreamNotes upstream, GatePolicy policy) {
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(upstream, "upstream");
    return decide(recipe, from, to, () -> published, () -> notes, upstream, policy);
  }

  private static GateDecision decide(String recipe, String from, String to, Supplier<PublishedVersions> published,
      Supplier<ReleaseNoteSource> source, UpstreamNotes upstream, GatePolicy policy) {
    Set<String> acks = policy.acknowledgedFor(recipe);
    List<HoldReason> reasons = new ArrayList<>();
    Optional<RecipeVersion> f = release(from, "installed", reasons);
    Optional<RecipeVersion> t = release(to, "target", reasons);
    if (f.isEmpty() || t.isEmpty()) {
      return hold(recipe, from, to, reasons, Map.of(), List.of(), List.of());
    }
    RecipeVersion fv = f.get();
    RecipeVersion tv = t.get();
    if (fv.equals(tv)) {
      return new GateDecision(GateDecision.Outcome.NO_OP, recipe, from, to, List.of(), Map.of(), List.of(),
          List.of(), List.of());
    }
    if (tv.isBefore(fv)) {
      reasons.add(new HoldReason(HoldReason.Code.DOWNGRADE, to, "target " + to + " is older than the installed "
          + from + "; the gate never downgrades", List.of()));
      return hold(recipe, from, to, reasons, Map.of(), List.of(), List.of());
    }
    List<String> released = new ArrayList<>();
    if (tv.major() > fv.major()) {
      if (acks.contains(to)) {
        released.add(to);
      } else {
        reasons.add(new HoldReason(HoldReason.Code.MAJOR_BUMP, to, "recipe major version grows from "
            + fv.major() + " to " + tv.major() + ": the maintainer signals a breaking change", List.of()));
      }
    } else if (policy.autoApply() == AutoApply.PATCH && tv.minor() > fv.minor()) {
      // Read like the major bump: the recipe part over the whole range, never a note, so no note can release it.
      if (acks.contains(to)) {
        released.add(to);
      } else {
        reasons.add(new HoldReason(HoldReason.Code.STEP_ABOVE_AUTO_APPLY, to, "a minor step (" + fv.recipePart()
            + " → " + tv.recipePart() + "); gate.autoApply is patch: only a patch step is decided by the notes",
            List.of()));
      }
    }
    Collected collected = collect(source.get(), published.get(), fv, tv, upstream);
    NoteClassifier classifier = new NoteClassifier(policy.context(), policy.extraMarkers());
    Map<String, List<String>> quoted = new LinkedHashMap<>();
    List<String> read = new ArrayList<>();
    List<ExplainedSentence> explained = new ArrayList<>();
    for (Note note : collected.notes()) {
      String v = note.version();
      read.add(v);
      NoteClassifier.Verdict verdict = classify(classifier, note.text(), fv);
      // the step to this note's own version, not the range's target: no other note of the range changes it (round 15)
      StepLevel level = RecipeVersion.tryParse(v).map(nv -> StepLevel.between(fv, nv)).orElse(StepLevel.UNKNOWN);
      verdict = StepTier.apply(verdict, level, fv + " → " + v);
      explain(v, verdict, explained);
      if (verdict.unreadable() != null) {
        collected.problems().add(new Problem(v, "the note of " + v + " cannot be read: " + verdict.unreadable()));
        continue;
      }
      List<NoteClassifier.Classified> holding = verdict.holding();
      if (holding.isEmpty()) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      List<String> headings = new ArrayList<>();
      for (NoteClassifier.Classified c : holding) {
        if (lines.size() == MAX_QUOTES_PER_NOTE) {
          lines.add("(… " + (holding.size() - MAX_QUOTES_PER_NOTE) + " more holding sentences)");
          headings.add("");
          break;
        }
        lines.add(c.quote());
        headings.add(c.heading());
      }
      quoted.put(v, lines);
      if (note.releasedBy().stream().anyMatch(acks::contains)) {
        addOnce(released, v);
      } else {
        reasons.add(new HoldReason(HoldReason.Code.MANUAL_MIGRATION, v,
            "its release note needs an operator (" + classes(holding) + ")", lines, headings));
      }
    }
    for (Problem p : collected.problems()) {
      if (p.version() != null && acks.contains(p.version())) {
        addOnce(released, p.version());
      } else {
        reasons.add(new HoldReason(HoldReason.Code.UNREADABLE_NOTE, p.version(), p.detail(), List.of()));
      }
    }
    List<String> warnings = new ArrayList<>();
    for (UpstreamCollector.Problem p : collected.upstreamProblems()) {
      if (p.releasedBy().stream().anyMatch(acks::contains)) {
        addOnce(released, p.label());
      } else if (!p.unreachable()) {
        reasons.add(new HoldReason(HoldReason.Code.UNREADABLE_NOTE, p.label(), p.detail(), List.of()));
      } else if (upstream.onUnreachable() == UpstreamNotes.OnUnreachable.PROCEED) {
        warnings.add(p.label() + " not read, proceeding without it (onUnreachable: proceed): " + p.detail());
      } else {
        reasons.add(new HoldReason(HoldReason.Code.UPSTREAM_UNREACHABLE, p.label(), p.detail(), List.of()));
      }
    }
    GateDecision d = new GateDecision(reasons.isEmpty() ? GateDecision.Outcome.AUTO_APPLY : GateDecision.Outcome.HOLD,
        recipe, from, to, reasons, quoted, read, released, List.of(), collected.sources(), warnings, explained);
    LOG.debug("gate {} {} -> {}: {}", recipe, from, to, d.outcome());
    return d;
  }

  /**
   * One note's text, as lines the markers read.
   *
   * @param version the note's version, or {@code upstream <version>} for an upstream note
   * @param releasedBy the recipe versions whose acknowledgement releases its manual step
   */
  private record Note(String version, String text, List<String> releasedBy) {}

  /** Quote at most this many sentences per note; an alert is not the place for the whole note. */
  static final int MAX_QUOTES_PER_NOTE = 20;
  /** Explain at most this many sentences per note (holding ones always); a hostile note has hundreds of thousands. */
  static final int MAX_EXPLAINED_PER_NOTE = 2000;


  /** Any text in, a verdict out: a parser failure is an unreadable note (a hold), never an exception. */
  private static NoteClassifier.Verdict classify(NoteClassifier classifier, String text, RecipeVersion from) {
    try {
      return classifier.classify(text, from);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.warn("release note could not be classified", e);
      return new NoteClassifier.Verdict(List.of(), "the classifier failed on it (" + e + ")");
    }
  }

  private static void explain(String version, NoteClassifier.Verdict verdict, List<ExplainedSentence> out) {
    int shown = 0;
    for (NoteClassifier.Classified c : verdict.sentences()) {
      if (shown < MAX_EXPLAINED_PER_NOTE || c.holds()) {
        out.add(new ExplainedSentence(version, c.heading(), c.section().name(), c.cls().name(), c.holds(), c.why(),
            c.line(), c.quote()));
        shown++;
      }
    }
  }

  private static String classes(List<NoteClassifier.Classified> holding) {
    return String.join(", ", holding.stream().map(c -> c.cls().name()).distinct().toList());
  }

  /** Something in range that could not be read in full; {@code version} null when it concerns every note. */
  private record Problem(String version, String detail) {}

  private record Collected(List<Note> notes, List<Problem> problems,
      List<UpstreamCollector.Problem> upstreamProblems, Map<String, String> sources) {}

  /**
   * Reads the note of every version v with from &lt; v ≤ to that is published, listed by the source, or the target
   * itself, in ascending order. Every note in that range counts, tagged or not: a missing tag must not hide a warning.
   */
  private static Collected collect(ReleaseNoteSource source, PublishedVersions published, RecipeVersion from,
      RecipeVersion to, UpstreamNotes upstream) {
    List<Note> notes = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    TreeSet<RecipeVersion> inRange = new TreeSet<>();
    for (RecipeVersion v : published.releases()) {
      if (from.isBefore(v) && !to.isBefore(v)) {
        inRange.add(v);
      }
    }
    inRange.add(to);
    try {
      for (String name : source.listedVersions()) {
        RecipeVersion.tryParse(name).filter(v -> v.isRelease() && from.isBefore(v) && !to.isBefore(v))
            .ifPresent(inRange::add);
      }
    } catch (RuntimeException e) {
      problems.add(new Problem(null, "cannot list the release notes: " + e.getMessage()));
    }
    for (RecipeVersion v : inRange) {
      NoteLookup found;
      try {
        found = source.lookup(v.toString());
      } catch (RuntimeException e) {
        found = new NoteLookup.Unreadable("cannot read the note of " + v + ": " + e.getMessage());
      }
      if (found instanceof NoteLookup.Found text) {
        notes.add(new Note(v.toString(), text.text(), List.of(v.toString())));
        if (text.truncated()) {
          problems.add(new Problem(v.toString(), "the note of " + v + " is larger than "
              + (ReleaseNoteSource.MAX_NOTE_BYTES >> 20) + " MiB; only its first MiB was read"));
        }
      } else if (found instanceof NoteLookup.Unreadable u) {
        problems.add(new Problem(v.toString(), u.detail()));
      } else if (found == null) {
        problems.add(new Problem(v.toString(), "the note source gave no answer for " + v));
      }
    }
    if (upstream == null) {
      return new Collected(notes, problems, List.of(), Map.of());
    }
    UpstreamCollector.Collected up = UpstreamCollector.collect(upstream.source(), from, to, published);
    for (UpstreamCollector.Note n : up.notes()) {
      notes.add(new Note(n.label(), n.text(), n.releasedBy()));
    }
    return new Collected(notes, problems, up.problems(), up.sources());
  }

  /**
   * Decides an upgrade to the newest stable release among the checkout's git tags; tags that are not release
   * versions are ignored and reported in {@link GateDecision#ignoredTags()}.
   *
   * @param recipeDir the recipe checkout, a git repository
   * @param from the installed version
   * @param policy extra markers and acknowledgements
   * @return the decision
   * @throws RecipeCheckoutException when {@code recipeDir} is missing, not a git repository, or has no release tag
   * @throws GateException when git cannot be run or times out
   */
  public static GateDecision decideLatest(Path recipeDir, String from, GatePolicy policy) {
    return decideLatest(recipeDir, recipeName(recipeDir), from, policy);
  }

  /**
   * Like {@link #decideLatest(Path, String, GatePolicy)} with an explicit recipe name.
   *
   * @param recipeDir the recipe checkout, a git repository
   * @param recipe the recipe name, used to look up acknowledgements
   * @param from the installed version
   * @param policy extra markers and acknowledgements
   * @return the decision
   * @throws RecipeCheckoutException when {@code recipeDir} is missing, not a git repository, or has no release tag
   * @throws GateException when git cannot be run or times out
   */
  public static GateDecision decideLatest(Path recipeDir, String recipe, String from, GatePolicy policy) {
    return decideLatest(recipeDir, recipe, from, policy, Git.DEFAULT_TIMEOUT);
  }

  /**
   * Like {@link #decideLatest(Path, String, String, GatePolicy)}, each git command bounded by {@code gitTimeout}
   * ({@code warm gate}: {@code timeouts.commandSeconds}).
   *
   * @param gitTimeout how long each git command may take
   * @return the decision
   * @throws RecipeCheckoutException when {@code recipeDir} is missing, not a git repository, or has no release tag
   * @throws GateException when git cannot be run or takes longer than {@code gitTimeout}
   */
  public static GateDecision decideLatest(Path recipeDir, String recipe, String from, GatePolicy policy,
      Duration gitTimeout) {
    PublishedVersions published = publishedVersions(recipeDir, gitTimeout);
    return decideLatest(recipe, from, published, new RecipeDirectoryNotes(recipeDir, tagNames(published), gitTimeout),
        null, policy, recipeDir.toString());
  }

  /**
   * Decides an upgrade to the newest stable published release, with the notes as the platform serves them.
   *
   * @param recipe the recipe name, used to look up acknowledgements
   * @param from the installed version
   * @param published the recipe's published versions (its tags)
   * @param notes where the notes are read
   * @param policy extra markers and acknowledgements
   * @return the decision, reporting the ignored tags
   * @throws RecipeCheckoutException when no published version is a stable release
   */
  public static GateDecision decideLatest(String recipe, String from, PublishedVersions published,
      ReleaseNoteSource notes, GatePolicy policy) {
    return decideLatest(recipe, from, published, notes, null, policy, "recipe " + recipe);
  }

  /**
   * Like {@link #decideLatest(String, String, PublishedVersions, ReleaseNoteSource, GatePolicy)}, also reading the
   * upstream notes (see {@link #decide(String, String, String, PublishedVersions, ReleaseNoteSource, UpstreamNotes,
   * GatePolicy)}).
   *
   * @param recipe the recipe name, used to look up acknowledgements
   * @param from the installed version
   * @param published the recipe's published versions (its tags)
   * @param notes where the recipe's notes are read
   * @param upstream where the upstream notes are read, and what an unreachable one does
   * @param policy extra markers and acknowledgements
   * @return the decision, reporting the ignored tags
   * @throws RecipeCheckoutException when no published version is a stable release
   */
  public static GateDecision decideLatest(String recipe, String from, PublishedVersions published,
      ReleaseNoteSource notes, UpstreamNotes upstream, GatePolicy policy) {
    Objects.requireNonNull(upstream, "upstream");
    return decideLatest(recipe, from, published, notes, upstream, policy, "recipe " + recipe);
  }

  private static GateDecision decideLatest(String recipe, String from, PublishedVersions published,
      ReleaseNoteSource notes, UpstreamNotes upstream, GatePolicy policy, String what) {
    RecipeVersion latest = published.latest().orElseThrow(() -> new RecipeCheckoutException(what
        + " has no release tag (<major>.<minor>.<patch>+<upstream>)"
        + (published.ignored().isEmpty() ? "" : "; ignored tags: " + preview(published.ignored()))));
    return decide(recipe, from, latest.toString(), () -> published, () -> notes, upstream, policy)
        .withIgnoredTags(published.ignored());
  }

  /**
   * The recipe's published versions: its git tags ({@code git -C DIR tag --list}).
   *
   * @param recipeDir the recipe checkout, a git repository
   * @return releases and ignored tags
   * @throws RecipeCheckoutException when {@code recipeDir} is missing or not a git repository
   * @throws GateException when git cannot be run or times out
   */
  public static PublishedVersions publishedVersions(Path recipeDir) {
    return publishedVersions(recipeDir, Git.DEFAULT_TIMEOUT);
  }

  private static PublishedVersions publishedVersions(Path recipeDir, Duration gitTimeout) {
    requireDirectory(recipeDir);
    return PublishedVersions.of(GitTags.list(recipeDir, gitTimeout));
  }

  private static Set<String> tagNames(PublishedVersions published) {
    Set<String> names = new HashSet<>();
    published.releases().forEach(v -> names.add(v.toString()));
    return names;
  }

  private static Optional<RecipeVersion> release(String text, String role, List<HoldReason> reasons) {
    try {
      RecipeVersion v = RecipeVersion.parse(text);
      if (v.isRelease()) {
        return Optional.of(v);
      }
      reasons.add(new HoldReason(HoldReason.Code.UNPARSABLE, text, "the " + role + " version " + text
          + " is a commit, not a release: its place among releases (and so its notes) is unknown", List.of()));
    } catch (VersionFormatException e) {
      reasons.add(new HoldReason(HoldReason.Code.UNPARSABLE, text == null ? null : RecipeVersion.printable(text),
          "the " + role + " version is unknown: " + e.getMessage(), List.of()));
    }
    return Optional.empty();
  }

  private static GateDecision hold(String recipe, String from, String to, List<HoldReason> reasons,
      Map<String, List<String>> quoted, List<String> read, List<String> released) {
    return new GateDecision(GateDecision.Outcome.HOLD, recipe, from, to, reasons, quoted, read, released, List.of());
  }

  private static void addOnce(List<String> list, String v) {
    if (!list.contains(v)) {
      list.add(v);
    }
  }

  private static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new RecipeCheckoutException("recipe directory " + dir
          + (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? " is not a directory" : " does not exist"));
    }
  }

  private static String recipeName(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
  }

  private static String preview(List<String> tags) {
    List<String> head = tags.subList(0, Math.min(10, tags.size()));
    return String.join(", ", head) + (tags.size() > 10 ? " (+" + (tags.size() - 10) + " more)" : "");
  }
}
