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
  /** One object's two observations, kept together: the record pairs them without looking either up by path. */
  private record Pair(ChangeRecord.Seen before, ChangeRecord.Seen after) {}

  /*
   * Not Comparator.comparing: C1 (data commands run C1 only) inlines no call through an interface, so that one pays
   * two key-extractor calls and a Comparable call per comparison; here the accessors and String.compareTo inline.
   */
  private static final Comparator<Pair> BY_PATH = (a, b) -> a.after().path().compareTo(b.after().path());

  private final List<Pair> seen = new ArrayList<>();

  synchronized void add(String rel, Stat was, String linkWas, Stat is, String linkIs) {
    add(ChangeRecord.Seen.of(rel, was, linkWas), ChangeRecord.Seen.of(rel, is, linkIs));
  }

  /** One object as it was before its copy and after it (the same path). */
  synchronized void add(ChangeRecord.Seen before, ChangeRecord.Seen after) {
    seen.add(new Pair(before, after));
  }

  /**
   * The objects as they were once copied, sorted by path, each trusted only as {@link ChangeRecord#afterCopy} says of
   * its two observations: one sort, and no look-up of the before by path (a map of every entry).
   */
  synchronized List<ChangeRecord.Seen> recorded(long preStartNanos) {
    List<Pair> pairs = sorted();
    List<ChangeRecord.Seen> out = new ArrayList<>(pairs.size());
    for (Pair p : pairs) {
      out.add(ChangeRecord.afterCopy(p.before(), p.after(), preStartNanos)); // a call per entry: C1 compiles it
    }
    return out;
  }

  private List<Pair> sorted() {
    List<Pair> out = new ArrayList<>(seen);
    out.sort(BY_PATH);
    return out;
  }
}
