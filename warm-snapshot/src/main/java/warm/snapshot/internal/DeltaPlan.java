package warm.snapshot.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import warm.snapshot.ManifestEntry;
import warm.snapshot.ManifestEntry.Type;

/**
 * What a delta restore of one volume does, worked out before anything is touched (issue 17): the entries to remove
 * (added, changed or of another type now; a removed directory takes its subtree), the known-good entries to put back
 * (changed or missing), and the directories whose metadata is set again afterwards, deepest first. Or, when the
 * difference cannot be trusted or is too large, why the restore must be full.
 *
 * @param remove top-most paths to delete
 * @param restore known-good entries to create, parents before children
 * @param fixDirs directories (kept or created) whose owner, mode, xattrs and mtime are set last, children first
 * @param kept paths left as they are
 * @param keptLinks per hard-link group (its first path), a kept member holding the group's known-good inode
 * @param touched entries removed + created + directories fixed
 * @param refusal why a delta is refused (then everything else is empty), or null
 */
public record DeltaPlan(List<String> remove, List<ManifestEntry> restore, List<ManifestEntry> fixDirs,
    List<String> kept, Map<String, String> keptLinks, int touched, String refusal) {

  /** When a delta is refused for its size: more touched entries than {@code max(minEntries, fraction × entries)}. */
  public record Limit(int minEntries, double fraction) {
    public static final Limit DEFAULT = new Limit(256, 0.25);

    int of(int entries) {
      return (int) Math.max(minEntries, Math.floor(fraction * entries));
    }
  }

  public static DeltaPlan refused(String why) {
    return new DeltaPlan(List.of(), List.of(), List.of(), List.of(), Map.of(), 0, why);
  }

  public boolean isDelta() {
    return refusal == null;
  }

  /**
   * Plans the delta of a volume from the entries the record holds ({@code recorded}, taken when the volume equalled
   * the known-good), what the volume holds now ({@code now}) and the known-good's manifest.
   */
  static DeltaPlan of(List<ChangeRecord.Seen> recorded, List<ChangeRecord.Seen> now, List<ManifestEntry> manifest,
      Limit limit) {
    // The volume's own identity first: a recreated (or emptied-and-replaced) volume, the usual case of a full
    // restore, is refused before the two maps of every entry are built.
    ChangeRecord.Seen rootRec = null;
    for (ChangeRecord.Seen s : recorded) {
      if (s.path().equals(".")) {
        rootRec = s;
        break;
      }
    }
    ChangeRecord.Seen rootNow = now.isEmpty() ? null : now.get(0);
    if (rootRec == null || rootNow == null || !rootNow.path().equals(".") || rootRec.ino() != rootNow.ino()
        || rootRec.dev() != rootNow.dev()) {
      return refused("the volume was recreated since the change record was taken");
    }
    Map<String, ChangeRecord.Seen> rec = new HashMap<>();
    recorded.forEach(s -> rec.put(s.path(), s));
    Map<String, ManifestEntry> man = new HashMap<>();
    manifest.forEach(e -> man.put(e.path(), e));
    if (!rec.keySet().equals(man.keySet())) {
      return refused("the change record does not list the known-good's entries (taken while the volume was busy?)");
    }
    for (ManifestEntry e : manifest) {
      ChangeRecord.Seen s = rec.get(e.path());
      if (s.typeBits() != Stat.typeBits(e.type()) || !Objects.equals(s.linkTarget(), e.linkTarget())) {
        return refused("the change record disagrees with the known-good at " + e.path());
      }
    }
    for (ChangeRecord.Seen s : now) {
      if (RawNames.lossy(s.path()) || s.linkTarget() != null && RawNames.lossy(s.linkTarget())) {
        return refused("the volume holds names that are not UTF-8");
      }
    }
    for (ManifestEntry e : manifest) {
      if (RawNames.lossy(e.path())) {
        return refused("the known-good holds names that are not UTF-8");
      }
    }

    List<String> remove = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    TreeSet<String> dirs = new TreeSet<>();
    TreeSet<String> removedTops = new TreeSet<>();
    int removedEntries = 0;
    for (ChangeRecord.Seen s : now) { // sorted: a parent comes before its children
      if (under(s.path(), removedTops)) {
        removedEntries++;
        continue;
      }
      ChangeRecord.Seen r = rec.get(s.path());
      if (r != null && r.unchangedIn(s)) {
        kept.add(s.path());
        continue;
      }
      ManifestEntry m = man.get(s.path());
      if (r != null && m != null && m.type() == Type.DIR && s.typeBits() == Stat.S_IFDIR && r.ino() == s.ino()
          && r.dev() == s.dev()) {
        // The same directory: entries inside it came or went, or its metadata changed. Keep it, fix it last.
        kept.add(s.path());
        dirs.add(s.path());
        continue;
      }
      remove.add(s.path());
      removedTops.add(s.path());
      removedEntries++;
      addParent(dirs, s.path());
    }
    TreeSet<String> keptSet = new TreeSet<>(kept);
    List<ManifestEntry> restore = new ArrayList<>();
    for (ManifestEntry e : manifest) { // sorted by path: parents first
      if (!keptSet.contains(e.path())) {
        restore.add(e);
        addParent(dirs, e.path());
        if (e.type() == Type.DIR) {
          dirs.add(e.path());
        }
      }
    }
    List<ManifestEntry> fix = new ArrayList<>();
    for (String d : dirs.descendingSet()) {
      ManifestEntry m = man.get(d);
      if (m == null || m.type() != Type.DIR) {
        return refused("the directory " + d + " is not one of the known-good");
      }
      fix.add(m);
    }
    fix.sort(Comparator.comparing(ManifestEntry::path).reversed());
    int touched = removedEntries + restore.size() + fix.size();
    if (touched > limit.of(manifest.size())) {
      return refused("too many changes: " + touched + " entries to touch of " + manifest.size() + " (limit "
          + limit.of(manifest.size()) + ")");
    }
    Map<String, String> keptLinks = new HashMap<>();
    for (String k : kept) {
      ManifestEntry m = man.get(k);
      if (m.type() == Type.FILE) {
        keptLinks.putIfAbsent(m.hardLinkOf() != null ? m.hardLinkOf() : m.path(), k);
      }
    }
    return new DeltaPlan(List.copyOf(remove), List.copyOf(restore), List.copyOf(fix), List.copyOf(kept),
        Map.copyOf(keptLinks), touched, null);
  }

  private static void addParent(TreeSet<String> dirs, String path) {
    String p = parent(path);
    if (p != null) {
      dirs.add(p);
    }
  }

  /** Whether {@code path} lies inside one of {@code tops}. */
  private static boolean under(String path, TreeSet<String> tops) {
    for (String p = parent(path); p != null; p = parent(p)) {
      if (tops.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** The parent's manifest path; "." for a top-level entry; null for the root. */
  static String parent(String path) {
    if (path.equals(".")) {
      return null;
    }
    int i = path.lastIndexOf('/');
    return i < 0 ? "." : path.substring(0, i);
  }
}
