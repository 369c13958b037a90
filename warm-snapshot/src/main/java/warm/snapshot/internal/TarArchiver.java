package warm.snapshot.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.snapshot.ManifestEntry;
import warm.snapshot.ManifestEntry.Type;
import warm.snapshot.Progress;

/**
 * The tar path (native-fs.md §2.6): writes a volume as a POSIX (PAX) tar with numeric ids, all 12 mode bits,
 * symlinks, hard links, FIFOs and device nodes, nanosecond mtimes and every readable xattr (base64 in private
 * {@code WARM.*} PAX records, because PAX values are UTF-8 strings); extracts such a tar into an empty directory,
 * rejecting any entry that would land outside it. Sparse files come back dense.
 */
public final class TarArchiver {
  private static final Logger LOG = LoggerFactory.getLogger(TarArchiver.class);
  static final String PAX_MTIME = "WARM.mtime";
  static final String PAX_XATTR = "WARM.xattr.";
  /** A name, link target or hard-link target that is not valid UTF-8, percent-encoded bytes (D6). */
  static final String PAX_RAW_PATH = "WARM.rawpath";
  static final String PAX_RAW_LINK = "WARM.rawlink";
  private static final int BUFFER = 1 << 20;
  /** The header of a whole member that {@link TarWriter#plainFile} formats into the batch's buffer, in its turn. */
  private static final byte[] PLAIN = new byte[TarConstants.DEFAULT_RCDSIZE];
  /** Padding of whole members made ahead. */
  private static final byte[] ZEROS = new byte[TarConstants.DEFAULT_RCDSIZE];
  /**
   * The archive's output buffer: headers of members the writer formats itself collect here; a run of whole members
   * from a read-ahead batch (32 small files: ~340 KiB of 10 KiB files) is bigger and goes to the kernel without
   * being copied into it.
   */
  private static final int OUT_BUFFER = 128 << 10;
  private static final long NANOS = 1_000_000_000L;
  /**
   * Siblings by name: their paths share the parent's, so the strings (cached in the path) compare as the names do,
   * in the order the manifest sorts by. A name that is not UTF-8 decodes lossily: its place is only approximate.
   */
  private static final Comparator<Path> BY_NAME = (a, b) -> a.toString().compareTo(b.toString());

  /** Regular files up to this size are read ahead on the pool; bigger and sparse ones are streamed by the writer. */
  static final int AHEAD_MAX = 256 << 10;
  /** Objects one read-ahead task takes: one hand-off between threads per batch, not per object. */
  private static final int BATCH = 32;
  /** Objects walked but not yet written: bounds what the read-ahead holds (at most 96 × 256 KiB of data). */
  private static final int WINDOW = 3 * BATCH;
  /** Threads reading ahead: the writer is one more. */
  static final int DEFAULT_READERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final NativeFs fs;
  private final Progress progress;
  private final int readers;

  public TarArchiver(NativeFs fs, Progress progress) {
    this(fs, progress, DEFAULT_READERS);
  }

  /** {@code readers} threads read the next objects while one writes the archive; 1: the writer reads too. */
  TarArchiver(NativeFs fs, Progress progress, int readers) {
    this.fs = fs;
    this.progress = progress;
    this.readers = readers;
  }

  /**
   * What was read of one object ahead of its turn: xattrs and symlink target; for a small regular file that is its
   * inode's only name, the whole member: {@code length} bytes of {@code member} from {@code offset}, its header
   * records ({@code header} bytes) then its data, already checked against the walk's stat, and padding; {@code rel}
   * its name and {@code after} the file once read, which the writer tells the manifest and the change record, in
   * archive order (null: the writer formats the member and reads its data).
   */
  private record Ahead(Map<String, byte[]> xattrs, String link, ByteBuffer member, int offset, String rel,
      int header, int length, Stat after) {
    boolean whole() {
      return member != null;
    }
  }

  /** One walked object, in archive order, and where its read-ahead is (null: none, the writer reads). */
  private record Walked(Path path, Stat st, Batch batch, int index) {}

  /**
   * The tree being archived and its manifest (null: none; the archive then carries sub-second mtimes itself), which
   * the writer tells of each object.
   */
  private record Sinks(Path root, ManifestBuilder manifest) {}

  /**
   * Consecutive walked objects read ahead by one task of the pool. Its small files become whole members (header
   * records, data, padding) in one direct buffer, taken from {@code spare} and given back by the writer once it
   * wrote the batch's last object: the data is read into it and written from it with no copy in between, and is not
   * garbage (a {@code byte[]} per file was 200 MB per 20k-file snapshot, copied by the collector while it waited in
   * the window). The writing thread only passes the members on.
   */
  private final class Batch {
    final List<Path> paths = new ArrayList<>(BATCH);
    final List<Stat> stats = new ArrayList<>(BATCH);
    final boolean[] whole = new boolean[BATCH];
    Future<Ahead[]> read;
    ByteBuffer buffer;
    /** Where a plain header is formatted before it goes to the buffer (one record per batch, not per file). */
    private final byte[] record = new byte[TarConstants.DEFAULT_RCDSIZE];

    boolean full() {
      return paths.size() == BATCH;
    }

