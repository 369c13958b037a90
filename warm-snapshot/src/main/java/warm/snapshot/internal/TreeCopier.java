package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.snapshot.ManifestEntry.Type;
import warm.snapshot.Progress;

/**
 * Copies a tree object by object: regular files by FICLONE (or a byte copy), directories, symlinks (never
 * followed, copied as links whatever they point at), hard links (as hard links), FIFOs and device nodes; then
 * owner, 12 mode bits, xattrs and mtime, directories last (post-order).
 */
public final class TreeCopier {
  private static final Logger LOG = LoggerFactory.getLogger(TreeCopier.class);

  /** How file data travels. */
  public enum Mode {
    /** FICLONE; the first refusal is thrown as {@link NativeFs.CloneUnsupportedException} (caller falls back). */
    CLONE_STRICT,
    /** FICLONE; a refusal byte-copies that file and every later one. */
    CLONE_OR_COPY,
    /** Byte copy only. */
    COPY
  }

  private final NativeFs fs;
  private final Progress progress;
  private final String phase;

  public TreeCopier(NativeFs fs, Progress progress, String phase) {
    this.fs = fs;
    this.progress = progress;
    this.phase = phase;
  }

  /** Result: whether any file was byte-copied, and counters. */
  public record Result(boolean byteCopied, long files, long bytes) {}

  /**
   * Copies the contents of {@code src} into {@code dst}. When {@code dstExists} the root directory is kept (only
   * its metadata is set, at the end); otherwise it is created.
   */
  public Result copy(Path src, Path dst, boolean dstExists, Mode mode) throws IOException {
    return copy(src, dst, dstExists, mode, null);
  }

  /** As {@link #copy(Path, Path, boolean, Mode)}, describing every source object to {@code manifest} if non-null. */
  public Result copy(Path src, Path dst, boolean dstExists, Mode mode, ManifestBuilder manifest) throws IOException {
    Map<String, Path> firstLink = new HashMap<>();
    Mode[] current = {mode};
    boolean[] copied = {false};
    long[] counters = {0, 0};
    Files.walkFileTree(src, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Path target = target(dir);
        if (!(dir.equals(src) && dstExists)) {
          Files.createDirectory(target);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Stat st = fs.stat(dir);
        Map<String, byte[]> xattrs = fs.readXattrs(dir);
        if (manifest != null) {
          manifest.add(ManifestScanner.relative(src, dir), dir, st, xattrs, null, null);
        }
        Meta.apply(fs, target(dir), false, st.uid(), st.gid(), st.perms(), xattrs, st.mtimeNanos());
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Stat st = fs.stat(file);
        Type type = st.type();
        Path target = target(file);
        if (type == null) {
          LOG.warn("skipping socket {}", file);
          return FileVisitResult.CONTINUE;
        }
        Map<String, byte[]> xattrs = fs.readXattrs(file);
        String link = type == Type.SYMLINK ? Files.readSymbolicLink(file).toString() : null;
        if (manifest != null) {
          manifest.add(ManifestScanner.relative(src, file), file, st, xattrs, link, null);
        }
        switch (type) {
          case FILE -> {
            if (st.nlink() > 1) {
              String key = st.dev() + ":" + st.ino();
              Path first = firstLink.get(key);
              if (first != null) {
                Files.createLink(target, first);
                return FileVisitResult.CONTINUE;
              }
              firstLink.put(key, target);
            }
            copyData(file, target, st);
            if (manifest != null) {
              // A snapshot: the copy must equal the entry just recorded, or the known-good would not restore.
              ChangedDuringCopyException.check(fs, file, st, fs.stat(target).size());
            }
            counters[0]++;
            counters[1] += st.size();
            if ((counters[0] & 255) == 0) {
              progress.update(phase, counters[0], counters[1]);
            }
          }
          case SYMLINK -> Files.createSymbolicLink(target, Files.readSymbolicLink(file)); // raw bytes (D6)
          case FIFO, CHAR, BLOCK -> fs.mknod(target, Stat.typeBits(type) | st.perms(), st.rdev());
          default -> throw new IOException("unexpected type " + type + " at " + file);
        }
        Meta.apply(fs, target, type == Type.SYMLINK, st.uid(), st.gid(), st.perms(), xattrs, st.mtimeNanos());
        return FileVisitResult.CONTINUE;
      }

      private void copyData(Path file, Path target, Stat st) throws IOException {
        if (current[0] != Mode.COPY) {
          try {
            fs.cloneFile(file, target, st.perms());
            return;
          } catch (NativeFs.CloneUnsupportedException e) {
            if (current[0] == Mode.CLONE_STRICT) {
              throw e;
            }
            LOG.info("clone refused ({}); byte-copying the remaining files", e.getMessage());
            current[0] = Mode.COPY;
          }
        }
        copied[0] = true;
        Files.copy(file, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
      }

      private Path target(Path p) {
        return p.equals(src) ? dst : dst.resolve(src.relativize(p)); // Path to Path: raw name bytes kept (D6)
      }
    });
    progress.update(phase, counters[0], counters[1]);
    return new Result(copied[0], counters[0], counters[1]);
  }

  /** Deletes everything below {@code dir} (never following symlinks), keeping {@code dir} itself. */
  public static void emptyDirectory(Path dir) throws IOException {
    try (var children = Files.newDirectoryStream(dir)) {
      for (Path c : children) {
        deleteTree(c);
      }
    }
  }

  /** Deletes a tree (or a single file or link) without following symlinks; missing is fine. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
