package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import warm.snapshot.ManifestEntry.Type;

/** lstat of every entry of a tree (never following symlinks; sockets skipped, as the manifest skips them). */
final class VolumeWalker {
  private final NativeFs fs;

  VolumeWalker(NativeFs fs) {
    this.fs = fs;
  }

  /** Every entry under {@code root} (root itself as {@code "."}), sorted by path. */
  List<ChangeRecord.Seen> walk(Path root) throws IOException {
    List<ChangeRecord.Seen> out = new ArrayList<>();
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
        if (st.type() == null) {
          return;
        }
        String link = st.type() == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        out.add(ChangeRecord.Seen.of(ManifestScanner.relative(root, p), st, link));
      }
    });
    out.sort(Comparator.comparing(ChangeRecord.Seen::path));
    return out;
  }
}
