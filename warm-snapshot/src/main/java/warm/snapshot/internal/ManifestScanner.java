package warm.snapshot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.snapshot.ManifestEntry;
import warm.snapshot.ManifestEntry.Type;

/** Describes a tree as a sorted manifest (never following symlinks), optionally with SHA-256 of every file. */
public final class ManifestScanner {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestScanner.class);

  private final NativeFs fs;

  public ManifestScanner(NativeFs fs) {
    this.fs = fs;
  }

  /** The manifest of a tree plus its sizes. */
  public record Scan(List<ManifestEntry> entries, long logicalBytes, long allocatedBytes) {}

  public Scan scan(Path root, boolean hashes) throws IOException {
    List<ManifestEntry> out = new ArrayList<>();
    Map<String, List<Integer>> groups = new HashMap<>(); // "dev:ino" -> indexes into out
    long[] sizes = {0, 0};
    boolean[] allocKnown = {true};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        add(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        add(file);
        return FileVisitResult.CONTINUE;
      }

      private void add(Path p) throws IOException {
        Stat st = Stat.of(p);
        Type type = st.type();
        String rel = relative(root, p);
        if (type == null) {
          LOG.warn("skipping socket {}", p);
          return;
        }
        String link = type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        Long rdev = type == Type.CHAR || type == Type.BLOCK ? st.rdev() : null;
        String sha = type == Type.FILE && hashes ? sha256(p) : null;
        long size = type == Type.FILE ? st.size() : 0;
        out.add(new ManifestEntry(rel, type, st.perms(), st.uid(), st.gid(), size, st.mtimeNanos(), link, null, rdev,
            Meta.encode(fs.readXattrs(p)), sha));
        boolean counted = true;
        if (type == Type.FILE && st.nlink() > 1) {
          List<Integer> g = groups.computeIfAbsent(st.dev() + ":" + st.ino(), k -> new ArrayList<>());
          counted = g.isEmpty();
          g.add(out.size() - 1);
        }
        if (type == Type.FILE && counted) {
          sizes[0] += size;
          long alloc = fs.allocatedBytes(p);
          if (alloc < 0) {
            allocKnown[0] = false;
          } else {
            sizes[1] += alloc;
          }
        }
      }
    });
    for (List<Integer> g : groups.values()) {
      if (g.size() < 2) {
        continue;
      }
      String leader = g.stream().map(i -> out.get(i).path()).min(Comparator.naturalOrder()).orElseThrow();
      for (int i : g) {
        ManifestEntry e = out.get(i);
        if (!e.path().equals(leader)) {
          out.set(i, new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.mtimeNanos(),
              e.linkTarget(), leader, e.rdev(), e.xattrs(), e.sha256()));
        }
      }
    }
    out.sort(Comparator.comparing(ManifestEntry::path));
    return new Scan(List.copyOf(out), sizes[0], allocKnown[0] ? sizes[1] : -1);
  }

  static String relative(Path root, Path p) {
    if (p.equals(root)) {
      return ".";
    }
    String r = root.relativize(p).toString();
    return r.replace(java.io.File.separatorChar, '/');
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return sha256(in);
    }
  }

  static String sha256(InputStream in) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
