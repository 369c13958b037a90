package warm.snapshot;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import warm.snapshot.internal.Fiemap;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.Stat;

/**
 * Disk space that directory trees take, counted by allocated extents: a block that reflinked copies share (a
 * snapshot and the volume it was cloned from, two snapshots of unchanged data) is counted once, wherever it is
 * seen. Where a filesystem cannot map extents (tmpfs, overlay) a file counts its allocated blocks ({@code st_blocks});
 * without JNA, its logical size. Hard links count once. Read-only: nothing is written, nothing locked.
 */
public final class SpaceUsage {
  /** At most this many problems are kept in a report (their count is exact). */
  static final int MAX_PROBLEMS = 5;

  private SpaceUsage() {}

  /**
   * What {@link #measure} found.
   *
   * @param parts bytes of each named part, shared extents counted once within the part
   * @param totalBytes bytes of all parts together, shared extents counted once overall
   * @param extentMapped whether every regular file's extents were mapped (else some were counted by blocks, so
   *     extents they share with others may be counted twice)
   * @param files regular files seen (each inode once)
   * @param problemCount entries that could not be read (not counted)
   * @param problems the first few of those, one line each
   */
  public record Report(Map<String, Long> parts, long totalBytes, boolean extentMapped, long files, long problemCount,
      List<String> problems) {
    public Report {
      parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
      problems = List.copyOf(problems);
    }

    /** Bytes counted in more than one part but held once on disk (e.g. a reflinked snapshot and its volume). */
    public long sharedBetweenParts() {
      return parts.values().stream().mapToLong(Long::longValue).sum() - totalBytes;
    }
  }

  /**
   * Measures the named parts, each a list of directory trees (missing trees count nothing).
   *
   * @param parts part name → the roots it consists of, in report order
   */
  public static Report measure(Map<String, List<Path>> parts) {
    return new Tally(NativeFs.platform()).run(parts);
  }

  /** Space of one inode: extent intervals per device, plus bytes with no shareable address. */
  private record Space(long dev, long[] intervals, long unaddressed, boolean mapped) {}

  /** Interval sets per device plus loose bytes; the union is measured at the end. */
  private static final class Sum {
    final Map<Long, List<long[]>> byDev = new HashMap<>();
    long loose;

    void add(Space s) {
      loose += s.unaddressed;
      if (s.intervals.length > 0) {
        byDev.computeIfAbsent(s.dev, d -> new ArrayList<>()).add(s.intervals);
      }
    }

    long bytes() {
      long total = loose;
      for (List<long[]> lists : byDev.values()) {
        total += union(lists);
      }
      return total;
    }
  }

  /** Length of the union of [start, end) pairs, given as flat arrays {s0, e0, s1, e1, …}. */
  static long union(List<long[]> lists) {
    int n = 0;
    for (long[] a : lists) {
      n += a.length / 2;
    }
    long[][] iv = new long[n][];
    int k = 0;
    for (long[] a : lists) {
      for (int i = 0; i < a.length; i += 2) {
        iv[k++] = new long[] {a[i], a[i + 1]};
      }
    }
    Arrays.sort(iv, (x, y) -> Long.compare(x[0], y[0]));
    long total = 0;
    long curStart = Long.MIN_VALUE;
    long curEnd = Long.MIN_VALUE;
    for (long[] i : iv) {
      if (i[0] > curEnd) {
        total += curEnd - curStart;
        curStart = i[0];
        curEnd = i[1];
      } else if (i[1] > curEnd) {
        curEnd = i[1];
      }
    }
    return total + (curEnd - curStart);
  }

  private record Inode(long dev, long ino) {}

  private static final class Tally {
    private final NativeFs fs;
    private final Map<Inode, Space> seen = new HashMap<>();
    private final Sum all = new Sum();
    private boolean mapped = true;
    private long files;
    private long problemCount;
    private final List<String> problems = new ArrayList<>();

    Tally(NativeFs fs) {
      this.fs = fs;
    }

    Report run(Map<String, List<Path>> parts) {
      Map<String, Long> out = new LinkedHashMap<>();
      for (var e : parts.entrySet()) {
        Sum part = new Sum();
        Set<Inode> inPart = new HashSet<>();
        for (Path root : e.getValue()) {
          walk(root, part, inPart);
        }
        out.put(e.getKey(), part.bytes());
      }
      return new Report(out, all.bytes(), mapped, files, problemCount, problems);
    }

    private void walk(Path root, Sum part, Set<Inode> inPart) {
      if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            count(dir, part, inPart);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            count(file, part, inPart);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) { // gone while we walked: a live volume changes
              problem(file, e);
            }
            return FileVisitResult.CONTINUE;
          }
        });
      } catch (IOException e) {
        problem(root, e);
      }
    }

    private void count(Path p, Sum part, Set<Inode> inPart) {
      Stat st;
      try {
        st = fs.stat(p);
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException e) {
        problem(p, e);
        return;
      }
      Inode key = new Inode(st.dev(), st.ino());
      Space s = seen.get(key);
      if (s == null) {
        s = space(p, st);
        if (s == null) {
          return;
        }
        seen.put(key, s);
        all.add(s);
      }
      if (inPart.add(key)) {
        part.add(s);
      }
    }

    /** The inode's space, or null when it vanished or could not be read. */
    private Space space(Path p, Stat st) {
      long blocks = st.blocks() < 0 ? st.size() : st.blocks() * 512L;
      boolean regular = (st.mode() & 0170000) == 0100000;
      if (!regular) {
        return new Space(st.dev(), new long[0], blocks, true);
      }
      files++;
      Optional<List<Fiemap.Extent>> extents;
      try {
        extents = Fiemap.of(p);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        problem(p, e);
        return null;
      }
      if (extents.isEmpty()) {
        mapped = false;
        return new Space(st.dev(), new long[0], blocks, false);
      }
      List<Fiemap.Extent> list = extents.get();
      long[] iv = new long[list.size() * 2];
      int k = 0;
      long loose = 0;
      for (Fiemap.Extent x : list) {
        if (x.addressed()) {
          iv[k++] = x.physical();
          iv[k++] = x.physical() + x.length();
        } else {
          loose += x.length();
        }
      }
      return new Space(st.dev(), Arrays.copyOf(iv, k), loose, true);
    }

    private void problem(Path p, IOException e) {
      problemCount++;
      if (problems.size() < MAX_PROBLEMS) {
        String why = e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        problems.add(p + ": " + why);
      }
    }
  }
}
