package warm.snapshot.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * The tar path's archive writer: the bytes commons-compress's {@link TarArchiveOutputStream} writes with the tar
 * path's settings (UTF-8 names, {@code LONGFILE_POSIX}, {@code BIGNUMBER_POSIX}, PAX headers for non-ASCII names,
 * one-record blocks), written straight to a buffered stream. The library passes every 512-byte record of a member's
 * data through a block stream, a channel adapter and a counting proxy (a JFR/perf profile of a 20k-file snapshot: 6 %
 * of all samples, on the writing thread) and builds a {@code CharsetEncoder} for each name it encodes; here the
 * data goes to the buffer in one copy and an ASCII name is encoded without one. Each header record is still the
 * library's own ({@link TarArchiveEntry#writeEntryHeader}); which PAX records a member gets follows the library's
 * {@code putArchiveEntry} step by step, so the archive is byte-identical ({@code TarWriterTest}). A member can also
 * come whole, its records formatted elsewhere ({@link #records}, on the tar path's read-ahead threads) and its data
 * read behind them ({@link #writeMember}): consecutive such members in one buffer reach the channel as one write,
 * without passing through the stream's buffer.
 */
final class TarWriter {
  private static final int RECORD = TarConstants.DEFAULT_RCDSIZE;
  /** The library's encoding for UTF-8, used for any name that is not plain ASCII. */
  private static final ZipEncoding LIBRARY_UTF8 = ZipEncodingHelper.getZipEncoding("UTF-8");
  /** UTF-8 as the library encodes it; an ASCII string (nearly every name) without a CharsetEncoder per call. */
  static final ZipEncoding UTF8 = new ZipEncoding() {
    @Override
    public boolean canEncode(String name) {
      return LIBRARY_UTF8.canEncode(name);
    }

    @Override
    public ByteBuffer encode(String name) throws IOException {
      int n = name.length();
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        char c = name.charAt(i);
        if (c >= 0x80) {
          return LIBRARY_UTF8.encode(name);
        }
        b[i] = (byte) c;
      }
      return ByteBuffer.wrap(b);
    }

    @Override
    public String decode(byte[] data) throws IOException {
      return LIBRARY_UTF8.decode(data);
    }
  };

  private final OutputStream out;
  /** Where {@code out} writes, for whole members; null: they are copied to {@code out}. */
  private final WritableByteChannel channel;
  private final byte[] record = new byte[RECORD];
  private long written;
  private boolean open;
  private String name;
  private long size;
  private long taken;
  /** Whole members not yet written: {@code runLength} bytes of {@code run} from {@code runStart}. */
  private ByteBuffer run;
  private int runStart;
  private int runLength;

  /** {@code out} should be buffered: headers go to it a record at a time. */
  TarWriter(OutputStream out) {
    this(out, null);
  }

  /**
   * As {@link #TarWriter(OutputStream)} where {@code out} buffers writes to {@code channel}: whole members go to the
   * channel itself once {@code out} is flushed.
   */
  TarWriter(OutputStream out, WritableByteChannel channel) {
    this.out = out;
    this.channel = channel;
  }

  /**
   * The header records of {@code entry} as {@link #putArchiveEntry} writes them: its PAX extended header member (if
   * any) and its own header. Any thread; no state.
   */
  static byte[] records(TarArchiveEntry entry) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(RECORD);
    new TarWriter(b).putArchiveEntry(entry);
    return b.toByteArray();
  }

  /**
   * The header record of a regular file member that needs no PAX record, formatted without a
   * {@link TarArchiveEntry}: the bytes {@link #records} gives for an entry of type {@code '0'} with this name, mode,
   * ids, size and whole-second mtime, empty user and group names. Null when the member needs more than this record
   * (a name of 100 bytes or more or not ASCII; an id, size or time beyond its octal field): then {@link #records}.
   * Most members of a snapshot are such files; building an entry for each and formatting it through the library's
   * encoders was most of the read-ahead threads' Java work.
   */
  static byte[] plainFile(String name, int mode, long uid, long gid, long size, long mtimeSeconds) {
    byte[] h = new byte[RECORD];
    return plain(h, name, TarConstants.LF_NORMAL, mode, uid, gid, size, mtimeSeconds) ? h : null;
  }

  /**
   * As {@link #plainFile(String, int, long, long, long, long)} into {@code h} (a record's length, overwritten whole):
   * the read-ahead formats each header in one array of its batch instead of allocating a record per file (a quarter
   * of what a 20k-file snapshot allocated, i.e. of its young collections). False, {@code h} undefined, when the
   * member needs more than this record.
   */
  static boolean plainFile(byte[] h, String name, int mode, long uid, long gid, long size, long mtimeSeconds) {
    return plain(h, name, TarConstants.LF_NORMAL, mode, uid, gid, size, mtimeSeconds);
  }

  /** Whether {@link #plainFile} formats this member (else it needs a PAX record): without formatting it. */
  static boolean plainFits(String name, int mode, long uid, long gid, long size, long mtimeSeconds) {
    return fits(name, mode, uid, gid, size, mtimeSeconds);
  }

  /**
   * As {@link #plainFile} for a directory member ({@code name} with its trailing {@code /}, type {@code '5'}, size
   * 0): the writer's own members are mostly directories, and the first entry built for one costs the library's class
   * initialisation and its encoders besides.
   */
  static byte[] plainDir(String name, int mode, long uid, long gid, long mtimeSeconds) {
    byte[] h = new byte[RECORD];
    return plain(h, name, TarConstants.LF_DIR, mode, uid, gid, 0, mtimeSeconds) ? h : null;
  }

  /** A short ASCII name and numbers within their octal fields: all one ustar record can say. */
  private static boolean fits(String name, int mode, long uid, long gid, long size, long mtimeSeconds) {
    int n = name.length();
    if (n == 0 || n >= TarConstants.NAMELEN || mode < 0 || mode > 07777 || !octal(uid, TarConstants.UIDLEN)
        || !octal(gid, TarConstants.GIDLEN) || !octal(size, TarConstants.SIZELEN)
        || !octal(mtimeSeconds, TarConstants.MODTIMELEN)) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c == 0 || c >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Where a plain record's fields start: the numbers after the name, the checksum, the type flag, the magic. */
  private static final int MODE_AT = TarConstants.NAMELEN;
  private static final int UID_AT = MODE_AT + TarConstants.MODELEN;
  private static final int GID_AT = UID_AT + TarConstants.UIDLEN;
  private static final int SIZE_AT = GID_AT + TarConstants.GIDLEN;
  private static final int MTIME_AT = SIZE_AT + TarConstants.SIZELEN;
  private static final int CHECKSUM_AT = MTIME_AT + TarConstants.MODTIMELEN;
  private static final int TYPE_AT = CHECKSUM_AT + TarConstants.CHKSUMLEN;
  private static final int MAGIC_AT = TYPE_AT + 1 + TarConstants.NAMELEN; // after the (empty) link name

  /**
   * What every plain record holds whatever its member: zeros, the checksum field as spaces (as the checksum counts
   * it), magic and version, empty user and group names, device numbers 0. A record starts as a copy of it (one
   * arraycopy) and the checksum adds only what the member writes over it: clearing the record and summing its 512
   * bytes, each a loop C1 compiles byte by byte, made this method 7 % of the read-ahead threads' samples (perf, 20k
   * files).
   */
  private static final byte[] TEMPLATE = template();
  private static final long TEMPLATE_SUM = sum(TEMPLATE);

  private static byte[] template() {
    byte[] t = new byte[RECORD];
    Arrays.fill(t, CHECKSUM_AT, CHECKSUM_AT + TarConstants.CHKSUMLEN, (byte) ' ');
    int at = MAGIC_AT;
    for (int i = 0; i < TarConstants.MAGICLEN; i++) {
      t[at++] = (byte) TarConstants.MAGIC_POSIX.charAt(i);
    }
    for (int i = 0; i < TarConstants.VERSIONLEN; i++) {
      t[at++] = (byte) TarConstants.VERSION_POSIX.charAt(i);
    }
    at += TarConstants.UNAMELEN + TarConstants.GNAMELEN; // no user or group name
    octalField(0, t, at, TarConstants.DEVLEN);
    octalField(0, t, at + TarConstants.DEVLEN, TarConstants.DEVLEN); // the rest (prefix, padding) stays zero
    return t;
  }

  private static long sum(byte[] b) {
    long sum = 0;
    for (byte x : b) {
      sum += x & 0xff;
    }
    return sum;
  }

  private static boolean plain(byte[] h, String name, byte type, int mode, long uid, long gid, long size,
      long mtimeSeconds) {
    if (h.length != RECORD) {
      throw new IllegalArgumentException("a header record is " + RECORD + " bytes, not " + h.length);
    }
    if (!fits(name, mode, uid, gid, size, mtimeSeconds)) {
      return false;
    }
    System.arraycopy(TEMPLATE, 0, h, 0, RECORD);
    long sum = TEMPLATE_SUM + type;
    int n = name.length();
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i); // ASCII: fits checked
      h[i] = (byte) c;
      sum += c;
    }
    sum += octalField(mode, h, MODE_AT, TarConstants.MODELEN);
    sum += octalField(uid, h, UID_AT, TarConstants.UIDLEN);
    sum += octalField(gid, h, GID_AT, TarConstants.GIDLEN);
    sum += octalField(size, h, SIZE_AT, TarConstants.SIZELEN);
    sum += octalField(mtimeSeconds, h, MTIME_AT, TarConstants.MODTIMELEN);
    h[TYPE_AT] = type;
    // The library's checksum field: six octal digits, NUL, space.
    for (int i = 5; i >= 0; i--) {
      h[CHECKSUM_AT + i] = (byte) ('0' + (sum & 7));
      sum >>>= 3;
    }
    h[CHECKSUM_AT + 6] = 0;
    h[CHECKSUM_AT + 7] = ' ';
    return true;
  }

  /** Fits the octal digits of a field of {@code length} bytes (all but its trailing space). */
  private static boolean octal(long value, int length) {
    return value >= 0 && value < 1L << 3 * (length - 1);
  }

  /**
   * {@code value} as the library writes a numeric field at {@code at}: zero-padded octal digits, then a space;
   * returns the sum of the bytes written (for the checksum).
   */
  private static long octalField(long value, byte[] h, int at, int length) {
    long v = value;
    long sum = ' ';
    for (int i = at + length - 2; i >= at; i--) {
      byte digit = (byte) ('0' + (v & 7));
      h[i] = digit;
      sum += digit;
      v >>>= 3;
    }
    h[at + length - 1] = ' ';
    return sum;
  }

  /** Bytes of a member's data padded to whole records. */
  static long padded(long size) {
    return (size + RECORD - 1) / RECORD * RECORD;
  }

  /**
   * A whole member: {@code len} bytes of {@code b} from {@code off}, its {@link #records} then its data, padded to a
   * whole record. Held until something else is written or {@link #flushRun()}, so that the next member, if it
   * follows in the same buffer, joins the same write; {@code b} must not change until then.
   */
  void writeMember(ByteBuffer b, int off, int len) throws IOException {
    if (open) {
      throw new IOException("entry " + name + " is not closed");
    }
    if (run != b || runStart + runLength != off) {
      flushRun();
      run = b;
      runStart = off;
    }
    runLength += len;
    written += len;
  }

  /** Passes the members held by {@link #writeMember} to the stream: their buffer can be reused after this. */
  void flushRun() throws IOException {
    if (runLength > 0) {
      ByteBuffer members = run.duplicate().limit(runStart + runLength).position(runStart);
      if (channel != null) {
        out.flush(); // the headers before them
        while (members.hasRemaining()) {
          channel.write(members);
        }
      } else {
        byte[] copy = new byte[runLength];
        members.get(copy);
        out.write(copy);
      }
    }
    run = null;
    runLength = 0;
  }

  /** Bytes written so far: after {@link #putArchiveEntry}, where the member's data starts. */
  long getBytesWritten() {
    return written;
  }

  /** The member's header, preceded by its PAX extended header when ustar cannot say everything. */
  void putArchiveEntry(TarArchiveEntry entry) throws IOException {
    if (open) {
      throw new IOException("entry " + name + " is not closed");
    }
    flushRun();
    Map<String, String> pax = new HashMap<>(); // the library's map: its iteration order is the records' order
    String entryName = entry.getName();
    boolean paxPath = longName(entryName, pax, "path");
    String linkName = entry.getLinkName();
    boolean paxLink = linkName != null && !linkName.isEmpty() && longName(linkName, pax, "linkpath");
    bigNumbers(pax, entry);
    if (!paxPath && !ascii(entryName)) {
      pax.put("path", entryName);
    }
    if (!paxLink && (entry.isLink() || entry.isSymbolicLink()) && !ascii(linkName)) {
      pax.put("linkpath", linkName);
    }
    pax.putAll(entry.getExtraPaxHeaders());
    if (!pax.isEmpty()) {
      writePaxHeaders(entry, entryName, pax);
    }
    header(entry, entry.isDirectory() ? 0 : entry.getSize());
  }

  /** A member without data whose one header record is {@code header} ({@link #plainDir}). */
  void writeEmptyMember(byte[] header) throws IOException {
    if (open) {
      throw new IOException("entry " + name + " is not closed");
    }
    if (header.length != RECORD) {
      throw new IllegalArgumentException("a header record is " + RECORD + " bytes, not " + header.length);
    }
    flushRun();
    out.write(header);
    written += RECORD;
  }

  /** Data of the current member; more than its header's size is refused. */
  void write(byte[] b, int off, int len) throws IOException {
    if (!open) {
      throw new IllegalStateException("No current tar entry");
    }
    if (taken + len > size) {
      throw new IOException("Request to write '" + len + "' bytes exceeds size in header of '" + size
          + "' bytes for entry '" + name + "'");
    }
    out.write(b, off, len);
    taken += len;
    written += len;
  }

  void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  /** Ends the member: its data must be complete; pads it to a whole record. */
  void closeArchiveEntry() throws IOException {
    if (!open) {
      throw new IOException("No current entry to close");
    }
    if (taken < size) {
      throw new IOException("Entry '" + name + "' closed at '" + taken + "' before the '" + size
          + "' bytes specified in the header were written");
    }
    int rest = (int) (size % RECORD);
    if (rest != 0) {
      Arrays.fill(record, (byte) 0);
      out.write(record, 0, RECORD - rest);
      written += RECORD - rest;
    }
    open = false;
  }

  /** The end-of-archive marker (two zero records), flushed. */
  void finish() throws IOException {
    if (open) {
      throw new IOException("This archive contains unclosed entries.");
    }
    flushRun();
    Arrays.fill(record, (byte) 0);
    out.write(record);
    out.write(record);
    written += 2 * RECORD;
    out.flush();
  }

  private void header(TarArchiveEntry entry, long dataSize) throws IOException {
    entry.writeEntryHeader(record, UTF8, false);
    out.write(record);
    written += RECORD;
    open = true;
    name = entry.getName();
    size = dataSize;
    taken = 0;
  }

  private void writePaxHeaders(TarArchiveEntry entry, String entryName, Map<String, String> headers)
      throws IOException {
    String n = "./PaxHeaders.X/" + stripTo7Bits(entryName);
    if (n.length() >= TarConstants.NAMELEN) {
      n = n.substring(0, TarConstants.NAMELEN - 1);
    }
    TarArchiveEntry pex = new TarArchiveEntry(n, TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    transferModTime(entry, pex);
    byte[] data = paxContents(headers);
    pex.setSize(data.length);
    putArchiveEntry(pex);
    write(data);
    closeArchiveEntry();
  }

  private static boolean longName(String n, Map<String, String> pax, String key) throws IOException {
    ByteBuffer b = UTF8.encode(n);
    if (b.limit() - b.position() >= TarConstants.NAMELEN) {
      pax.put(key, n);
      return true;
    }
    return false;
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static void bigNumbers(Map<String, String> pax, TarArchiveEntry entry) {
    bigNumber(pax, "size", entry.getSize(), TarConstants.MAXSIZE);
    bigNumber(pax, "gid", entry.getLongGroupId(), TarConstants.MAXID);
    FileTime mtime = entry.getLastModifiedTime();
    if (mtime != null) {
      Instant t = mtime.toInstant();
      if (t.getNano() == 0) {
        bigNumber(pax, "mtime", t.getEpochSecond(), TarConstants.MAXSIZE);
      } else {
        instant(pax, "mtime", t);
      }
    }
    time(pax, "atime", entry.getLastAccessTime());
    time(pax, "ctime", entry.getStatusChangeTime() != null ? entry.getStatusChangeTime() : entry.getCreationTime());
    bigNumber(pax, "uid", entry.getLongUserId(), TarConstants.MAXID);
    time(pax, "LIBARCHIVE.creationtime", entry.getCreationTime());
    bigNumber(pax, "SCHILY.devmajor", entry.getDevMajor(), TarConstants.MAXID);
    bigNumber(pax, "SCHILY.devminor", entry.getDevMinor(), TarConstants.MAXID);
    if (entry.getMode() < 0 || entry.getMode() > TarConstants.MAXID) {
      throw new IllegalArgumentException("mode '" + entry.getMode() + "' is too big ( > " + TarConstants.MAXID
          + " ).");
    }
  }

  private static void bigNumber(Map<String, String> pax, String key, long value, long max) {
    if (value < 0 || value > max) {
      pax.put(key, String.valueOf(value));
    }
  }

  private static void time(Map<String, String> pax, String key, FileTime value) {
    if (value != null) {
      Instant t = value.toInstant();
      if (t.getNano() == 0) {
        pax.put(key, String.valueOf(t.getEpochSecond()));
      } else {
        instant(pax, key, t);
      }
    }
  }

  private static void instant(Map<String, String> pax, String key, Instant t) {
    BigDecimal seconds = BigDecimal.valueOf(t.getEpochSecond());
    BigDecimal nanos = BigDecimal.valueOf(t.getNano()).movePointLeft(9).setScale(7, RoundingMode.DOWN);
    pax.put(key, seconds.add(nanos).toPlainString());
  }

  /** "len key=value\n" records, len counting its own digits (the library's loop). */
  private static byte[] paxContents(Map<String, String> headers) {
    StringBuilder w = new StringBuilder();
    headers.forEach((k, v) -> {
      int len = k.length() + v.length() + 3 + 2;
      String line = len + " " + k + "=" + v + "\n";
      int actual = line.getBytes(UTF_8).length;
      while (len != actual) {
        len = actual;
        line = len + " " + k + "=" + v + "\n";
        actual = line.getBytes(UTF_8).length;
      }
      w.append(line);
    });
    return w.toString().getBytes(UTF_8);
  }

  private static String stripTo7Bits(String n) {
    StringBuilder out = new StringBuilder(n.length());
    for (int i = 0; i < n.length(); i++) {
      char c = (char) (n.charAt(i) & 0x7F);
      out.append(c == 0 || c == '/' || c == '\\' ? '_' : c);
    }
    return out.toString();
  }

  private static void transferModTime(TarArchiveEntry from, TarArchiveEntry to) {
    FileTime t = from.getLastModifiedTime();
    long seconds = t == null ? 0 : t.to(TimeUnit.SECONDS); // the library's TimeUtils.toUnixTime
    if (seconds < 0 || seconds > TarConstants.MAXSIZE) {
      seconds = 0;
    }
    to.setLastModifiedTime(FileTime.from(seconds, TimeUnit.SECONDS));
  }
}
