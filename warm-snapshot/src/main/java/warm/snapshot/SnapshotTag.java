package warm.snapshot;

/** What a snapshot is of: the recipe commit and version the app ran when it was taken (either may be null). */
public record SnapshotTag(String commit, String version) {
  public static SnapshotTag of(String commit, String version) {
    return new SnapshotTag(commit, version);
  }
}
