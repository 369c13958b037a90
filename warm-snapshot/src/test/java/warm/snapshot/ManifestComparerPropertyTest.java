package warm.snapshot;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import warm.snapshot.ManifestEntry.Type;
import warm.snapshot.internal.ManifestComparer;

/** Property: identical manifests compare equal; flipping any single bit of any field of any entry is caught. */
class ManifestComparerPropertyTest {

  static Gen<ManifestEntry> entries() {
    return integers().between(0, 1_000_000).zip(integers().between(0, 07777), longs().all(),
        Generate.enumValues(Type.class), (i, mode, l, type) -> new ManifestEntry("p" + i, type, mode, i % 70000,
            (i * 7) % 70000, type == Type.FILE ? Math.abs(l % 100000) : 0, l, type == Type.SYMLINK ? "t" + l : null,
            i % 3 == 0 ? "p0" : null, type == Type.CHAR ? (long) i : null, i % 5 == 0 ? Map.of("user.a", "AA==") : null,
            type == Type.FILE ? Long.toHexString(l) : null));
  }

  static Gen<List<ManifestEntry>> manifests() {
    return lists().of(entries()).ofSizeBetween(1, 30).map(l -> {
      Map<String, ManifestEntry> unique = new TreeMap<>();
      l.forEach(e -> unique.put(e.path(), e));
      return new ArrayList<>(unique.values());
    });
  }

  @Test
  void identicalIsClean() {
    qt().forAll(manifests()).checkAssert(m -> {
      if (ManifestComparer.compare("v", m, List.copyOf(m)).count() != 0) {
        throw new AssertionError("identical manifests differ");
      }
    });
  }

  @Test
  void anySingleBitFlipIsCaught() {
    qt().forAll(manifests(), integers().between(0, 1000), integers().between(0, 9), integers().between(0, 62))
        .checkAssert((m, which, field, bit) -> {
          List<ManifestEntry> changed = new ArrayList<>(m);
          int i = which % m.size();
          ManifestEntry e = m.get(i);
          ManifestEntry f = flip(e, field, bit);
          if (f == null) {
            return; // field not meaningful for this type (e.g. mode of a symlink)
          }
          changed.set(i, f);
          changed.sort(Comparator.comparing(ManifestEntry::path));
          if (ManifestComparer.compare("v", m, changed).count() == 0) {
            throw new AssertionError("missed a flipped bit in field " + field + " of " + e + " -> " + f);
          }
        });
  }

  /** What `warm verify` and a refused restore print: volume, path, field, both values (a mode in octal). */
  @Test
  void differencesAreSpelledOut() {
    ManifestEntry e = new ManifestEntry("d/f", Type.FILE, 0644, 0, 0, 10, 7, null, null, null, null, "aa");
    ManifestEntry a = new ManifestEntry("d/f", Type.FILE, 04755, 1000, 0, 11, 8, null, "d/g", null,
        Map.of("user.a", "AA=="), "bb");
    ManifestEntry l = new ManifestEntry("l", Type.SYMLINK, 0777, 0, 0, 0, 7, "t", null, null, null, null);
    ManifestComparer.Result r = ManifestComparer.compare("v", List.of(e, l),
        List.of(a, new ManifestEntry("l", Type.SYMLINK, 0755, 0, 0, 0, 7, "u", null, null, null, null)));
    org.junit.jupiter.api.Assertions.assertEquals(List.of(
        "v: d/f: mode expected 644 but was 4755", "v: d/f: uid expected 0 but was 1000",
        "v: d/f: size expected 10 but was 11", "v: d/f: mtime expected 7 but was 8",
        "v: d/f: hard link expected null but was d/g", "v: d/f: xattrs expected null but was {user.a=AA==}",
        "v: d/f: content expected aa but was bb", "v: l: link target expected t but was u"), r.listed());
    org.junit.jupiter.api.Assertions.assertEquals(8, r.count());
  }

  @Test
  void missingOrExtraEntryIsCaught() {
    qt().forAll(manifests(), integers().between(0, 1000)).checkAssert((m, which) -> {
      List<ManifestEntry> fewer = new ArrayList<>(m);
      fewer.remove(which % m.size());
      if (ManifestComparer.compare("v", m, fewer).count() != 1
          || ManifestComparer.compare("v", fewer, m).count() != 1) {
        throw new AssertionError("missing/extra entry not reported exactly once");
      }
    });
  }

  private static ManifestEntry flip(ManifestEntry e, int field, int bit) {
    int b32 = 1 << (bit % 31);
    long b64 = 1L << bit;
    return switch (field) {
      case 0 -> e.type() == Type.SYMLINK ? null : new ManifestEntry(e.path(), e.type(), e.mode() ^ (1 << (bit % 12)),
          e.uid(), e.gid(), e.size(), e.mtimeNanos(), e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs(), e.sha256());
      case 1 -> new ManifestEntry(e.path(), e.type(), e.mode(), e.uid() ^ b32, e.gid(), e.size(), e.mtimeNanos(),
          e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs(), e.sha256());
      case 2 -> new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid() ^ b32, e.size(), e.mtimeNanos(),
          e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs(), e.sha256());
      case 3 -> new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size() ^ b64, e.mtimeNanos(),
          e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs(), e.sha256());
      case 4 -> new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtimeNanos() ^ b64,
          e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs(), e.sha256());
      case 5 -> e.linkTarget() == null ? null : new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(),
          e.size(), e.mtimeNanos(), flipChar(e.linkTarget(), bit), e.hardLinkOf(), e.rdev(), e.xattrs(), e.sha256());
      case 6 -> new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtimeNanos(),
          e.linkTarget(), e.hardLinkOf() == null ? "p0" : null, e.rdev(), e.xattrs(), e.sha256());
      case 7 -> e.rdev() == null ? null : new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(),
          e.mtimeNanos(), e.linkTarget(), e.hardLinkOf(), e.rdev() ^ b64, e.xattrs(), e.sha256());
      case 8 -> new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtimeNanos(),
          e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs() == null ? Map.of("user.b", "AQ==") : null, e.sha256());
      default -> e.sha256() == null ? null : new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(),
          e.size(), e.mtimeNanos(), e.linkTarget(), e.hardLinkOf(), e.rdev(), e.xattrs(), flipChar(e.sha256(), bit));
    };
  }

  private static String flipChar(String s, int bit) {
    char[] c = s.toCharArray();
    int i = bit % c.length;
    c[i] = (char) (c[i] ^ 1);
    return new String(c);
  }
}
