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

  /**
   * Compares the fields as they are (primitives, no boxing) and builds a message only for a difference: this runs for
   * every entry of every restore and verify (20k entries: a prefix string, two octal strings and four boxed numbers
   * each, before).
   */
  private static void diff(String volume, ManifestEntry e, ManifestEntry a, List<String> out, int[] count) {
    if (e.type() != a.type()) {
      differs(out, count, volume, e, "type", e.type(), a.type());
    }
    if (e.type() != ManifestEntry.Type.SYMLINK && e.mode() != a.mode()) { // a symlink's mode means nothing
      differs(out, count, volume, e, "mode", Integer.toOctalString(e.mode()), Integer.toOctalString(a.mode()));
    }
    if (e.uid() != a.uid()) {
      differs(out, count, volume, e, "uid", e.uid(), a.uid());
    }
    if (e.gid() != a.gid()) {
      differs(out, count, volume, e, "gid", e.gid(), a.gid());
    }
    if (e.size() != a.size()) {
      differs(out, count, volume, e, "size", e.size(), a.size());
    }
    if (e.mtimeNanos() != a.mtimeNanos()) {
      differs(out, count, volume, e, "mtime", e.mtimeNanos(), a.mtimeNanos());
    }
    check(out, count, volume, e, "link target", e.linkTarget(), a.linkTarget());
    check(out, count, volume, e, "hard link", e.hardLinkOf(), a.hardLinkOf());
    check(out, count, volume, e, "rdev", e.rdev(), a.rdev());
    check(out, count, volume, e, "xattrs", e.xattrs(), a.xattrs());
    if (e.sha256() != null && a.sha256() != null) {
      check(out, count, volume, e, "content", e.sha256(), a.sha256());
    }
  }

  private static void check(List<String> out, int[] count, String volume, ManifestEntry e, String what, Object expected,
      Object actual) {
    if (!Objects.equals(expected, actual)) {
      differs(out, count, volume, e, what, expected, actual);
    }
  }

  private static void differs(List<String> out, int[] count, String volume, ManifestEntry e, String what,
      Object expected, Object actual) {
    note(out, count, volume + ": " + e.path() + ": " + what + " expected " + expected + " but was " + actual);
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
