package warm.snapshot;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a meta.json laid out exactly as {@link MetaJson} writes it — compact (no whitespace), the fields
 * MetaJson writes and no others, a value of each field's written type — in one pass over its bytes, without a
 * tokenizer. Anything else (whitespace, an unknown field, a number out of its field's range, a float, a raw
 * control character, bytes that are not UTF-8, a truncated file, data after the end) makes it give up: it returns
 * null and {@link MetaJson#read} reads the file with jackson-core's parser as before, which decides. So for every
 * file it reads, it gives what that parser gives (fields in any order, the last of a repeated one, a missing one
 * null or 0).
 *
 * <p>Why: a restore parses the known-good's manifest before it may change anything, on its main thread, and 20k
 * entries are 2.1 MB of JSON; jackson's tokenizer in a fresh JVM under C1 took 80–130 ms of CPU for it (issue 15,
 * row 2). This reader's per-entry method is compiled after a few hundred entries.
 */
final class CompactMetaReader {
  /** Thrown where the layout is not MetaJson's; no stack trace (it ends the attempt, nothing more). */
  private static final class NotCompact extends Exception {
    private static final long serialVersionUID = 1L;
    private static final NotCompact INSTANCE = new NotCompact();

    private NotCompact() {
      super(null, null, false, false);
    }
  }

  private static final byte[] FORMAT = key("format");
  private static final byte[] ID = key("id");
  private static final byte[] CREATED_AT = key("createdAt");
  private static final byte[] METHOD = key("method");
  private static final byte[] TAG = key("tag");
  private static final byte[] STORE_BYTES = key("storeBytes");
  private static final byte[] VOLUMES = key("volumes");
  private static final byte[] COMMIT = key("commit");
  private static final byte[] VERSION = key("version");
  private static final byte[] NAME = key("name");
  private static final byte[] LOGICAL_BYTES = key("logicalBytes");
  private static final byte[] ALLOCATED_BYTES = key("allocatedBytes");
  private static final byte[] ENTRIES = key("entries");
  private static final byte[] MANIFEST = key("manifest");
  private static final byte[] PATH = key("path");
  private static final byte[] TYPE = key("type");
  private static final byte[] MODE = key("mode");
  private static final byte[] UID = key("uid");
  private static final byte[] GID = key("gid");
  private static final byte[] SIZE = key("size");
  private static final byte[] MTIME_NANOS = key("mtimeNanos");
  private static final byte[] LINK_TARGET = key("linkTarget");
  private static final byte[] HARD_LINK_OF = key("hardLinkOf");
  private static final byte[] RDEV = key("rdev");
  private static final byte[] XATTRS = key("xattrs");
  private static final byte[] SHA256 = key("sha256");
  private static final ManifestEntry.Type[] TYPES = ManifestEntry.Type.values();
  private static final Method[] METHODS = Method.values();

  private final byte[] b;
  private int i;

  private CompactMetaReader(byte[] b) {
    this.b = b;
  }

  /** The meta.json in {@code json}, or null where it is not laid out as {@link MetaJson} writes it. */
  static SnapshotMeta read(byte[] json) {
    try {
      CompactMetaReader r = new CompactMetaReader(json);
      SnapshotMeta meta = r.meta();
      return r.i == json.length ? meta : null;
    } catch (NotCompact | IndexOutOfBoundsException e) {
      return null; // the general parser reads it (or says why not)
    }
  }

  /** {@code "name":} as bytes. */
  private static byte[] key(String name) {
    return ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
  }

  private SnapshotMeta meta() throws NotCompact {
    expect('{');
    int format = 0;
    String id = null;
    String createdAt = null;
    Method method = null;
    SnapshotTag tag = null;
    long storeBytes = 0;
    Map<String, VolumeMeta> volumes = null;
    if (!empty('}')) {
      do {
        if (key(FORMAT)) {
          format = intValue();
        } else if (key(ID)) {
          id = text();
        } else if (key(CREATED_AT)) {
          createdAt = text();
        } else if (key(METHOD)) {
          method = method();
        } else if (key(TAG)) {
          tag = tag();
        } else if (key(STORE_BYTES)) {
          storeBytes = longValue();
        } else if (key(VOLUMES)) {
          volumes = volumes();
        } else {
          throw NotCompact.INSTANCE;
        }
      } while (next('}'));
    }
    return new SnapshotMeta(format, id, createdAt, method, tag, storeBytes, volumes);
  }