    int add(Path p, Stat st, boolean whole) {
      this.whole[paths.size()] = whole;
      paths.add(p);
      stats.add(st);
      return paths.size() - 1;
    }

    void submit(ExecutorService pool, Queue<ByteBuffer> spare, Sinks sinks) {
      if (read == null) {
        read = pool.submit(() -> read(spare, sinks));
      }
    }

    /*
     * One method call per object, not one loop body for the batch: C1 compiles a method after a few hundred calls,
     * while a batch's own loop (640 calls of 32 iterations per 20k objects) ran interpreted for a quarter to a third
     * of the archive.
     */
    private Ahead[] read(Queue<ByteBuffer> spare, Sinks sinks) throws IOException {
      int n = paths.size();
      List<Map<String, byte[]>> xattrs = new ArrayList<>(n);
      String[] rels = new String[n];
      byte[][] headers = new byte[n][];
      NativeFs.OpenFile[] open = new NativeFs.OpenFile[n];
      try {
        long need = 0;
        for (int i = 0; i < n; i++) {
          need += describe(i, sinks, xattrs, rels, headers, open);
        }
        ByteBuffer b = spare.poll();
        if (b == null || b.capacity() < need) {
          b = ByteBuffer.allocateDirect((int) Math.max(need, 64 << 10)); // at most BATCH * (AHEAD_MAX + headers)
        }
        b.clear();
        buffer = b;
        Ahead[] out = new Ahead[n];
        for (int i = 0; i < n; i++) {
          out[i] = take(i, b, sinks, xattrs.get(i), rels[i], headers[i], open);
        }
        return out;
      } finally {
        for (NativeFs.OpenFile f : open) {
          if (f != null) {
            f.close(); // after a failure: the files not read yet
          }
        }
      }
    }

    /**
     * Reads object {@code i}'s xattrs; for a whole member also its name and header, its file opened (the xattrs read
     * from that descriptor, its data later): returns the bytes the member takes.
     */
    private long describe(int i, Sinks sinks, List<Map<String, byte[]>> xattrs, String[] rels, byte[][] headers,
        NativeFs.OpenFile[] open) throws IOException {
      Path p = paths.get(i);
      if (!whole[i]) {
        xattrs.add(fs.readXattrs(p));
        return 0;
      }
      open[i] = fs.openFile(p);
      xattrs.add(open[i].xattrs());
      Stat st = stats.get(i);
      rels[i] = relative(sinks.root(), p);
      headers[i] = fileRecords(sinks, p, rels[i], st, xattrs.get(i));
      return headers[i].length + TarWriter.padded(st.size());
    }

    /**
     * Object {@code i} read ahead: a whole member laid out at {@code b}'s position (header, data checked against the
     * walk's stat, padding), or else its link target.
     */
    private Ahead take(int i, ByteBuffer b, Sinks sinks, Map<String, byte[]> xattrs, String rel, byte[] header,
        NativeFs.OpenFile[] open) throws IOException {
      Path p = paths.get(i);
      Stat st = stats.get(i);
      if (!whole[i]) {
        String link = st.type() == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        return new Ahead(xattrs, link, null, 0, null, 0, 0, null);
      }
      int offset = b.position();
      int h = header.length;
      int length = h + (int) TarWriter.padded(st.size());
      if (header == PLAIN) {
        long seconds = Math.floorDiv(st.mtimeNanos(), NANOS);
        if (!TarWriter.plainFile(record, rel, st.perms(), st.uid(), st.gid(), st.size(), seconds)) {
          throw new IllegalStateException("no plain header for " + rel); // describe said it fits
        }
        b.put(record);
      } else {
        b.put(header);
      }
      NativeFs.Head read;
      try (NativeFs.OpenFile f = open[i]) {
        open[i] = null;
        read = f.read(b.limit(offset + h + (int) st.size()));
      }
      ChangedDuringCopyException.check(p, st, read.after(), read.length()); // the bytes the walk described
      b.limit(b.capacity());
      b.put(ZEROS, 0, offset + length - b.position()); // the buffer held another batch before
      return new Ahead(xattrs, null, b, offset, rel, h, length, read.after());
    }

    boolean last(int index) {
      return index == paths.size() - 1;
    }

    /** The writer is done with every object of the batch: the buffer can take another batch. */
    void giveBack(Queue<ByteBuffer> spare) {
      if (buffer != null) {
        spare.offer(buffer);
        buffer = null;
      }
    }
  }

  /** Reads {@code p}'s xattrs and link target: the writer's own read-ahead, without a pool. */
  private Ahead readAhead(Path p, Stat st) throws IOException {
    Map<String, byte[]> xattrs = fs.readXattrs(p);
    String link = st.type() == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
    return new Ahead(xattrs, link, null, 0, null, 0, 0, null);
  }

  /**
   * The header records of a regular file with its data, the only name of its inode, not sparse: without a PAX record
   * ({@link #describe} adds one for xattrs, a name that is not UTF-8, or sub-second mtimes in an archive without a
   * manifest) and with a short ASCII name, {@link #PLAIN} (formatted directly, in the batch's buffer); else through
   * the library's entry.
   */
  private static byte[] fileRecords(Sinks sinks, Path p, String rel, Stat st, Map<String, byte[]> xattrs)
      throws IOException {
    long seconds = Math.floorDiv(st.mtimeNanos(), NANOS);
    if (xattrs.isEmpty() && (sinks.manifest() != null || st.mtimeNanos() == seconds * NANOS)
        && TarWriter.plainFits(rel, st.perms(), st.uid(), st.gid(), st.size(), seconds)) {
      return PLAIN; // formatted in the batch's buffer when its data is read
    }
    return TarWriter.records(fileEntry(sinks, p, rel, st, xattrs));
  }

