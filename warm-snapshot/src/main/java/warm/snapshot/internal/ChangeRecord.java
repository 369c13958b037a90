package warm.snapshot.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.CRC32C;
import java.util.zip.Inflater;

/**
 * What the kernel said about every entry of an app's volumes at the moment they were known to equal the known-good
 * {@code knownGoodId} (right after a verified restore, or a snapshot): inode, type, size, mtime, ctime and link
 * target. ctime cannot be set from userspace, so an entry whose stat still matches was not touched since (issue 17).
 * Stored as one file with a CRC-32C trailer, written atomically; a record that fails the checksum is never trusted.
 */
public record ChangeRecord(String knownGoodId, Map<String, List<Seen>> volumes) {
  /**
   * Format 2: a CRC-32C trailer instead of format 1's SHA-256, strings in plain UTF-8. A format-1 record is refused
   * (the next restore is full, once).
   */
  private static final byte[] MAGIC = "WARM-CHANGE-RECORD-2\n".getBytes(StandardCharsets.US_ASCII);
  /** Bound on the record's size: past this many entries no record is kept (the next restore is full). */
  public static final int MAX_ENTRIES = 2_000_000;
  /**
   * ctime comes from the kernel's coarse clock (one tick, 1–10 ms): a write in the same tick as the stat that
   * recorded an entry could leave ctime unmoved. Entries whose ctime is this close to the scan are not trusted, and
   * a restore waits this long after its last write before it records.
   */
  public static final Duration CLOCK_MARGIN = Duration.ofMillis(25);

  public ChangeRecord {
    Objects.requireNonNull(knownGoodId, "knownGoodId");
    volumes = Map.copyOf(volumes);
  }

  /**
   * One entry as lstat(2) saw it. {@code typeBits} are the {@code S_IFMT} bits; {@code ctimeNanos} is -1 when the
   * entry is not trusted (always treated as changed).
   */
  public record Seen(String path, int typeBits, long ino, long dev, long size, long mtimeNanos, long ctimeNanos,
      String linkTarget) {
    static Seen of(String rel, Stat st, String link) {
      return new Seen(rel, st.mode() & Stat.S_IFMT, st.ino(), st.dev(), st.size(), st.mtimeNanos(), st.ctimeNanos(),
          link);
    }

    Seen untrusted() {
      return new Seen(path, typeBits, ino, dev, size, mtimeNanos, -1, linkTarget);
    }

    /** Whether the entry seen now is the recorded one, untouched since. */
    boolean unchangedIn(Seen now) {
      return ctimeNanos != -1 && typeBits == now.typeBits && ino == now.ino && dev == now.dev && size == now.size
          && mtimeNanos == now.mtimeNanos && ctimeNanos == now.ctimeNanos
          && Objects.equals(linkTarget, now.linkTarget);
    }
  }

  /** A record read from disk, or why there is none to trust. */
  public record Loaded(ChangeRecord record, String refusal) {}

