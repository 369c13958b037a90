package warm.snapshot.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Linux names are bytes; a {@link Path} the JDK got from the kernel keeps them, but its {@code toString()} decodes
 * them as UTF-8 and turns invalid bytes into U+FFFD (D6). Wherever a name leaves the JDK — a C call, an archive — it
 * goes through here. The JDK's {@code file:} URIs percent-encode a path's raw bytes and decode them back losslessly;
 * that is the only public bridge between a {@code Path} and its bytes, and it is taken only for names whose string
 * form is lossy.
 */
public final class RawNames {
  private RawNames() {}

  /** Whether a decoded name lost bytes (or holds U+FFFD itself, which the slow path handles just as well). */
  public static boolean lossy(String s) {
    return s.indexOf('\uFFFD') >= 0;
  }

  /** The path's raw bytes (relative stays relative). */
  public static byte[] bytes(Path p) {
    String s = p.toString();
    if (!lossy(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    boolean absolute = p.isAbsolute();
    Path a = absolute ? p : Path.of("/").resolve(p);
    String raw = a.toUri().getRawPath();
    if (raw.length() > 1 && raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1); // toUri marks directories; a syscall must not follow a symlink
    }
    byte[] b = decode(raw);
    return absolute ? b : Arrays.copyOfRange(b, 1, b.length);
  }

  /**
   * NUL-terminated bytes for a C call. An ASCII name (the usual one) is copied straight into the array the call takes:
   * each copied file costs a few of these, and the general path (decode check, UTF-8 encoding into a scratch array,
   * a copy to add the NUL) made three arrays per name — a third of a reflink snapshot's garbage (issue 15, rows 1–2,
   * fourteenth round).
   */
  static byte[] c(Path p) {
    String s = p.toString(); // cached by the JDK's path
    int n = s.length();
    byte[] out = new byte[n + 1];
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80) { // U+FFFD (a lossy name) is not ASCII either: both take the exact path below
        byte[] b = bytes(p);
        return Arrays.copyOf(b, b.length + 1);
      }
      out[i] = (byte) ch;
    }
    return out;
  }

  /** Percent-encoding of every byte outside {@code [A-Za-z0-9._~/-]}: ASCII, safe in a PAX record and a URI. */
  public static String encode(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length);
    for (byte x : b) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '~' || c == '/' || c == '-') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  /** Inverse of {@link #encode}; a malformed escape is an {@link IllegalArgumentException}. */
  public static byte[] decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated escape in " + s);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape in " + s);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(u, 0, u.length);
      }
    }
    return out.toByteArray();
  }

  /** {@code dir}'s child named by raw bytes (one component, no {@code /}). */
  static Path child(Path dir, byte[] name) {
    String base = encode(bytes(dir.toAbsolutePath()));
    return Path.of(URI.create("file://" + (base.endsWith("/") ? base : base + "/") + encode(name)));
  }

  /** A path (absolute, or relative like a symlink's target) holding exactly {@code raw}. */
  static Path of(byte[] raw) {
    if (raw.length == 0) {
      return Path.of("");
    }
    boolean absolute = raw[0] == '/';
    Path abs = Path.of(URI.create("file://" + (absolute ? "" : "/") + encode(raw)));
    return absolute ? abs : Path.of("/").relativize(abs);
  }
}