  private SnapshotTag tag() throws NotCompact {
    if (isNull()) {
      return null;
    }
    expect('{');
    String commit = null;
    String version = null;
    if (!empty('}')) {
      do {
        if (key(COMMIT)) {
          commit = text();
        } else if (key(VERSION)) {
          version = text();
        } else {
          throw NotCompact.INSTANCE;
        }
      } while (next('}'));
    }
    return new SnapshotTag(commit, version);
  }

  private Map<String, VolumeMeta> volumes() throws NotCompact {
    if (isNull()) {
      return null;
    }
    expect('{');
    Map<String, VolumeMeta> out = new LinkedHashMap<>();
    if (!empty('}')) {
      do {
        String name = fieldName();
        out.put(name, volume());
      } while (next('}'));
    }
    return out;
  }

  private VolumeMeta volume() throws NotCompact {
    if (isNull()) {
      return null;
    }
    expect('{');
    String name = null;
    long logical = 0;
    long allocated = 0;
    int entries = 0;
    List<ManifestEntry> manifest = null;
    if (!empty('}')) {
      do {
        if (key(NAME)) {
          name = text();
        } else if (key(LOGICAL_BYTES)) {
          logical = longValue();
        } else if (key(ALLOCATED_BYTES)) {
          allocated = longValue();
        } else if (key(ENTRIES)) {
          entries = intValue();
        } else if (key(MANIFEST)) {
          manifest = manifest();
        } else {
          throw NotCompact.INSTANCE;
        }
      } while (next('}'));
    }
    return new VolumeMeta(name, logical, allocated, entries, manifest);
  }

  private List<ManifestEntry> manifest() throws NotCompact {
    if (isNull()) {
      return null;
    }
    expect('[');
    List<ManifestEntry> out = new ArrayList<>();
    if (!empty(']')) {
      do {
        out.add(entry());
      } while (next(']'));
    }
    return out;
  }

  /** One manifest entry: called once per object, so C1 compiles it early (a loop body alone would not be). */
  private ManifestEntry entry() throws NotCompact {
    if (isNull()) {
      return null;
    }
    expect('{');
    String path = null;
    ManifestEntry.Type type = null;
    int mode = 0;
    int uid = 0;
    int gid = 0;
    long size = 0;
    long mtime = 0;
    String linkTarget = null;
    String hardLinkOf = null;
    Long rdev = null;
    Map<String, String> xattrs = null;
    String sha256 = null;
    if (!empty('}')) {
      do {
        // In the order MetaJson writes them, so the usual entry matches each key at its first test.
        if (key(PATH)) {
          path = text();
        } else if (key(TYPE)) {
          type = type();
        } else if (key(MODE)) {
          mode = intValue();
        } else if (key(UID)) {
          uid = intValue();
        } else if (key(GID)) {
          gid = intValue();
        } else if (key(SIZE)) {
          size = longValue();
        } else if (key(MTIME_NANOS)) {
          mtime = longValue();
        } else if (key(LINK_TARGET)) {
          linkTarget = text();
        } else if (key(HARD_LINK_OF)) {
          hardLinkOf = text();
        } else if (key(RDEV)) {
          rdev = longValue();
        } else if (key(XATTRS)) {
          xattrs = xattrs();
        } else if (key(SHA256)) {
          sha256 = text();
        } else {
          throw NotCompact.INSTANCE;
        }
      } while (next('}'));
    }
    return new ManifestEntry(path, type, mode, uid, gid, size, mtime, linkTarget, hardLinkOf, rdev, xattrs, sha256);
  }

  private Map<String, String> xattrs() throws NotCompact {
    if (isNull()) {
      return null;
    }
    expect('{');
    Map<String, String> out = new LinkedHashMap<>();
    if (!empty('}')) {
      do {
        String name = fieldName();
        out.put(name, text());
      } while (next('}'));
    }
    return out;
  }

  private Method method() throws NotCompact {
    String label = text();
    if (label == null) {
      return null;
    }
    for (Method m : METHODS) {
      if (m.label().equals(label)) {
        return m;
      }
    }
    throw NotCompact.INSTANCE; // the general parser refuses it, saying so
  }

  private ManifestEntry.Type type() throws NotCompact {
    String name = text();
    if (name == null) {
      return null;
    }
    for (ManifestEntry.Type t : TYPES) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw NotCompact.INSTANCE;
  }

  // ------------------------------------------------------------------------------------------------------- lexing

  private void expect(char c) throws NotCompact {
    if (b[i] != c) {
      throw NotCompact.INSTANCE;
    }
    i++;
  }

  /** After an opening bracket: true (and past it) if {@code close} follows at once. */
  private boolean empty(char close) {
    if (b[i] == close) {
      i++;
      return true;
    }
    return false;
  }