  /** Reads {@code file}; a missing, torn or foreign file gives a refusal (the restore is then full). */
  public static Loaded load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Loaded(null, "no change record (first restore, or the last one did not finish)");
    } catch (IOException e) {
      return new Loaded(null, "change record unreadable: " + e.getMessage());
    }
    try {
      return new Loaded(decode(inflate(bytes)), null);
    } catch (IOException | RuntimeException e) {
      return new Loaded(null, "change record not trusted: " + e.getMessage());
    }
  }

  /** Removes the record durably: done before a restore touches a volume, so a killed restore leaves none. */
  public static void invalidate(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      Durable.fsyncDir(file.getParent());
    }
  }

  /** Writes the record atomically (temp + fsync + rename); past {@link #MAX_ENTRIES} it removes it instead. */
  public void write(Path file) throws IOException {
    write(file, stored());
  }

  /** {@link #write} of a record's {@link #stored} bytes; null removes the record instead. */
  public static void write(Path file, byte[] stored) throws IOException {
    if (stored == null) {
      invalidate(file);
      return;
    }
    Durable.write(file, stored);
  }

  /**
   * The file's bytes (compressed, with the CRC-32C trailer), or null past {@link #MAX_ENTRIES} (no record is kept):
   * what {@link #replace} writes. Apart from it so that a snapshot can encode the record while it does other work.
   */
  public byte[] stored() throws IOException {
    long n = volumes.values().stream().mapToLong(List::size).sum();
    return n > MAX_ENTRIES ? null : deflate(encode());
  }

  /**
   * {@link #write} of a record's {@link #stored} bytes (null removes the record instead) leaving the directory's
   * fsync to the caller (a snapshot does it with the known-good swap's, in the same directory). Losing the rename in
   * a crash before that fsync is harmless: the record left in place names another known-good (or is absent), so the
   * next restore is full, never a wrong delta.
   */
  public static void replace(Path file, byte[] stored) throws IOException {
    if (stored == null) {
      invalidate(file);
      return;
    }
    Durable.replace(file, stored);
  }

  /**
   * {@link #replace} in two steps: the temp file written and fsynced now ({@link Durable#stage}), the rename (or,
   * when {@code stored} is null, the record's removal) by {@link Staged#publish}. A snapshot stages its record beside
   * its own durable steps and publishes it once the snapshot is published.
   */
  public static Staged stage(Path file, byte[] stored) throws IOException {
    return new Staged(file, stored == null ? null : Durable.stage(file, stored));
  }

  /** A record staged by {@link #stage}: a durable temp file, or none when no record is kept. */
  public record Staged(Path file, Durable.Staged temp) {
    /** Renames the temp file over the record (none staged: removes the record); the directory's fsync is the caller's. */
    public void publish() throws IOException {
      if (temp == null) {
        invalidate(file);
      } else {
        temp.publish();
      }
    }

    /** Removes the temp file, leaving the record as it was (the snapshot failed). */
    public void discard() throws IOException {
      if (temp != null) {
        temp.discard();
      }
    }
  }

  /**
   * zlib-compressed on disk: the record is stat fields of every entry (~55 bytes each), mostly alike, so it shrinks
   * several-fold — it sits in the store next to the known-good, whose extra disk issue 15 bounds (row 6). A torn or
   * edited file fails the zlib checks or the CRC-32C inside: refused either way.
   */
  static byte[] deflate(byte[] raw) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(raw.length / 4 + 64);
    try (DeflaterOutputStream out = new DeflaterOutputStream(buf, new Deflater(Deflater.BEST_SPEED))) {
      out.write(raw);
    }
    return buf.toByteArray();
  }

  /** Far above what {@link #MAX_ENTRIES} entries encode to: a crafted file cannot make a restore eat the heap. */
  private static final int MAX_INFLATED = 1 << 30;

  static byte[] inflate(byte[] stored) throws IOException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stored);
      ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 4);
      byte[] chunk = new byte[64 << 10];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IOException("compressed record ends early");
        }
        out.write(chunk, 0, n);
        if (out.size() > MAX_INFLATED) {
          throw new IOException("compressed record expands past " + (MAX_INFLATED >> 20) + " MiB");
        }
      }
      if (inflater.getRemaining() != 0) {
        throw new IOException("trailing bytes after the compressed record");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IOException("compressed record damaged: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /**
   * The record's bytes: the magic, the id, per volume its name and entries (a string is a 2-byte length and its UTF-8
   * bytes, numbers big-endian), then a CRC-32C of all of it. Written into one growing buffer, not through a
   * DataOutputStream, whose synchronized stream took a dozen calls per entry.
   */
  byte[] encode() throws IOException {
    Encoder out = new Encoder(volumes.values().stream().mapToInt(List::size).sum() * 56 + 256);
    out.bytes(MAGIC);
    out.string(knownGoodId);
    Map<String, List<Seen>> sorted = new TreeMap<>(volumes);
    out.buf.putInt(sorted.size());
    for (Map.Entry<String, List<Seen>> v : sorted.entrySet()) {
      out.string(v.getKey());
      out.room(4);
      out.buf.putInt(v.getValue().size());
      for (Seen s : v.getValue()) {
        out.entry(s);
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(out.buf.array(), 0, out.buf.position());
    out.room(4);
    out.buf.putInt((int) crc.getValue());
    return Arrays.copyOf(out.buf.array(), out.buf.position());
  }

  /** A big-endian buffer that grows as {@link #encode} fills it. */
  private static final class Encoder {
    ByteBuffer buf;

    Encoder(int capacity) {
      buf = ByteBuffer.allocate(capacity);
    }

    void room(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
        buf.flip();
        buf = bigger.put(buf);
      }
    }

    /*
     * A method per entry, not the loop's body: the loop runs once per record, and C1 compiles a loop only after
     * 60 000 back edges, so a 20k-entry record was encoded interpreted (over half of a snapshot's warm-record thread).
     */
    void entry(Seen s) throws IOException {
      string(s.path());
      room(46);
      buf.putInt(s.typeBits()).putLong(s.ino()).putLong(s.dev()).putLong(s.size()).putLong(s.mtimeNanos())
          .putLong(s.ctimeNanos()).put((byte) (s.linkTarget() != null ? 1 : 0));
      if (s.linkTarget() != null) {
        string(s.linkTarget());
      }
    }

    void bytes(byte[] b) {
      room(b.length);
      buf.put(b);
    }

    void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > 0xFFFF) {
        throw new IOException("name too long for the change record (" + b.length + " bytes)");
      }
      room(2 + b.length);
      buf.putShort((short) b.length).put(b);
    }
  }

  static ChangeRecord decode(byte[] all) throws IOException {
    if (all.length < MAGIC.length + 4) {
      throw new IOException("too short (" + all.length + " bytes)");
    }
    if (!Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("not a change record of this format");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 4);
    ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(all, all.length - 4, 4).getInt()) {
      throw new IOException("checksum mismatch (torn or edited)");
    }
    in.position(MAGIC.length);
    String id = string(in);
    int vols = in.getInt();
    Map<String, List<Seen>> out = new TreeMap<>();
    for (int v = 0; v < vols; v++) {
      String name = string(in);
      int n = in.getInt();
      if (n < 0 || n > MAX_ENTRIES) {
        throw new IOException("bad entry count " + n);
      }
      List<Seen> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String path = string(in);
        int type = in.getInt();
        long ino = in.getLong();
        long dev = in.getLong();
        long size = in.getLong();
        long mtime = in.getLong();
        long ctime = in.getLong();
        String link = in.get() != 0 ? string(in) : null;
        list.add(new Seen(path, type, ino, dev, size, mtime, ctime, link));
      }
      out.put(name, List.copyOf(list));
    }
    if (in.hasRemaining()) {
      throw new IOException("trailing bytes");
    }
    return new ChangeRecord(id, out);
  }

  /** A string {@link Encoder#string} wrote; a length past the end throws (the caller refuses the record). */
  private static String string(ByteBuffer in) {
    int len = Short.toUnsignedInt(in.getShort());
    String s = new String(in.array(), in.arrayOffset() + in.position(), Math.min(len, in.remaining()),
        StandardCharsets.UTF_8);
    in.position(in.position() + len);
    return s;
  }

  /**
   * Collects the entries one walk of the volumes sees. Entries whose ctime lies within {@link #CLOCK_MARGIN} of the
   * walk's start (or after it) are recorded untrusted: they may have been written in the tick the stat saw.
   */
  public static final class Collector {
    private final long startNanos = nowNanos();
    private final Map<String, List<Seen>> volumes = new TreeMap<>();

    /** The observer for volume {@code name}, for {@link ManifestScanner#scan(Path, boolean, ManifestScanner.Observer)}. */
    public ManifestScanner.Observer volume(String name) {
      List<Seen> list = volumes.computeIfAbsent(name, k -> new ArrayList<>());
      return (rel, st, link) -> {
        Seen s = Seen.of(rel, st, link);
        list.add(st.ctimeNanos() > startNanos - CLOCK_MARGIN.toNanos() ? s.untrusted() : s);
      };
    }

    /**
     * The entries a restore's copy described for volume {@code name} (each stat taken after the copy's last change
     * to the object, in a quiet volume), under the same rule as a walk's.
     */
    public void described(String name, List<Seen> entries) {
      List<Seen> list = volumes.computeIfAbsent(name, k -> new ArrayList<>());
      for (Seen s : entries) {
        list.add(s.ctimeNanos() > startNanos - CLOCK_MARGIN.toNanos() ? s.untrusted() : s);
      }
    }

    public ChangeRecord record(String knownGoodId) {
      Map<String, List<Seen>> out = new TreeMap<>();
      volumes.forEach((k, v) -> out.put(k, List.copyOf(v)));
      return new ChangeRecord(knownGoodId, out);
    }
  }

  /**
   * Waits out the clock margin after a restore's last write, made at {@code lastWrite} ({@link System#nanoTime}), so
   * that any later write moves ctime past what the record holds. Only what is left of the margin is waited: the
   * flush that follows the writes (a {@code syncfs}) often takes longer by itself.
   */
  public static void settle(long lastWrite) {
    long left = CLOCK_MARGIN.toNanos() - (System.nanoTime() - lastWrite);
    if (left <= 0) {
      return;
    }
    try {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Wall-clock time as the kernel stamps ctime: nanoseconds since the epoch. */
  public static long nowNanos() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** lstat of every entry of the volume at {@code dir}, sorted by path. */
  public static List<Seen> walk(NativeFs fs, Path dir) throws IOException {
    return new VolumeWalker(fs).walk(dir);
  }

  /**
   * The record after a snapshot: each volume's objects as {@code seen} after the copy, trusting an entry only when
   * it was seen the same before its copy (the snapshot began at {@code preStartNanos}) and its ctime lies before that
   * start by the clock margin: then nothing touched it from before the copy until after it.
   */
  public static ChangeRecord ofSnapshot(String id, long preStartNanos, Map<String, SnapshotSeen> seen) {
    Map<String, List<Seen>> out = new TreeMap<>();
    // Not List.copyOf: its null check is a loop that runs once per call, interpreted over every entry.
    seen.forEach((name, s) -> out.put(name, Collections.unmodifiableList(s.recorded(preStartNanos))));
    return new ChangeRecord(id, out);
  }

  /** One entry of {@link #ofSnapshot}: {@code after} as it is, or untrusted unless it is {@code before} untouched. */
  static Seen afterCopy(Seen before, Seen after, long preStartNanos) {
    boolean trusted = before.unchangedIn(after) && after.ctimeNanos() <= preStartNanos - CLOCK_MARGIN.toNanos();
    return trusted ? after : after.untrusted();
  }

}
