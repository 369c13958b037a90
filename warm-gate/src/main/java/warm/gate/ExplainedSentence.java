package warm.gate;

import java.util.Objects;

/**
 * How the gate read one sentence (or table row) of a release note: {@code warm gate --explain}.
 *
 * @param version the note's version
 * @param heading the section heading path ({@code A › B}), empty when the sentence is under no heading
 * @param section the section's kind, e.g. {@code BREAKING}, {@code FIXES}, {@code GENERAL}
 * @param sentenceClass the sentence's class, e.g. {@code REMOVAL}, {@code DEPRECATION}, {@code ROUTINE}
 * @param holds true when this sentence holds the upgrade
 * @param why one short reason (the words that decided it)
 * @param line the 1-based line of the note the sentence's block starts on
 * @param text the sentence, cut to 240 characters
 */
public record ExplainedSentence(String version, String heading, String section, String sentenceClass, boolean holds,
    String why, int line, String text) {
  /**
   * Validates.
   *
   * @param version see the record component
   * @param heading see the record component
   * @param section see the record component
   * @param sentenceClass see the record component
   * @param holds see the record component
   * @param why see the record component
   * @param line see the record component
   * @param text see the record component
   */
  public ExplainedSentence {
    Objects.requireNonNull(heading, "heading");
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(sentenceClass, "sentenceClass");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(text, "text");
  }

  /**
   * What the sentence does to an existing deployment, read from its quoted text: the effect, the object it acts on
   * and when ({@code removal 'has been removed' on operator 'LEGACY_SMTP', now}); see docs/gate.md.
   *
   * @return the reading, e.g. {@code benign 'Fix' on unknown, none} or {@code no effect}
   */
  public String effect() {
    return EntryEffect.read(text).describe();
  }
}
