package warm.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gate's answer for one upgrade step, with everything needed to explain it.
 *
 * @param outcome apply, nothing to do, or hold
 * @param recipe the recipe name (the checkout's folder name unless given)
 * @param from the installed version, exactly as given
 * @param to the target version, exactly as given or as picked from the tags
 * @param reasons why it holds; empty unless {@link Outcome#HOLD}
 * @param notes per version (ascending), the quoted note sentences that hold, acknowledged ones included
 * @param notesRead the versions in range whose note was read
 * @param acknowledged versions whose hold the policy released
 * @param ignoredTags tags that are not release versions (only when the target was picked as the latest tag)
 * @param noteSources per upstream note label ({@code upstream 26.5.0}), where it was looked up and how that went
 * @param warnings what the operator should know although it does not hold (an unreachable upstream note under
 *     {@link UpstreamNotes.OnUnreachable#PROCEED})
 * @param explained how each sentence of each note read was classified, in version and note order
 *     ({@code warm gate --explain}); at most {@code 2000} sentences per note plus every holding one
 */
public record GateDecision(Outcome outcome, String recipe, String from, String to, List<HoldReason> reasons,
    Map<String, List<String>> notes, List<String> notesRead, List<String> acknowledged, List<String> ignoredTags,
    Map<String, String> noteSources, List<String> warnings, List<ExplainedSentence> explained) {

  /** What to do with the upgrade. */
  public enum Outcome {
    /** Safe to apply unattended. */
    AUTO_APPLY,
    /** The target is the installed version. */
    NO_OP,
    /** Do not apply; a human must look (see the reasons). */
    HOLD
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Validates and copies.
   *
   * @param outcome see the record component
   * @param recipe see the record component
   * @param from see the record component
   * @param to see the record component
   * @param reasons see the record component
   * @param notes see the record component
   * @param notesRead see the record component
   * @param acknowledged see the record component
   * @param ignoredTags see the record component
   * @param noteSources see the record component
   * @param warnings see the record component
   * @param explained see the record component
   */
  public GateDecision {
    Objects.requireNonNull(outcome, "outcome");
    reasons = List.copyOf(reasons);
    if ((outcome == Outcome.HOLD) == reasons.isEmpty()) {
      throw new IllegalArgumentException("a HOLD needs reasons and only a HOLD has them");
    }
    Map<String, List<String>> n = new LinkedHashMap<>();
    notes.forEach((k, v) -> n.put(k, List.copyOf(v)));
    notes = Collections.unmodifiableMap(n);
    notesRead = List.copyOf(notesRead);
    acknowledged = List.copyOf(acknowledged);
    ignoredTags = List.copyOf(ignoredTags);
    noteSources = Collections.unmodifiableMap(new LinkedHashMap<>(noteSources));
    warnings = List.copyOf(warnings);
    explained = List.copyOf(explained);
  }

  /**
   * A decision without upstream notes and without sentence explanations.
   *
   * @param outcome see the record component
   * @param recipe see the record component
   * @param from see the record component
   * @param to see the record component
   * @param reasons see the record component
   * @param notes see the record component
   * @param notesRead see the record component
   * @param acknowledged see the record component
   * @param ignoredTags see the record component
   */
  public GateDecision(Outcome outcome, String recipe, String from, String to, List<HoldReason> reasons,
      Map<String, List<String>> notes, List<String> notesRead, List<String> acknowledged, List<String> ignoredTags) {
    this(outcome, recipe, from, to, reasons, notes, notesRead, acknowledged, ignoredTags, Map.of(), List.of(),
        List.of());
  }

  /** @return true when the upgrade must not be applied unattended */
  public boolean isHold() {
    return outcome == Outcome.HOLD;
  }

  /**
   * @param tags tags that were ignored while picking the target
   * @return a copy that reports them
   */
  public GateDecision withIgnoredTags(List<String> tags) {
    return new GateDecision(outcome, recipe, from, to, reasons, notes, notesRead, acknowledged, tags, noteSources,
        warnings, explained);
  }

  /**
   * A short text for people and alerts: the verdict line, one line per reason with the quoted note lines, and how
   * to release a hold.
   *
   * @return the text, lines separated by {@code \n}
   */
  public String toText() {
    return toText(false);
  }

  /**
   * Like {@link #toText()}; with {@code explain}, followed by every classified sentence: version, line, section
   * heading and kind, class, whether it holds, and why.
   *
   * @param explain add the per-sentence classification
   * @return the text, lines separated by {@code \n}
   */
  public String toText(boolean explain) {
    StringBuilder b = new StringBuilder();
    b.append(outcome).append(' ').append(recipe).append(' ').append(printable(from)).append(" -> ")
        .append(printable(to));
    if (outcome == Outcome.AUTO_APPLY) {
      b.append(notesRead.isEmpty() ? " (no release notes in range)"
          : " (release notes read: " + String.join(", ", notesRead) + "; none asks for a manual step)");
    }
    b.append('\n');
    for (HoldReason r : reasons) {
      b.append("  ").append(r.code()).append(r.version() == null ? "" : " " + r.version()).append(": ")
          .append(r.detail()).append('\n');
      String shownHeading = "";
      for (int k = 0; k < r.quotes().size(); k++) {
        String h = r.headings().get(k);
        if (!h.isEmpty() && !h.equals(shownHeading)) {
          b.append("    under \"").append(h).append("\":\n");
          shownHeading = h;
        }
        b.append("      > ").append(r.quotes().get(k)).append('\n');
      }
    }
    for (String w : warnings) {
      b.append("  WARNING: ").append(w).append('\n');
    }
    noteSources.forEach((label, where) -> b.append("  ").append(label).append(" note: ").append(where).append('\n'));
    if (!acknowledged.isEmpty()) {
      b.append("  acknowledged by the operator: ").append(String.join(", ", acknowledged)).append('\n');
    }
    if (!ignoredTags.isEmpty()) {
      b.append("  ignored tags (not release versions): ").append(String.join(", ", ignoredTags)).append('\n');
    }
    if (reasons.stream().anyMatch(r -> r.code() != HoldReason.Code.UNPARSABLE
        && r.code() != HoldReason.Code.DOWNGRADE)) {
      b.append("  To release: do the step by hand, then acknowledge each held version (warm gate --ack VERSION).\n");
      if (reasons.stream().anyMatch(r -> r.version() != null && r.version().startsWith("upstream "))) {
        b.append("  (an upstream note is released by acknowledging a recipe version that brings it)\n");
      }
    }
    if (explain) {
      b.append("  sentences (").append(explained.size()).append("):\n");
      for (ExplainedSentence e : explained) {
        b.append("    ").append(e.version()).append(" l.").append(e.line()).append(" [")
            .append(e.heading().isEmpty() ? "-" : e.heading()).append(" | ").append(e.section()).append("] ")
            .append(e.sentenceClass()).append(e.holds() ? " HOLDS" : "").append(" {").append(e.effect())
            .append("} (").append(e.why()).append("): ")
            .append(e.text()).append('\n');
      }
    }
    return b.toString();
  }

  private static String printable(String version) {
    return version == null ? "(none)" : RecipeVersion.printable(version);
  }

  /**
   * One JSON object: {@code decision}, {@code recipe}, {@code from}, {@code to}, {@code reasons} (objects with
   * {@code code}, {@code version}, {@code detail}, {@code quotes}, {@code headings} — one per quote), {@code notes}
   * (version → quoted lines), {@code notesRead}, {@code acknowledged}, {@code ignoredTags}, {@code noteSources}
   * (upstream note label → where it was looked up), {@code warnings}, and with explain {@code explained}.
   *
   * @return the JSON text, one line
   */
  public String toJson() {
    return toJson(false);
  }

  /**
   * Like {@link #toJson()}; with {@code explain}, also {@code explained}: objects with {@code version},
   * {@code line}, {@code heading}, {@code section}, {@code class}, {@code holds}, {@code why}, {@code text}.
   *
   * @param explain add the per-sentence classification
   * @return the JSON text, one line
   */
  public String toJson(boolean explain) {
    ObjectNode o = JSON.createObjectNode();
    o.put("decision", outcome.name());
    o.put("recipe", recipe);
    o.put("from", from);
    o.put("to", to);
    ArrayNode rs = o.putArray("reasons");
    for (HoldReason r : reasons) {
      ObjectNode ro = rs.addObject();
      ro.put("code", r.code().name());
      ro.put("version", r.version());
      ro.put("detail", r.detail());
      r.quotes().forEach(ro.putArray("quotes")::add);
      r.headings().forEach(ro.putArray("headings")::add);
    }
    ObjectNode ns = o.putObject("notes");
    notes.forEach((v, lines) -> lines.forEach(ns.putArray(v)::add));
    notesRead.forEach(o.putArray("notesRead")::add);
    acknowledged.forEach(o.putArray("acknowledged")::add);
    ignoredTags.forEach(o.putArray("ignoredTags")::add);
    ObjectNode src = o.putObject("noteSources");
    noteSources.forEach(src::put);
    warnings.forEach(o.putArray("warnings")::add);
    if (explain) {
      ArrayNode es = o.putArray("explained");
      for (ExplainedSentence e : explained) {
        ObjectNode eo = es.addObject();
        eo.put("version", e.version());
        eo.put("line", e.line());
        eo.put("heading", e.heading());
        eo.put("section", e.section());
        eo.put("class", e.sentenceClass());
        eo.put("holds", e.holds());
        eo.put("effect", e.effect());
        eo.put("why", e.why());
        eo.put("text", e.text());
      }
    }
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }
}
