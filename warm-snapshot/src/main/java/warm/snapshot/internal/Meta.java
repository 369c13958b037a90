package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies ownership, mode, xattrs and mtime to a created object, in the order that keeps setuid bits and file
 * capabilities (chown clears them): owner, mode, xattrs, times (native-fs.md §2.7). Callers apply directories last.
 */
final class Meta {
  private static final Logger LOG = LoggerFactory.getLogger(Meta.class);

  private Meta() {}

  static void apply(NativeFs fs, Path p, boolean symlink, int uid, int gid, int perms, Map<String, byte[]> xattrs,
      long mtimeNanos) throws IOException {
    fs.setOwner(p, uid, gid);
    if (!symlink) {
      fs.setMode(p, perms);
    }
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      try {
        fs.writeXattr(p, x.getKey(), x.getValue());
      } catch (IOException e) {
        xattrRefused(p, x.getKey(), e);
      }
    }
    fs.setMtime(p, mtimeNanos);
  }

  /** A refused xattr: a {@code user.} one fails the copy; others are logged and skipped. */
  static void xattrRefused(Path p, String name, IOException e) throws IOException {
    if (name.startsWith("user.")) {
      throw e;
    }
    // security.selinux and friends may be refused by the target's policy; the data is still right.
    LOG.warn("could not restore xattr {} on {}: {}", name, p, e.getMessage());
  }

  static Map<String, byte[]> decode(Map<String, String> b64) {
    if (b64 == null || b64.isEmpty()) {
      return Map.of();
    }
    TreeMap<String, byte[]> out = new TreeMap<>();
    b64.forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
    return out;
  }

  static Map<String, String> encode(Map<String, byte[]> raw) {
    if (raw.isEmpty()) {
      return null;
    }
    TreeMap<String, String> out = new TreeMap<>();
    raw.forEach((k, v) -> out.put(k, Base64.getEncoder().encodeToString(v)));
    return out;
  }
}
