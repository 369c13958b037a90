package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Stat st = fs.stat(root);
    out.add(ChangeRecord.Seen.of(".", st, null));
    walk(root, "", out);
    out.sort(Comparator.comparing(ChangeRecord.Seen::path));
    return out;
  }

  /**
   * One lstat per entry (readdir gives names only; Files.walkFileTree would stat each entry once more itself), and a
   * directory is entered only when lstat says it is one, so symlinks are never followed.
   */
  private void walk(Path dir, String prefix, List<ChangeRecord.Seen> out) throws IOException {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path p : children) {
        Stat st = fs.stat(p);
        Type type = st.type();
        if (type == null) {
          continue; // a socket: the manifest skips it too
        }
        String rel = prefix + p.getFileName().toString();
        String link = type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        out.add(ChangeRecord.Seen.of(rel, st, link));
        if (type == Type.DIR) {
          walk(p, rel + "/", out);
        }
      }
    }
  }
}
