package warm.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One filesystem object of a volume, as restore must reproduce it. {@code path} is relative to the volume root with
 * {@code /} separators ({@code "."} is the root itself). {@code mode} holds the 12 permission bits; {@code hardLinkOf}
 * names the first path (in sort order) of the hard-link group this file belongs to; {@code xattrs} values are
 * base64; {@code sha256} is present only when content hashes were asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestEntry(String path, Type type, int mode, int uid, int gid, long size, long mtimeNanos,
    String linkTarget, String hardLinkOf, Long rdev, Map<String, String> xattrs, String sha256) {

  /** File types a volume may hold. Sockets are skipped (a stopped service has none worth keeping). */
  public enum Type { DIR, FILE, SYMLINK, FIFO, CHAR, BLOCK }

  public ManifestEntry withSha256(String hash) {
    return new ManifestEntry(path, type, mode, uid, gid, size, mtimeNanos, linkTarget, hardLinkOf, rdev, xattrs, hash);
  }
}