  /** After a member: true if a comma follows (another member), false past {@code close}. */
  private boolean next(char close) throws NotCompact {
    byte c = b[i++];
    if (c == ',') {
      return true;
    }
    if (c != close) {
      throw NotCompact.INSTANCE;
    }
    return false;
  }

  /** True (and past it) if {@code k}, a quoted field name and its colon, is at the current position. */
  private boolean key(byte[] k) {
    if (i + k.length > b.length) {
      return false;
    }
    for (int j = 0; j < k.length; j++) {
      if (b[i + j] != k[j]) {
        return false;
      }
    }
    i += k.length;
    return true;
  }

  private boolean isNull() {
    if (b[i] == 'n' && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
      i += 4;
      return true;
    }
    return false;
  }

  /** A field name of a map (volumes, xattrs) and its colon. */
  private String fieldName() throws NotCompact {
    if (b[i] != '"') {
      throw NotCompact.INSTANCE;
    }
    String s = string();
    expect(':');
    return s;
  }

  /** A string or null. */
  private String text() throws NotCompact {
    if (isNull()) {
      return null;
    }
    if (b[i] != '"') {
      throw NotCompact.INSTANCE;
    }
    return string();
  }

  /**
   * Longer strings give up: jackson-core limits a field name to 50 000 characters by default (and a value to 20
   * million); the writer writes names of at most a few thousand bytes (PATH_MAX) and xattr values in base64.
   */
  private static final int MAX_STRING = 50_000;

  /** The string whose opening quote is at the current position. */
  private String string() throws NotCompact {
    int start = ++i;
    for (;;) {
      byte c = b[i];
      if (i - start > MAX_STRING) {
        throw NotCompact.INSTANCE;
      }
      if (c == '"') {
        String s = new String(b, start, i - start, StandardCharsets.ISO_8859_1); // ASCII only: one byte, one char
        i++;
        return s;
      }
      if (c < 0x20 || c == '\\') { // bytes >= 0x80 are negative: UTF-8 beyond ASCII
        i = start;
        return unusualString();
      }
      i++;
    }
  }

  /** A string with escapes or non-ASCII characters, from the current position (past the opening quote). */
  private String unusualString() throws NotCompact {
    StringBuilder out = new StringBuilder();
    int run = i; // start of the pending run of plain bytes (UTF-8, decoded strictly)
    for (;;) {
      byte c = b[i];
      if (i - run + out.length() > MAX_STRING) {
        throw NotCompact.INSTANCE;
      }
      if (c == '"' || c == '\\') {
        out.append(utf8(run, i));
        if (c == '"') {
          i++;
          return out.toString();
        }
        out.append(escape());
        run = i;
      } else if (c >= 0 && c < 0x20) {
        throw NotCompact.INSTANCE; // a raw control character: JSON does not allow it
      } else {
        i++;
      }
    }
  }

  /** The escape sequence at the current position (a backslash), as JSON defines them. */
  private char escape() throws NotCompact {
    byte c = b[i + 1];
    i += 2;
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        int v = 0;
        for (int j = 0; j < 4; j++) {
          int d = Character.digit(b[i + j], 16);
          if (d < 0) {
            throw NotCompact.INSTANCE;
          }
          v = v << 4 | d;
        }
        i += 4;
        return (char) v;
      default:
        throw NotCompact.INSTANCE;
    }
  }

  /** Bytes {@code from}..{@code to} as UTF-8; not UTF-8 (overlong, a surrogate, truncated): give up. */
  private String utf8(int from, int to) throws NotCompact {
    if (from == to) {
      return "";
    }
    try {
      CharBuffer cb = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from));
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw NotCompact.INSTANCE;
    }
  }

  private int intValue() throws NotCompact {
    long v = longValue();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw NotCompact.INSTANCE;
    }
    return (int) v;
  }

  /**
   * A JSON integer in a long: an optional minus, no leading zero; a fraction, an exponent or a value out of the
   * long's range gives up (the general parser refuses those).
   */
  private long longValue() throws NotCompact {
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long v = 0; // accumulated negative: Long.MIN_VALUE has no positive counterpart
    for (;;) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      if (v < (Long.MIN_VALUE + d) / 10) {
        throw NotCompact.INSTANCE;
      }
      v = v * 10 - d;
      i++;
    }
    int digits = i - start;
    if (digits == 0 || (digits > 1 && b[start] == '0')) {
      throw NotCompact.INSTANCE;
    }
    byte c = b[i];
    if (c == '.' || c == 'e' || c == 'E') {
      throw NotCompact.INSTANCE;
    }
    if (negative) {
      return v;
    }
    if (v == Long.MIN_VALUE) {
      throw NotCompact.INSTANCE;
    }
    return -v;
  }
}
