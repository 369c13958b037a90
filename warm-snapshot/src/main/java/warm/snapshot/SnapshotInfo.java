package warm.snapshot;

import java.util.Map;

/** A snapshot in the store's listing: id, whether it is the known-good, and its meta (null when unreadable). */
public record SnapshotInfo(String id, boolean knownGood, SnapshotMeta meta, Map<String, String> problems) {}
