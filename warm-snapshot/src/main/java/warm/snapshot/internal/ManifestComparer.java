package warm.snapshot.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import warm.snapshot.ManifestEntry;

/**
 * Compares an expected manifest with the one of a restored tree, field by field: type, mode, ids, size, mtime, link
 * target, hard-link group, device number, xattrs, and SHA-256 when both sides carry it. Directory mtimes are
 * compared too (restore sets them last).
 */
public final class ManifestComparer {
  /** How many differences are spelled out; the count is always exact. */
  public static final int MAX_LISTED = 50;

  private ManifestComparer() {}

  /** Differences found; both lists must be sorted by path (as {@link ManifestScanner} returns them). */
  public record Result(int count, List<String> listed) {}

  public static Result compare(String volume, List<ManifestEntry> expected, List<ManifestEntry> actual) {
    List<String> out = new ArrayList<>();
    int[] count = {0};
    Iterator<ManifestEntry> ei = expected.iterator();
    Iterator<ManifestEntry> ai = actual.iterator();
    ManifestEntry e = next(ei);
    ManifestEntry a = next(ai);
    while (e != null || a != null) {
      int c = e == null ? 1 : a == null ? -1 : e.path().compareTo(a.path());
      if (c < 0) {
        note(out, count, volume + ": missing " + e.path());
        e = next(ei);
      } else if (c > 0) {
        note(out, count, volume + ": unexpected " + a.path());
        a = next(ai);
      } else {
        diff(volume, e, a, out, count);
        e = next(ei);
        a = next(ai);
      }
    }
    return new Result(count[0], List.copyOf(out));
  }

  private static void diff(String volume, ManifestEntry e, ManifestEntry a, List<String> out, int[] count) {
    String p = volume + ": " + e.path() + ": ";
    check(out, count, p, "type", e.type(), a.type());
    check(out, count, p, "mode", e.type() == ManifestEntry.Type.SYMLINK ? null : Integer.toOctalString(e.mode()),
        e.type() == ManifestEntry.Type.SYMLINK ? null : Integer.toOctalString(a.mode()));
    check(out, count, p, "uid", e.uid(), a.uid());
    check(out, count, p, "gid", e.gid(), a.gid());
    check(out, count, p, "size", e.size(), a.size());
    check(out, count, p, "mtime", e.mtimeNanos(), a.mtimeNanos());
    check(out, count, p, "link target", e.linkTarget(), a.linkTarget());
    check(out, count, p, "hard link", e.hardLinkOf(), a.hardLinkOf());
    check(out, count, p, "rdev", e.rdev(), a.rdev());
    check(out, count, p, "xattrs", e.xattrs(), a.xattrs());
    if (e.sha256() != null && a.sha256() != null) {
      check(out, count, p, "content", e.sha256(), a.sha256());
    }
  }

  private static void check(List<String> out, int[] count, String prefix, String what, Object e, Object a) {
    if (!Objects.equals(e, a)) {
      note(out, count, prefix + what + " expected " + e + " but was " + a);
    }
  }

  private static void note(List<String> out, int[] count, String s) {
    count[0]++;
    if (out.size() < MAX_LISTED) {
      out.add(s);
    }
  }

  private static ManifestEntry next(Iterator<ManifestEntry> it) {
    return it.hasNext() ? it.next() : null;
  }
}
