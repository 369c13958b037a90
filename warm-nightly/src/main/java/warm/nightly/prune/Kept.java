package warm.nightly.prune;

/**
 * Something a prune looked at and left alone, and why (so a dry run explains itself).
 *
 * @param kind what it is
 * @param name its name
 * @param reason why it stays
 */
public record Kept(Kind kind, String name, String reason) {}
