package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where an archive entry may land (DESIGN I9): only strictly inside the target root, never through a symlink or a
 * non-directory, never via an absolute path or a {@code ..} component. Names are {@code /}-separated.
 */
public final class SafePaths {
  private SafePaths() {}

  /** An entry that would escape the target; nothing was written for it. */
  public static final class UnsafeEntryException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeEntryException(String message) {
      super(message);
    }
  }

  /**
   * The normalized relative form of {@code name} ({@code ""} for the root itself), or an exception when the name
   * is absolute, has a {@code ..} component or a NUL.
   */
  public static String normalize(String name) throws UnsafeEntryException {
    if (name == null || name.indexOf('\0') >= 0) {
      throw new UnsafeEntryException("archive entry name contains NUL");
    }
    if (name.startsWith("/")) {
      throw new UnsafeEntryException("archive entry has an absolute path: " + name);
    }
    StringBuilder out = new StringBuilder();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new UnsafeEntryException("archive entry has a '..' component: " + name);
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Resolves {@code name} under {@code root}, checking on disk that every existing ancestor below root is a real
   * directory (not a symlink): writing through a symlink an earlier entry planted is an escape.
   */
  public static Path resolve(Path root, String name) throws UnsafeEntryException {
    return resolve(root, name, new HashSet<>());
  }

  /**
   * As {@link #resolve(Path, String)}, skipping the disk checks of ancestors in {@code checkedDirs} and adding those
   * it found to be real directories: for an extraction that never removes or replaces anything, so a directory it
   * checked stays one (three lstats per member and ancestor otherwise).
   */
  public static Path resolve(Path root, String name, Set<Path> checkedDirs) throws UnsafeEntryException {
    String rel = normalize(name);
    if (rel.isEmpty()) {
      return root;
    }
    String[] parts = rel.split("/");
    Path p = root;
    for (int i = 0; i < parts.length - 1; i++) {
      p = p.resolve(parts[i]);
      if (checkedDirs.contains(p)) {
        continue;
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        checkedDirs.add(p); // a real directory (NOFOLLOW: a symlink to one is not)
        continue;
      }
      if (Files.isSymbolicLink(p)) {
        throw new UnsafeEntryException("archive entry would be written through symlink " + rel(root, p) + ": " + name);
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new UnsafeEntryException("archive entry's parent is not a directory: " + name);
      }
    }
    Path target = p.resolve(parts[parts.length - 1]);
    if (!target.normalize().startsWith(root.normalize()) || target.normalize().equals(root.normalize())) {
      throw new UnsafeEntryException("archive entry escapes the target: " + name);
    }
    return target;
  }

  /**
   * As {@link #resolve(Path, String)} for a name given as raw bytes (an archive's {@code WARM.rawpath}, D6): the same
   * checks, made on the components' bytes and on the disk, so a name that is not UTF-8 cannot slip past them.
   */
  public static Path resolveRaw(Path root, byte[] name) throws UnsafeEntryException {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= name.length; i++) {
      if (i == name.length || name[i] == '/') {
        byte[] c = Arrays.copyOfRange(name, start, i);
        start = i + 1;
        if (i == 0 && name.length > 0) {
          throw new UnsafeEntryException("archive entry has an absolute raw path");
        }
        if (c.length == 0 || (c.length == 1 && c[0] == '.')) {
          continue;
        }
        if (c.length == 2 && c[0] == '.' && c[1] == '.') {
          throw new UnsafeEntryException("archive entry has a '..' component in its raw path");
        }
        for (byte b : c) {
          if (b == 0) {
            throw new UnsafeEntryException("archive entry's raw path contains NUL");
          }
        }
        parts.add(c);
      }
    }
    if (parts.isEmpty()) {
      throw new UnsafeEntryException("archive entry's raw path names the target root");
    }
    Path p = root;
    for (int i = 0; i < parts.size(); i++) {
      p = RawNames.child(p, parts.get(i));
      if (i == parts.size() - 1) {
        break;
      }
      if (Files.isSymbolicLink(p)) {
        throw new UnsafeEntryException("archive entry would be written through symlink " + rel(root, p));
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new UnsafeEntryException("archive entry's parent is not a directory: " + rel(root, p));
      }
    }
    if (!p.startsWith(root) || p.equals(root)) {
      throw new UnsafeEntryException("archive entry escapes the target: " + rel(root, p));
    }
    return p;
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString();
  }
}