  /**
   * The header record of directory member {@code name} when it needs no PAX record (it has no xattrs and a UTF-8
   * name: the caller's to check; whole seconds, or the nanoseconds in the manifest), else null.
   */
  private static byte[] plainDir(String name, Stat st, boolean withManifest) {
    long seconds = Math.floorDiv(st.mtimeNanos(), NANOS);
    if (!withManifest && st.mtimeNanos() != seconds * NANOS) {
      return null;
    }
    return TarWriter.plainDir(name, st.perms(), st.uid(), st.gid(), seconds);
  }

  /** The member of a regular file with its data, the only name of its inode, not sparse. */
  private static TarArchiveEntry fileEntry(Sinks sinks, Path p, String rel, Stat st, Map<String, byte[]> xattrs) {
    TarArchiveEntry e = new TarArchiveEntry(rel, TarConstants.LF_NORMAL);
    e.setSize(st.size());
    describe(e, st, rawName(sinks.root(), p, rel), null, xattrs, sinks.manifest() != null);
    return e;
  }

  /** The raw bytes of {@code p}'s name below root, percent-encoded, when {@code rel} (its string) lost some. */
  private static String rawName(Path root, Path p, String rel) {
    return RawNames.lossy(rel) ? RawNames.encode(RawNames.bytes(root.relativize(p))) : null;
  }

