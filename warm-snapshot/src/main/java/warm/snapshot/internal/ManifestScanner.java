package warm.snapshot.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.snapshot.ManifestEntry.Type;
import warm.snapshot.ManifestEntry;

/** Describes a tree as a sorted manifest (never following symlinks), optionally with SHA-256 of every file. */
public final class ManifestScanner {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestScanner.class);

  private final NativeFs fs;

  public ManifestScanner(NativeFs fs) {
    this.fs = fs;
  }

  /** The manifest of a tree plus its sizes. */
  public record Scan(List<ManifestEntry> entries, long logicalBytes, long allocatedBytes) {}

  /** Told of every object a scan describes, with its stat: the change record is taken from the same walk. */
  public interface Observer {
    void seen(String rel, Stat st, String linkTarget);
  }

  public Scan scan(Path root, boolean hashes) throws IOException {
    return scan(root, hashes, null);
  }

  /** As {@link #scan(Path, boolean)}, telling {@code observer} (if non-null) of every object. */
  public Scan scan(Path root, boolean hashes, Observer observer) throws IOException {
    ManifestBuilder b = new ManifestBuilder(fs);
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
        Stat st = fs.stat(p);
        Type type = st.type();
        if (type == null) {
          LOG.warn("skipping socket {}", p);
          return;
        }
        String link = type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        String sha = type == Type.FILE && hashes ? sha256(p) : null;
        String rel = relative(root, p);
        b.add(rel, p, st, fs.readXattrs(p), link, sha);
        if (observer != null) {
          observer.seen(rel, st, link);
        }
      }
    });
    return b.build();
  }

  static String relative(Path root, Path p) {
    if (p.equals(root)) {
      return ".";
    }
    String r = root.relativize(p).toString();
    return r.replace(File.separatorChar, '/');
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
