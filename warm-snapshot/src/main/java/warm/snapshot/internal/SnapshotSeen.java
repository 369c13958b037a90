package warm.snapshot.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a snapshot's copy saw of each source object for the change record, instead of a walk of the volume before the
 * copy and another after it: the walk's {@code lstat} that drove the object's copy ("before") and the object as it
 * was once its copy was done ("after": the {@code fstat} of the descriptor a file was cloned from (reflink) or read
 * from (tar), the {@code lstat} of a directory once every object was copied, of any other object once it was
 * copied). Filled from the copy's threads.
 */
public final class SnapshotSeen {
  private final List<ChangeRecord.Seen> before = new ArrayList<>();
  private final List<ChangeRecord.Seen> after = new ArrayList<>();

  synchronized void add(String rel, Stat was, String linkWas, Stat is, String linkIs) {
    before.add(ChangeRecord.Seen.of(rel, was, linkWas));
    after.add(ChangeRecord.Seen.of(rel, is, linkIs));
  }

  /** The objects as the copy's walk saw them, sorted by path. */
  public synchronized List<ChangeRecord.Seen> before() {
    return sorted(before);
  }

  /** The objects as they were once copied, sorted by path. */
  public synchronized List<ChangeRecord.Seen> after() {
    return sorted(after);
  }

  private static List<ChangeRecord.Seen> sorted(List<ChangeRecord.Seen> l) {
    List<ChangeRecord.Seen> out = new ArrayList<>(l);
    out.sort(Comparator.comparing(ChangeRecord.Seen::path));
    return out;
  }
}