  /**
   * What every member says of its object besides its name, type and size: raw names, mode, numeric ids, the whole
   * seconds of its mtime and its xattrs.
   */
  private static void describe(TarArchiveEntry e, Stat st, String rawRel, String rawLink, Map<String, byte[]> xattrs,
      boolean withManifest) {
    if (rawRel != null) {
      e.addPaxHeader(PAX_RAW_PATH, rawRel);
    }
    if (rawLink != null) {
      e.addPaxHeader(PAX_RAW_LINK, rawLink);
    }
    e.setMode(st.perms());
    e.setUserId((long) st.uid());
    e.setGroupId((long) st.gid());
    e.setUserName("");
    e.setGroupName("");
    // Whole seconds in the ustar field: a sub-second time would make commons-compress add a PAX "mtime"
    // record, i.e. an extended header (two more records and a header build) for nearly every member. The
    // nanoseconds are in the manifest the snapshot keeps next to the archive; only an archive without one,
    // or a member whose manifest path is lossy (a name that is not UTF-8), carries them itself.
    long seconds = Math.floorDiv(st.mtimeNanos(), NANOS);
    e.setModTime(FileTime.from(seconds, TimeUnit.SECONDS));
    if ((!withManifest || rawRel != null) && st.mtimeNanos() != seconds * NANOS) {
      e.addPaxHeader(PAX_MTIME, Long.toString(st.mtimeNanos()));
    }
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      e.addPaxHeader(PAX_XATTR + x.getKey(), Base64.getEncoder().encodeToString(x.getValue()));
    }
  }

  /**
   * {@code p}'s path below {@code root} with '/' separators ({@link ManifestScanner#relative}): for a path the walk
   * made from root, the string after root's, without the cost of {@link Path#relativize}; a name that is not UTF-8
   * takes the general way (its decoded string is then only a label, see {@link RawNames}).
   */
  static String relative(Path root, Path p) {
    String r = root.toString();
    String s = p.toString();
    if (s.length() > r.length() + 1 && s.startsWith(r) && s.charAt(r.length()) == '/' && !r.endsWith("/")
        && s.indexOf('\uFFFD') < 0) {
      return s.substring(r.length() + 1);
    }
    return ManifestScanner.relative(root, p);
  }

  /**
   * Small, not sparse, and its inode's only name: a whole member made ahead. A hard-linked file is written by the
   * writer, which alone knows, in archive order, whether an earlier name carried its data.
   */
  private static boolean wholeAhead(Stat st) {
    return st.type() == Type.FILE && st.size() <= AHEAD_MAX && !(st.blocks() >= 0 && st.blocks() * 512 < st.size())
        && st.nlink() <= 1;
  }

  private static Ahead[] await(Future<Ahead[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while archiving");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
  }

  /**
   * Writes {@code root}'s tree to {@code tar} (created, must not exist) and fsyncs it, then its member index
   * ({@link TarIndex}, for a delta restore); returns the archive's size.
   */
  public long write(Path root, Path tar) throws IOException {
    return write(root, tar, null);
  }

  /** As {@link #write(Path, Path)}, describing every object to {@code manifest} if non-null. */
  public long write(Path root, Path tar, ManifestBuilder manifest) throws IOException {
    return write(root, tar, manifest, null);
  }

  /**
   * As {@link #write(Path, Path, ManifestBuilder)}, telling {@code seen} (if non-null) each object's stat before its
   * copy (the walk's) and after it (a snapshot's change record, instead of a walk before and one after): a file's
   * after is the one its data was checked with (the fstat of the descriptor read, or an lstat once streamed), a
   * directory's is an lstat once the whole tree is written (an entry that came or went since its listing moved its
   * times), any other object's an lstat once its member is written.
   */
  public long write(Path root, Path tar, ManifestBuilder manifest, SnapshotSeen seen) throws IOException {
    Syncing s = writeSyncing(root, tar, manifest, seen);
    s.await();
    return s.archiveBytes();
  }

  /**
   * An archive whose bytes are all written: its fsync, then its member index (encoded meanwhile on another thread,
   * then written durably next to it), run on threads of their own, so that a snapshot describes itself meanwhile
   * ({@link #writeSyncing}).
   */
  public static final class Syncing {
    private final Background<Void> sync;
    private final long archiveBytes;
    private final Background<byte[]> index;

    private Syncing(Background<Void> sync, long archiveBytes, Background<byte[]> index) {
      this.sync = sync;
      this.archiveBytes = archiveBytes;
      this.index = index;
    }

    public long archiveBytes() {
      return archiveBytes;
    }

    /** What the archive and its index take in the store (once the index is encoded). */
    public long bytes() throws IOException {
      return archiveBytes + index.join().length;
    }

    /** Returns once the archive and its index are durable (the index's name too); throws what failed. */
    public void await() throws IOException {
      sync.join();
    }
  }

  /**
   * As {@link #write(Path, Path, ManifestBuilder, SnapshotSeen)}, returning as soon as the archive's last bytes are
   * with the kernel: its fsync (0.1 s for 200 MB on this disk, which the caller would otherwise wait out) and the
   * index's durable write go on meanwhile. The caller must {@link Syncing#await} before it publishes the archive or
   * removes its directory.
   */
  public Syncing writeSyncing(Path root, Path tar, ManifestBuilder manifest, SnapshotSeen seen) throws IOException {
    FileChannel ch = FileChannel.open(tar, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    boolean syncing = false;
    try {
      OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), OUT_BUFFER);
      // What TarArchiveOutputStream (UTF-8, POSIX long names and numbers) writes; whole members straight to ch.
      TarWriter out = new TarWriter(raw, ch);
      TarIndex.Builder index = new TarIndex.Builder();
      Map<String, String> firstLink = new HashMap<>();
      Map<String, String> firstRaw = new HashMap<>();
      long[] counters = {0, 0};
      byte[] buf = new byte[BUFFER];
      ExecutorService pool = readers <= 1 ? null : Executors.newFixedThreadPool(readers, r -> {
        Thread t = new Thread(r, "tar-read");
        t.setDaemon(true);
        return t;
      });
      Deque<Walked> pending = new ArrayDeque<>();
      Queue<ByteBuffer> spare = new ConcurrentLinkedQueue<>();
      List<Walked> dirs = seen == null ? null : new ArrayList<>();
      Sinks sinks = new Sinks(root, manifest);
      // Own pre-order walk instead of Files.walkFileTree, whose visitor lstat-s every object a second time. The walk
      // runs up to WINDOW objects ahead of the writer; the pool reads them meanwhile; the writer takes them in order.
      var emitter = new Object() {
        /*
         * A directory's children in name order (GNU tar's --sort=name), not the directory's hash order: the manifest
         * and the change record are told each object in archive order, so their sorts by path after the copy (20k
         * entries each, on the snapshot's serial way) find them nearly in order already.
         */
        void tree(Path dir, Stat dirSt) throws IOException {
          walked(dir, dirSt);
          List<Path> children = new ArrayList<>();
          try (DirectoryStream<Path> listed = Files.newDirectoryStream(dir)) {
            for (Path c : listed) {
              children.add(c);
            }
          }
          children.sort(BY_NAME);
          for (Path c : children) {
            child(c);
          }
        }

        /** A method per object: compiled after a few hundred calls, where {@link #tree}'s loop stays interpreted. */
        private void child(Path c) throws IOException {
          Stat st = fs.stat(c);
          if (st.type() == Type.DIR) {
            tree(c, st);
          } else {
            walked(c, st);
          }
        }

        Batch batch;

        void walked(Path p, Stat st) throws IOException {
          if (pool == null || st.type() == null) {
            pending.add(new Walked(p, st, null, 0));
          } else {
            if (batch == null) {
              batch = new Batch();
            }
            pending.add(new Walked(p, st, batch, batch.add(p, st, wholeAhead(st))));
            if (batch.full()) {
              batch.submit(pool, spare, sinks);
              batch = null;
            }
          }
          if (pending.size() > WINDOW) {
            emit(pending.poll());
          }
        }

        void drain() throws IOException {
          while (!pending.isEmpty()) {
            emit(pending.poll());
          }
        }

        /** Copies up to {@code length} bytes of {@code p} from {@code offset} into the entry; returns how many. */
        private long copyRange(Path p, long offset, long length) throws IOException {
          long left = length;
          try (FileChannel in = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long pos = offset;
            while (left > 0) {
              bb.clear().limit((int) Math.min(buf.length, left));
              int n = in.read(bb, pos);
              if (n <= 0) {
                break;
              }
              out.write(buf, 0, n);
              left -= n;
              pos += n;
            }
          }
          return length - left;
        }

        private void counted(Stat st) {
          counters[0]++;
          counters[1] += st.size();
          if ((counters[0] & 255) == 0) {
            progress.update("tar", counters[0], counters[1]);
          }
        }

        /** After a batch's last object: its buffer goes back once the members held in it are written out. */
        private void done(Walked w) throws IOException {
          if (w.batch() != null && w.batch().last(w.index())) {
            out.flushRun();
            w.batch().giveBack(spare);
          }
        }

        private void emit(Walked w) throws IOException {
          Path p = w.path();
          Stat st = w.st();
          Type type = st.type();
          if (type == null) {
            LOG.warn("skipping socket {}", p);
            return;
          }
          Ahead ahead;
          if (w.batch() == null) {
            ahead = readAhead(p, st);
          } else {
            w.batch().submit(pool, spare, sinks); // the last, partial batch: at the end of the walk
            ahead = await(w.batch().read)[w.index()];
          }
          if (ahead.whole()) { // formatted, read and checked by the pool
            long at = out.getBytesWritten();
            out.writeMember(ahead.member(), ahead.offset(), ahead.length());
            index.file(ahead.rel(), at + ahead.header(), st.size());
            if (manifest != null) {
              manifest.add(ahead.rel(), p, st, ahead.xattrs(), null, null);
            }
            if (seen != null) {
              seen.add(ahead.rel(), st, null, ahead.after(), null);
            }
            counted(st);
            done(w);
            return;
          }
          String rel = relative(root, p);
          Map<String, byte[]> xattrs = ahead.xattrs();
          String link = ahead.link();
          if (manifest != null) {
            manifest.add(rel, p, st, xattrs, link, null);
          }
          String name = rel.equals(".") ? "./" : type == Type.DIR ? rel + "/" : rel;
          String rawRel = rawName(root, p, rel);
          String rawLink = link != null && RawNames.lossy(link)
              ? RawNames.encode(RawNames.bytes(Files.readSymbolicLink(p))) : null;
          if (type == Type.DIR && xattrs.isEmpty() && rawRel == null) { // nearly every directory: one plain record
            byte[] plain = plainDir(name, st, manifest != null);
            if (plain != null) {
              out.writeEmptyMember(plain);
              done(w);
              if (seen != null) {
                dirs.add(w); // looked at again once every object is written
              }
              return;
            }
          }
          TarArchiveEntry e;
          boolean data = false;
          SparseMap sparse = null;
          Stat after = null; // the file once its data was taken
          switch (type) {
            case DIR -> e = new TarArchiveEntry(name, TarConstants.LF_DIR);
            case SYMLINK -> {
              e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
              e.setLinkName(link);
            }
            case FIFO -> e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
            case CHAR, BLOCK -> {
              e = new TarArchiveEntry(name, type == Type.CHAR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
              e.setDevMajor(major(st.rdev()));
              e.setDevMinor(minor(st.rdev()));
            }
            case FILE -> {
              String key = st.dev() + ":" + st.ino();
              String first = st.nlink() > 1 ? firstLink.putIfAbsent(key, rel) : null;
              if (st.nlink() > 1 && first == null && rawRel != null) {
                firstRaw.put(key, rawRel);
              }
              if (first != null) {
                e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                e.setLinkName(first);
                rawLink = firstRaw.get(key);
              } else {
                e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                // Fewer blocks than the size says: maybe holes. Ask; store only the data regions (D5).
                sparse = st.blocks() >= 0 && st.blocks() * 512 < st.size() ? fs.dataRegions(p, st.size()) : null;
                if (sparse != null && sparse.hasHoles()) {
                  e.setSize(sparse.dataBytes());
                  e.addPaxHeader(SparseMap.PAX_REAL_SIZE, Long.toString(st.size()));
                  e.addPaxHeader(SparseMap.PAX_MAP, sparse.encode());
                } else {
                  sparse = null;
                  e.setSize(st.size());
                }
                data = true;
              }
            }
            default -> throw new IOException("unexpected type " + type);
          }
          describe(e, st, rawRel, rawLink, xattrs, manifest != null);
          out.putArchiveEntry(e);
          // Every header record has reached the counter: what it counts is where this member's data starts. Same
          // members as a read-back.
          if (e.isLink()) {
            index.link(e.getName(), e.getLinkName());
          } else if (e.isFile()) {
            index.file(e.getName(), out.getBytesWritten(), e.getSize(), sparse == null ? null : sparse.encode(),
                sparse == null ? e.getSize() : st.size());
          }
          if (data) {
            long copied;
            if (sparse == null && st.size() <= buf.length) {
              NativeFs.Head read = fs.readHead(p, buf, 0, (int) st.size());
              out.write(buf, 0, read.length());
              copied = read.length();
              after = read.after();
            } else if (sparse == null) {
              copied = copyRange(p, 0, st.size());
            } else {
              long stored = 0;
              for (SparseMap.Region r : sparse.regions()) {
                stored += copyRange(p, r.offset(), r.length());
              }
              copied = stored == sparse.dataBytes() ? st.size() : stored; // short: the file shrank meanwhile
            }
            if (after != null) {
              ChangedDuringCopyException.check(p, st, after, copied);
            } else {
              after = ChangedDuringCopyException.check(fs, p, st, copied);
            }
            counted(st);
          }
          out.closeArchiveEntry();
          done(w);
          if (seen != null) {
            if (type == Type.DIR) {
              dirs.add(w); // looked at again once every object is written
            } else if (after != null) {
              seen.add(rel, st, null, after, null);
            } else {
              seen.add(rel, st, link, fs.stat(p), type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null);
            }
          }
        }
      };
      Stat rootSt = fs.stat(root);
      if (rootSt.type() != Type.DIR) {
        throw new IOException("not a directory: " + root);
      }
      try {
        emitter.tree(root, rootSt);
        emitter.drain();
        if (seen != null) {
          for (Walked d : dirs) {
            seen.add(ManifestScanner.relative(root, d.path()), d.st(), null, fs.stat(d.path()), null);
          }
        }
      } finally {
        if (pool != null) {
          pool.shutdownNow(); // after a failure: what is still queued only reads, nothing to undo
        }
      }
      out.finish();
      raw.flush();
      progress.update("tar", counters[0], counters[1]);
      long size = ch.size();
      // The index's encoding (20k entries) beside the archive's fsync, not before it on the caller's way.
      Background<byte[]> indexBytes = Background.start("tar-index", index::bytes);
      Background<Void> sync = Background.start("tar-sync", () -> {
        try (ch) {
          long f0 = System.nanoTime();
          ch.force(true);
          LOG.debug("tar of {} written, fsync {} ms", root, (System.nanoTime() - f0) / 1_000_000);
        }
        TarIndex.write(tar, indexBytes.join());
        return null;
      });
      syncing = true;
      return new Syncing(sync, size, indexBytes);
    } finally {
      if (!syncing) {
        ch.close();
      }
    }
  }

  /**
   * Extracts {@code tar} into {@code root} (an existing, empty directory whose own metadata comes from the
   * {@code ./} entry). Rejects absolute names, {@code ..}, writing through symlinks and hard links to anything but
   * regular files inside root.
   */
  public List<ManifestEntry> extract(Path tar, Path root) throws IOException {
    return extract(tar, root, List.of());
  }

  /**
   * As {@link #extract(Path, Path)} for an archive {@link #write(Path, Path, ManifestBuilder)} wrote with
   * {@code manifest}: a member without its own {@code WARM.mtime} record gets the manifest's nanosecond mtime when
   * that agrees with the header's seconds (else the header's time: the verification then reports the difference).
   */
  public List<ManifestEntry> extract(Path tar, Path root, List<ManifestEntry> manifest) throws IOException {
    Map<String, Long> mtimes = new HashMap<>(manifest.size() * 2);
    for (ManifestEntry m : manifest) {
      mtimes.put(m.path(), m.mtimeNanos());
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar), BUFFER)) {
      return extract(raw, root, mtimes);
    }
  }

  /**
   * As {@link #extract(Path, Path)} from a stream (tests feed hostile archives this way). Returns the manifest of
   * what was extracted, read from the entries (sorted, hard-link groups resolved as {@link ManifestBuilder} does), or
   * null when an entry's name is not UTF-8 (its manifest string comes only from a scan).
   */
  public List<ManifestEntry> extract(InputStream raw, Path root) throws IOException {
    return extract(raw, root, Map.of());
  }

  private List<ManifestEntry> extract(InputStream raw, Path root, Map<String, Long> mtimes) throws IOException {
    Described described = new Described();
    Deque<Runnable> dirMeta = new ArrayDeque<>();
    IOException[] deferred = {null};
    long files = 0;
    long bytes = 0;
    Set<Path> checkedDirs = new HashSet<>();
    byte[] buf = new byte[BUFFER];
    try (TarArchiveInputStream in = new Members(raw)) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        String rawPath = e.getExtraPaxHeader(PAX_RAW_PATH);
        String rawLink = e.getExtraPaxHeader(PAX_RAW_LINK);
        Path target = rawPath == null ? SafePaths.resolve(root, e.getName(), checkedDirs)
            : SafePaths.resolveRaw(root, raw(rawPath));
        boolean isRoot = target.equals(root);
        Map<String, byte[]> xattrs = xattrs(e);
        long mtime = mtime(e, rawPath == null ? mtimes.get(manifestPath(e.getName())) : null);
        int uid = (int) e.getLongUserId();
        int gid = (int) e.getLongGroupId();
        int perms = e.getMode() & 07777;
        String rel = described.rel(e, rawPath, rawLink);
        if (e.isDirectory()) {
          described.add(rel, Type.DIR, perms, uid, gid, 0, mtime, null, null, xattrs);
          if (!isRoot && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(target);
          }
          dirMeta.push(() -> {
            try {
              Meta.apply(fs, target, false, uid, gid, perms, xattrs, mtime);
            } catch (IOException ex) {
              deferred[0] = ex;
            }
          });
          continue;
        }
        if (isRoot) {
          throw new SafePaths.UnsafeEntryException("archive entry replaces the target root: " + e.getName());
        }
        boolean symlink = false;
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(target, rawLink == null ? Path.of(e.getLinkName()) : RawNames.of(raw(rawLink)));
          symlink = true;
          described.add(rel, Type.SYMLINK, perms, uid, gid, 0, mtime, e.getLinkName(), null, xattrs);
        } else if (e.isLink()) {
          Path existing = rawLink == null ? SafePaths.resolve(root, e.getLinkName())
              : SafePaths.resolveRaw(root, raw(rawLink));
          if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
            throw new SafePaths.UnsafeEntryException("hard link to a missing or non-regular file: " + e.getName()
                + " -> " + e.getLinkName());
          }
          Files.createLink(target, existing);
          described.link(rel, e.getLinkName());
          continue; // shares the inode; its metadata came with the first name
        } else if (e.isFIFO()) {
          fs.mknod(target, Stat.S_IFIFO | perms, 0);
          described.add(rel, Type.FIFO, perms, uid, gid, 0, mtime, null, null, xattrs);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
          long rdev = makedev(e.getDevMajor(), e.getDevMinor());
          fs.mknod(target, (e.isCharacterDevice() ? Stat.S_IFCHR : Stat.S_IFBLK) | perms, rdev);
          described.add(rel, e.isCharacterDevice() ? Type.CHAR : Type.BLOCK, perms, uid, gid, 0, mtime, null, rdev,
              xattrs);
        } else if (e.isFile() && e.getExtraPaxHeader(SparseMap.PAX_MAP) != null) {
          SparseMap map = SparseMap.parse(e.getExtraPaxHeader(SparseMap.PAX_REAL_SIZE),
              e.getExtraPaxHeader(SparseMap.PAX_MAP), e.getSize(), e.getName());
          extractSparse(in, target, map);
          described.add(rel, Type.FILE, perms, uid, gid, map.realSize(), mtime, null, null, xattrs);
          files++;
          bytes += e.getSize();
        } else if (e.isFile() && e.getSize() <= buf.length) {
          int n = in.readNBytes(buf, 0, (int) e.getSize());
          if (n != e.getSize()) {
            throw new IOException("archive ends inside " + e.getName());
          }
          // One create (never over an existing name, never through a planted symlink) and the metadata on its
          // descriptor: no path lookups after it.
          fs.writeNewFile(target, buf, n, uid, gid, perms, xattrs, mtime);
          described.add(rel, Type.FILE, perms, uid, gid, n, mtime, null, null, xattrs);
          files++;
          bytes += n;
          if ((files & 255) == 0) {
            progress.update("untar", files, bytes);
          }
          continue;
        } else if (e.isFile()) {
          long n = Files.copy(in, target); // CREATE_NEW semantics: never overwrites, never follows a planted symlink
          described.add(rel, Type.FILE, perms, uid, gid, n, mtime, null, null, xattrs);
          files++;
          bytes += e.getSize();
          if ((files & 255) == 0) {
            progress.update("untar", files, bytes);
          }
        } else {
          throw new IOException("unsupported archive entry type for " + e.getName());
        }
        Meta.apply(fs, target, symlink, uid, gid, perms, xattrs, mtime);
      }
    }
    while (!dirMeta.isEmpty()) {
      dirMeta.pop().run();
      if (deferred[0] != null) {
        throw deferred[0];
      }
    }
    progress.update("untar", files, bytes);
    return described.entries();
  }

  /**
   * commons-compress's reader, minus a cost per member: before each header it skips the rest of the current member
   * with {@code IOUtils.skip(this, Long.MAX_VALUE)}, which allocates an 8 KiB buffer even when nothing is left (a
   * JFR profile of a 20k-file restore: 12 of its 88 Java samples). A member whose data was read to its end (the
   * usual case: extraction reads every file whole) only has its record padding left: that is skipped on the raw
   * stream here, as the library would, and the library then reads the next header as before. Directories, GNU sparse
   * members and members not read to the end take the library's own way.
   */
  private static final class Members extends TarArchiveInputStream {
    private final InputStream raw;
    private final byte[] padding = new byte[TarConstants.DEFAULT_RCDSIZE];

    Members(InputStream raw) {
      super(raw, "UTF-8");
      this.raw = raw;
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
      TarArchiveEntry current = getCurrentEntry();
      if (current != null && !current.isDirectory() && !current.isSparse() && available() == 0) {
        long size = current.getSize();
        int rest = (int) (size % getRecordSize());
        if (size > 0 && rest != 0) {
          int want = getRecordSize() - rest;
          if (raw.readNBytes(padding, 0, want) != want) {
            throw new IOException("Truncated TAR archive");
          }
        }
        setCurrentEntry(null); // the library skips nothing more: the next header follows
      }
      return super.getNextEntry();
    }
  }

  /**
   * The manifest of an extraction, entry by entry, as {@link ManifestBuilder} would describe the extracted tree: a
   * hard link's later names carry the first name's metadata (they share its inode) and the group's leader is its
   * first path in sort order.
   */
  private static final class Described {
    private final List<ManifestEntry> out = new ArrayList<>();
    private final Map<String, List<Integer>> groups = new HashMap<>(); // first name -> indexes of the group
    private final Map<String, Integer> files = new HashMap<>();
    private boolean lossy;

    /** The manifest path of an entry; a name that is not UTF-8 gives up the description. */
    String rel(TarArchiveEntry e, String rawPath, String rawLink) throws IOException {
      if (rawPath != null || rawLink != null) {
        lossy = true;
        return null;
      }
      String n = SafePaths.normalize(e.getName());
      return n.isEmpty() ? "." : n;
    }

    void add(String rel, Type type, int perms, int uid, int gid, long size, long mtime, String link, Long rdev,
        Map<String, byte[]> xattrs) {
      if (lossy) {
        return;
      }
      out.add(new ManifestEntry(rel, type, perms, uid, gid, size, mtime, link, null, rdev, Meta.encode(xattrs), null));
      if (type == Type.FILE) {
        files.put(rel, out.size() - 1);
      }
    }

    void link(String rel, String firstName) throws IOException {
      if (lossy) {
        return;
      }
      String first = SafePaths.normalize(firstName);
      Integer i = files.get(first);
      if (i == null) {
        lossy = true; // cannot happen after extraction checked the target; describe nothing rather than guess
        return;
      }
      ManifestEntry f = out.get(i);
      out.add(new ManifestEntry(rel, Type.FILE, f.mode(), f.uid(), f.gid(), f.size(), f.mtimeNanos(), null, null,
          null, f.xattrs(), null));
      groups.computeIfAbsent(first, k -> new ArrayList<>(List.of(i))).add(out.size() - 1);
    }

    List<ManifestEntry> entries() {
      if (lossy) {
        return null;
      }
      List<ManifestEntry> entries = new ArrayList<>(out);
      for (List<Integer> g : groups.values()) {
        String leader = g.stream().map(k -> entries.get(k).path()).min(Comparator.naturalOrder()).orElseThrow();
        for (int k : g) {
          ManifestEntry e = entries.get(k);
          if (!e.path().equals(leader)) {
            entries.set(k, new ManifestEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(),
                e.mtimeNanos(), e.linkTarget(), leader, e.rdev(), e.xattrs(), null));
          }
        }
      }
      entries.sort(Comparator.comparing(ManifestEntry::path));
      return List.copyOf(entries);
    }
  }

  /**
   * Writes each region at its offset and sets the length: what lies between stays a hole, so a file of 20 GiB
   * holding 4 MB takes 4 MB again. Created like {@link Files#copy(InputStream, Path, java.nio.file.CopyOption...)}:
   * never over an existing name, never through a planted symlink.
   */
  private static void extractSparse(InputStream in, Path target, SparseMap map) throws IOException {
    byte[] buf = new byte[BUFFER];
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      for (SparseMap.Region r : map.regions()) {
        long pos = r.offset();
        long left = r.length();
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("archive ends inside sparse file " + target);
          }
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            pos += out.write(bb, pos);
          }
          left -= n;
        }
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
      f.setLength(map.realSize()); // ftruncate: extends with a hole up to the real size
    }
  }

  /** SHA-256 of every regular file in the archive, by manifest path. */
  public Map<String, String> contentHashes(Path tar) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Map<String, String> byName = new HashMap<>();
    try (TarArchiveInputStream in = new Members(new BufferedInputStream(Files.newInputStream(tar), BUFFER))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        String rel = SafePaths.normalize(e.getName());
        if (e.isFile() && !e.isLink()) {
          String map = e.getExtraPaxHeader(SparseMap.PAX_MAP);
          String h = map == null ? ManifestScanner.sha256(in) : ManifestScanner.sha256(new SparseInput(in,
              SparseMap.parse(e.getExtraPaxHeader(SparseMap.PAX_REAL_SIZE), map, e.getSize(), e.getName())));
          out.put(rel, h);
          byName.put(rel, h);
        } else if (e.isLink()) {
          out.put(rel, byName.get(SafePaths.normalize(e.getLinkName())));
        }
      }
    }
    return out;
  }

  private static byte[] raw(String encoded) throws SafePaths.UnsafeEntryException {
    try {
      return RawNames.decode(encoded);
    } catch (IllegalArgumentException ex) {
      throw new SafePaths.UnsafeEntryException("bad raw name in archive: " + ex.getMessage());
    }
  }

  private static Map<String, byte[]> xattrs(TarArchiveEntry e) {
    Map<String, byte[]> out = new TreeMap<>();
    e.getExtraPaxHeaders().forEach((k, v) -> {
      if (k.startsWith(PAX_XATTR)) {
        out.put(k.substring(PAX_XATTR.length()), Base64.getDecoder().decode(v));
      }
    });
    return out;
  }

  /** The manifest's path of a member's (already checked) name: {@code "."} for the root. */
  private static String manifestPath(String name) throws IOException {
    String n = SafePaths.normalize(name);
    return n.isEmpty() ? "." : n;
  }

  /** The member's own WARM.mtime (earlier archives: every member), else the manifest's when it agrees. */
  private static long mtime(TarArchiveEntry e, Long fromManifest) {
    String n = e.getExtraPaxHeader(PAX_MTIME);
    if (n != null) {
      return Long.parseLong(n);
    }
    long header = e.getLastModifiedTime().to(TimeUnit.NANOSECONDS);
    if (fromManifest != null && Math.floorDiv(fromManifest, NANOS) == Math.floorDiv(header, NANOS)) {
      return fromManifest;
    }
    return header;
  }

  static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }

  static long makedev(long major, long minor) {
    return ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
  }
}
