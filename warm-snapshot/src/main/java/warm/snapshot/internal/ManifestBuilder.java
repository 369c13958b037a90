package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import warm.snapshot.ManifestEntry;
import warm.snapshot.ManifestEntry.Type;

/**
 * Collects manifest entries while something walks a tree (the scanner, or the copier and archiver themselves, so
 * a snapshot stats every object once): resolves hard-link groups to their first path in sort order and sums
 * logical and allocated sizes.
 */
public final class ManifestBuilder {
  private final NativeFs fs;
  private final List<ManifestEntry> out = new ArrayList<>();
  private final Map<String, List<Integer>> groups = new HashMap<>(); // "dev:ino" -> indexes into out
  private long logical;
  private long allocated;
  private boolean allocKnown = true;

  public ManifestBuilder(NativeFs fs) {
    this.fs = fs;
  }

  /** Adds one object (from any thread); {@code p} is read only for the allocated size of a newly seen regular file. */
  synchronized void add(String rel, Path p, Stat st, Map<String, byte[]> xattrs, String linkTarget, String sha)
      throws IOException {
    Type type = st.type();
    Long rdev = type == Type.CHAR || type == Type.BLOCK ? st.rdev() : null;
    long size = type == Type.FILE ? st.size() : 0;
    out.add(new ManifestEntry(rel, type, st.perms(), st.uid(), st.gid(), size, st.mtimeNanos(), linkTarget, null,
        rdev, Meta.encode(xattrs), sha));
    boolean counted = true;
    if (type == Type.FILE && st.nlink() > 1) {
      List<Integer> g = groups.computeIfAbsent(st.dev() + ":" + st.ino(), k -> new ArrayList<>());
      counted = g.isEmpty();
      g.add(out.size() - 1);
    }
    if (type == Type.FILE && counted) {
      logical += size;
      long alloc = st.blocks() >= 0 ? st.blocks() * 512 : fs.allocatedBytes(p);
      if (alloc < 0) {
        allocKnown = false;
      } else {
        allocated += alloc;
      }
    }
  }

  public synchronized ManifestScanner.Scan build() {
    List<ManifestEntry> entries = new ArrayList<>(out);
    for (List<Integer> g : groups.values()) {
      if (g.size() < 2) {
        continue;
      }
      String leader = g.stream().map(i -> entries.get(i).path()).min(Comparator.naturalOrder()).orElseThrow();
      for (int i : g) {
        ManifestEntry e = entries.get(i);
        if (!e.path().equals(leader)) {
          entries.set(i, new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtimeNanos(),
              e.linkTarget(), leader, e.rdev(), e.xattrs(), e.sha256()));
        }
      }
    }
    // Not Comparator.comparing: C1 inlines no call through an interface (two key-extractor calls and a Comparable
    // call per comparison there); the accessor and String.compareTo inline here.
    entries.sort((a, b) -> a.path().compareTo(b.path()));
    // Not List.copyOf: its null check is a loop run once per call, interpreted over every entry (C1 compiles a loop
    // only after 60 000 back edges), on the snapshot's serial way after the copy. entries is this method's own.
    return new ManifestScanner.Scan(Collections.unmodifiableList(entries), logical, allocKnown ? allocated : -1);
  }
}
