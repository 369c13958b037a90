package warm.snapshot.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.snapshot.ManifestEntry.Type;
import warm.snapshot.Progress;

/**
 * Copies a tree object by object: regular files by FICLONE (or a byte copy), directories, symlinks (never
 * followed, copied as links whatever they point at), hard links (as hard links), FIFOs and device nodes; then
 * owner, 12 mode bits, xattrs and mtime, directories last (post-order). One walk creates the directories and hands
 * the other objects, in batches, to a small pool that copies them while the walk goes on; the directories' metadata
 * is set after every object is in place.
 */
public final class TreeCopier {
  private static final Logger LOG = LoggerFactory.getLogger(TreeCopier.class);

  /** How file data travels. */
  public enum Mode {
    /** FICLONE; the first refusal is thrown as {@link NativeFs.CloneUnsupportedException} (caller falls back). */
    CLONE_STRICT,
    /** FICLONE; a refusal byte-copies that file and every later one. */
    CLONE_OR_COPY,
    /** Byte copy only. */
    COPY
  }

  private final NativeFs fs;
  private final Progress progress;
  private final String phase;
  private final int threads;

  /**
   * Objects per task: large enough that queueing costs nothing next to the syscalls, small enough to balance and for
   * the first clones to begin soon after the walk does.
   */
  private static final int BATCH = 64;
  /**
   * Threads of one copy: the machine's cores (at most 8). Cloning, creating inodes and setting metadata are mostly
   * kernel work on independent inodes, which the kernel runs in parallel; {@code cp} does it on one thread.
   */
  static final int DEFAULT_THREADS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  private static final AtomicInteger WORKERS = new AtomicInteger();

  public TreeCopier(NativeFs fs, Progress progress, String phase) {
    this(fs, progress, phase, DEFAULT_THREADS);
  }

  TreeCopier(NativeFs fs, Progress progress, String phase, int threads) {
    this.fs = fs;
    this.progress = progress;
    this.phase = phase;
    this.threads = threads;
  }

  /** Result: whether any file was byte-copied, and counters. */
  public record Result(boolean byteCopied, long files, long bytes) {}

  /**
   * Copies the contents of {@code src} into {@code dst}. When {@code dstExists} the root directory is kept (only
   * its metadata is set, at the end); otherwise it is created.
   */
  public Result copy(Path src, Path dst, boolean dstExists, Mode mode) throws IOException {
    return copy(src, dst, dstExists, mode, null);
  }

  /**
   * As {@link #copy(Path, Path, boolean, Mode)}, describing every source object to {@code manifest} if non-null and
   * then proving each regular file unchanged by its copy (a snapshot of a live volume).
   */
  public Result copy(Path src, Path dst, boolean dstExists, Mode mode, ManifestBuilder manifest) throws IOException {
    return copy(src, dst, dstExists, mode, manifest, manifest != null);
  }

  /**
   * As {@link #copy(Path, Path, boolean, Mode, ManifestBuilder)}; {@code checkUnchanged} false skips the re-stat of
   * each copied file (a restore reads a snapshot that nothing writes, under the store's lock).
   */
  Result copy(Path src, Path dst, boolean dstExists, Mode mode, ManifestBuilder manifest, boolean checkUnchanged)
      throws IOException {
    return copy(src, dst, dstExists, mode, manifest, checkUnchanged, null, null, null);
  }

  /**
   * As {@link #copy(Path, Path, boolean, Mode, ManifestBuilder, boolean)}, describing every created object to
   * {@code described} (if non-null) as the kernel has it after the copy's last change to it (a restore's
   * verification), and telling {@code seen} (if non-null) each source object's stat before and after its copy (a
   * snapshot's change record), and {@code flush} (if non-null) each object the walk creates (a snapshot's choice of
   * flush).
   */
  Result copy(Path src, Path dst, boolean dstExists, Mode mode, ManifestBuilder manifest, boolean checkUnchanged,
      CopyDescription described, SnapshotSeen seen, SnapshotFlush flush) throws IOException {
    Run run = new Run(src, mode, manifest, checkUnchanged, described, seen);
    Feed feed = new Feed(run);
    List<Item> dirs;
    try {
      try {
        dirs = walk(src, dst, dstExists, feed, flush);
      } catch (IOException | RuntimeException | Error e) { // an Error too: no batch may outlive the copy
        feed.abandon(e);
        throw e;
      }
      feed.finish();
    } finally {
      run.open.closeAll(); // nothing copies any more: whatever a failed or skipped batch still held
    }
    // Directories last, children before parents (reverse pre-order): creating an entry moves its directory's mtime.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Item d = dirs.get(i);
      Map<String, byte[]> xattrs = fs.readXattrs(d.source);
      if (manifest != null) {
        manifest.add(d.rel, d.source, d.st, xattrs, null, null);
      }
      Meta.apply(fs, d.target, false, d.st.uid(), d.st.gid(), d.st.perms(), xattrs, d.st.mtimeNanos());
      if (described != null) { // its children are all in place and set: nothing the copy does moves it again
        described.add(d.rel, d.target, fs.stat(d.target), fs.readXattrs(d.target), null);
      }
      if (seen != null) { // every object is copied: an entry that came or went since the walk moved its times
        seen.add(d.rel, d.st, null, fs.stat(d.source), null);
      }
    }
    progress.update(phase, run.files.get(), run.bytes.get());
    return new Result(run.copied, run.files.get(), run.bytes.get());
  }

  /**
   * Hands the walk's objects to the copy in batches while the walk goes on (issue 15: the walk was the largest serial
   * piece of a copy after the JVM's start). The pool starts with the first full batch, so a tree of one batch is
   * copied on the caller as before; {@link #finish} or {@link #abandon} returns only once nothing writes any more.
   */
  private final class Feed {
    private final Run run;
    private final List<Future<?>> submitted = new ArrayList<>();
    private List<Item> pending = new ArrayList<>(BATCH);
    private ExecutorService pool;

    Feed(Run run) {
      this.run = run;
    }

    /** One object listed (its directory already created); a full batch goes to the pool. */
    void add(Item it) throws IOException {
      pending.add(it);
      if (pending.size() == BATCH) {
        List<Item> b = pending;
        pending = new ArrayList<>(BATCH);
        submit(b);
      }
    }

    /** Hands over what is left, then waits for every batch; rethrows the first failure. */
    void finish() throws IOException {
      List<Item> b = pending;
      pending = List.of();
      if (pool == null) {
        run.batch(b); // the whole tree was one batch
        return;
      }
      submit(b);
      Throwable first = await();
      if (first instanceof IOException io) {
        throw io;
      }
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first != null) {
        throw new IOException("copy failed", first);
      }
    }

    /** The walk failed: stops the batches not yet begun and waits for the others (their failures join {@code e}). */
    void abandon(Throwable e) {
      run.failed = true;
      if (pool != null) {
        Throwable other = await();
        if (other != null && other != e) {
          e.addSuppressed(other);
        }
      }
    }

    private void submit(List<Item> b) throws IOException {
      if (threads <= 1) {
        run.batch(b);
        return;
      }
      if (pool == null) {
        pool = Executors.newFixedThreadPool(threads, r -> {
          Thread t = new Thread(r, "warm-copy-" + WORKERS.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
      }
      submitted.add(pool.submit(() -> {
        if (run.failed) {
          return null; // another batch or the walk failed: the caller discards the whole copy
        }
        try {
          run.batch(b);
        } catch (IOException | RuntimeException | Error e) {
          run.failed = true;
          throw e;
        }
        return null;
      }));
    }

    /** Waits for every batch handed over, so nothing writes after the copy returns; the first failure, if any. */
    private Throwable await() {
      Throwable first = null;
      try {
        for (Future<?> f : submitted) {
          boolean interrupted = false;
          while (true) {
            try {
              f.get();
              break;
            } catch (ExecutionException e) {
              first = first == null ? e.getCause() : first;
              break;
            } catch (InterruptedException e) { // still wait: a batch that runs on must not outlive the copy
              interrupted = true;
              run.failed = true;
              first = first == null ? new InterruptedIOException("copy interrupted") : first;
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      } finally {
        pool.shutdown();
      }
      return first;
    }
  }

  /**
   * One source object: where it goes, its manifest path, its single lstat, and the other names of a hard link; a
   * regular file of one name may also have its name in its directories open as descriptors ({@code at}, held by
   * {@code dir} until the file is copied), else null: by path.
   */
  private record Item(Path source, Path target, String rel, Stat st, List<Item> alsoNamed, NativeFs.At at,
      DirPair dir) {
    Item(Path source, Path target, String rel, Stat st, List<Item> alsoNamed) {
      this(source, target, rel, st, alsoNamed, null, null);
    }
  }

  /**
   * At most this many directories of one copy are open as descriptors at once (two each, source and target); any
   * further one goes by path, as every directory did before. Far under the JVM's descriptor limit (raised to the hard
   * limit at start-up), and a directory's pair is closed as soon as its last file is copied, so only the directories
   * the walk is ahead of the copy by count against it.
   */
  static final int MAX_OPEN_DIRS = 256;

  /**
   * A source directory and its copy, open as descriptors ({@link NativeFs#openDirectory}) so that each regular file's
   * two opens and its lstat resolve only its name (issue 15, rows 1–2, fifteenth round: path lookups were ~3–4 % of a
   * 20k-file copy's CPU). Counted: the walk holds it while it lists the directory, and each file handed over holds it
   * until that file is copied; the last one closes both.
   */
  private final class DirPair {
    final int src;
    final int dst;
    private final AtomicInteger users = new AtomicInteger(1); // the walk's, until it has listed the directory
    private final AtomicBoolean closed = new AtomicBoolean();
    private final OpenDirs owner;

    DirPair(int src, int dst, OpenDirs owner) {
      this.src = src;
      this.dst = dst;
      this.owner = owner;
    }

    void hold() {
      users.incrementAndGet();
    }

    void release() {
      if (users.decrementAndGet() == 0) {
        close();
      }
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        fs.closeDirectory(src);
        fs.closeDirectory(dst);
        owner.count.decrementAndGet();
      }
    }
  }

  /** Every {@link DirPair} of one copy: how many are open, and all of them for the copy's end to close what is left. */
  private final class OpenDirs {
    final AtomicInteger count = new AtomicInteger();
    private final List<DirPair> all = new ArrayList<>();

    /** {@code dir} (lstat {@code st}) and its just-created copy {@code target} opened, or null: by path. */
    DirPair open(Path dir, Stat st, Path target) {
      if (count.get() >= MAX_OPEN_DIRS) {
        return null;
      }
      int s = fs.openDirectory(dir, st);
      if (s < 0) {
        return null;
      }
      int d = fs.openDirectory(target, null);
      if (d < 0) {
        fs.closeDirectory(s);
        return null;
      }
      count.incrementAndGet();
      DirPair p = new DirPair(s, d, this);
      all.add(p); // the walk's thread only
      return p;
    }

    /** Closes every pair still open; only once no batch runs. */
    void closeAll() {
      for (DirPair p : all) {
        p.close();
      }
    }
  }

  /**
   * Lists the tree once, lstat-ing every object once (the stat travels to the copy and the manifest), creates the
   * directories top-down and hands every other object to {@code feed} once its directory exists, so the copy runs
   * beside the rest of the walk and in any order. Every name of a hard link after the first joins the first's item,
   * so one thread clones the inode and then links the other names to it; such a file is handed over only after the
   * walk, when all its names are known. Returns the directories in pre-order (already created). Stops early once a
   * batch failed (the feed rethrows that failure). Tells {@code flush} (if non-null) each object it creates or hands
   * over.
   */
  private List<Item> walk(Path src, Path dst, boolean dstExists, Feed feed, SnapshotFlush flush) throws IOException {
    List<Item> dirs = new ArrayList<>();
    List<Item> linked = new ArrayList<>();
    Map<String, Item> firstLink = new HashMap<>();
    Stat rootSt = fs.stat(src);
    if (rootSt.type() != Type.DIR) {
      throw new IOException("not a directory: " + src);
    }
    if (!dstExists) {
      Files.createDirectory(dst);
      if (flush != null) {
        flush.directory(dst);
      }
    }
    dirs.add(new Item(src, dst, ".", rootSt, null));
    for (int next = 0; next < dirs.size() && !feed.run.failed; next++) {
      Item dir = dirs.get(next);
      // Opened before the listing, checked against the walk's lstat of it: a directory replaced since is not used.
      DirPair pair = feed.run.open.open(dir.source, dir.st, dir.target);
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.source)) {
        for (Path c : children) {
          Path name = c.getFileName(); // once: each call builds a new path (issue 15, fourteenth round: garbage)
          byte[] cName = pair != null ? RawNames.c(name) : null;
          Stat st = pair != null ? fs.statAt(pair.src, cName, c) : fs.stat(c);
          Type type = st.type();
          if (type == null) {
            LOG.warn("skipping socket {}", c);
            continue;
          }
          Path target = dir.target.resolve(name); // Path to Path: raw name bytes kept (D6)
          String rel = dir.rel.equals(".") ? name.toString() : dir.rel + "/" + name;
          if (flush != null) {
            if (type == Type.DIR) {
              flush.directory(target);
            } else {
              flush.object(target, st);
            }
          }
          if (type == Type.DIR) {
            Files.createDirectory(target);
            dirs.add(new Item(c, target, rel, st, null));
          } else if (type == Type.FILE && st.nlink() > 1) {
            String key = st.dev() + ":" + st.ino();
            Item first = firstLink.get(key);
            if (first != null) {
              first.alsoNamed.add(new Item(c, target, rel, st, null));
            } else {
              Item it = new Item(c, target, rel, st, new ArrayList<>());
              firstLink.put(key, it);
              linked.add(it);
            }
          } else if (pair != null && type == Type.FILE) {
            pair.hold();
            feed.add(new Item(c, target, rel, st, null, new NativeFs.At(pair.src, pair.dst, cName), pair));
          } else {
            feed.add(new Item(c, target, rel, st, null));
          }
        }
      } finally {
        if (pair != null) {
          pair.release();
        }
      }
    }
    for (Item it : linked) {
      feed.add(it);
    }
    return dirs;
  }

  /** The state one copy shares between its threads. */
  private final class Run {
    final Path src;
    final ManifestBuilder manifest;
    final boolean checkUnchanged;
    final CopyDescription described;
    final SnapshotSeen seen;
    volatile Mode current;
    volatile boolean copied;
    volatile boolean failed;
    final AtomicLong files = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final OpenDirs open = new OpenDirs();

    Run(Path src, Mode mode, ManifestBuilder manifest, boolean checkUnchanged, CopyDescription described,
        SnapshotSeen seen) {
      this.src = src;
      this.described = described;
      this.seen = seen;
      this.current = mode;
      this.manifest = manifest;
      this.checkUnchanged = checkUnchanged;
    }

    void batch(List<Item> batch) throws IOException {
      for (Item it : batch) {
        if (failed) {
          return; // the pairs this batch's files held are closed at the copy's end
        }
        try {
          one(it);
        } finally {
          if (it.dir != null) {
            it.dir.release();
          }
        }
      }
    }

    private void one(Item it) throws IOException {
      Stat st = it.st;
      Type type = st.type();
      // A regular file to clone has its xattrs read by the clone call, on the descriptor its data comes from (no path
      // lookup; issue 15, rows 1-2, fourteenth round); every other object's are read here by path, as before.
      Map<String, byte[]> xattrs = type == Type.FILE ? null : fs.readXattrs(it.source);
      String link = type == Type.SYMLINK ? Files.readSymbolicLink(it.source).toString() : null;
      boolean metaSet = false;
      NativeFs.Created created = null;
      Stat sourceAfter = null;
      switch (type) {
        case FILE -> {
          NativeFs.Cloned cloned = null;
          if (described != null) {
            created = cloneDescribed(it);
            metaSet = created != null;
            // the xattrs the clone set (the source's own), or, byte-copied, the source's read now: never left unread
            xattrs = created != null ? created.xattrs() : fs.readXattrs(it.source);
          } else {
            NativeFs.ClonedOwn own = cloneWithMeta(it);
            cloned = own.cloned(); // null: byte-copied, its metadata is set below
            xattrs = own.xattrs();
            metaSet = cloned != null;
          }
          if (checkUnchanged) {
            // A snapshot: the copy must equal the entry just recorded, or the known-good would not restore.
            if (cloned != null) {
              ChangedDuringCopyException.check(it.source, st, cloned.sourceAfter(), cloned.copiedSize());
              sourceAfter = cloned.sourceAfter();
            } else {
              ChangedDuringCopyException.check(fs, it.source, st, fs.stat(it.target).size());
            }
          }
          long f = files.incrementAndGet();
          long b = bytes.addAndGet(st.size());
          if ((f & 255) == 0) {
            synchronized (progress) {
              progress.update(phase, f, b);
            }
          }
        }
        case SYMLINK -> Files.createSymbolicLink(it.target, Files.readSymbolicLink(it.source)); // raw bytes (D6)
        case FIFO, CHAR, BLOCK -> fs.mknod(it.target, Stat.typeBits(type) | st.perms(), st.rdev());
        default -> throw new IOException("unexpected type " + type + " at " + it.source);
      }
      if (manifest != null) {
        manifest.add(it.rel, it.source, st, xattrs, link, null);
      }
      if (!metaSet) {
        Meta.apply(fs, it.target, type == Type.SYMLINK, st.uid(), st.gid(), st.perms(), xattrs, st.mtimeNanos());
      }
      if (it.alsoNamed != null) {
        for (Item other : it.alsoNamed) { // same inode: its data and metadata came with the first name
          if (manifest != null) {
            manifest.add(other.rel, other.source, other.st, xattrs, null, null);
          }
          Files.createLink(other.target, it.target);
        }
      }
      if (described != null) {
        describe(it, created);
      }
      if (seen != null) {
        // A cloned file's "after" is the fstat of the descriptor its data came from (the check above compared it);
        // any other object, and every further name of a hard link, is looked at again now that it is copied.
        Stat after = sourceAfter != null ? sourceAfter : fs.stat(it.source);
        seen.add(it.rel, st, link, after, type == Type.SYMLINK ? Files.readSymbolicLink(it.source).toString() : null);
        if (it.alsoNamed != null) {
          for (Item other : it.alsoNamed) {
            seen.add(other.rel, other.st, null, fs.stat(other.source), null);
          }
        }
      }
    }

    /**
     * Tells {@link #described} what the kernel says of the object just made, after the copy's last change to it: a
     * clone's descriptor already said it, unless further names were linked to it since (they move its ctime).
     */
    private void describe(Item it, NativeFs.Created created) throws IOException {
      boolean linked = it.alsoNamed != null && !it.alsoNamed.isEmpty();
      Stat made = created != null && !linked ? created.stat() : fs.stat(it.target);
      Map<String, byte[]> xattrs = created != null ? created.xattrs() : fs.readXattrs(it.target);
      String link = made.type() == Type.SYMLINK ? Files.readSymbolicLink(it.target).toString() : null;
      described.add(it.rel, it.target, made, xattrs, link);
      if (linked) {
        for (Item other : it.alsoNamed) {
          described.add(other.rel, other.target, made, xattrs, null);
        }
      }
    }

    /**
     * As {@link #cloneWithMeta}, returning the copy as the kernel describes it (null: byte-copied, its metadata still
     * to be read and set).
     */
    private NativeFs.Created cloneDescribed(Item it) throws IOException {
      Stat st = it.st;
      if (current != Mode.COPY) {
        try {
          return fs.cloneWithMetaDescribed(it.source, it.target, it.at, st.uid(), st.gid(), st.perms(), null,
              st.mtimeNanos());
        } catch (NativeFs.CloneUnsupportedException e) {
          refused(e);
        }
      }
      byteCopy(it);
      return null;
    }

    /**
     * Clones a regular file with its metadata set, its xattrs the source's own ({@link NativeFs#cloneWithOwnXattrs});
     * or, once cloning was refused in a mode that allows it, byte-copies it and returns no clone, only the source's
     * xattrs (its metadata is then still to be set).
     */
    private NativeFs.ClonedOwn cloneWithMeta(Item it) throws IOException {
      // The clone calls are written out here and above, not passed as lambdas to one helper: the AppCDS archive's
      // training snapshot takes the tar path, so such a lambda was spun at run time by every reflink snapshot and
      // restore (~1 ms on the main thread, issue 15, twelfth round).
      Stat st = it.st;
      if (current != Mode.COPY) {
        try {
          return fs.cloneWithOwnXattrs(it.source, it.target, it.at, st.uid(), st.gid(), st.perms(), st.mtimeNanos(),
              checkUnchanged);
        } catch (NativeFs.CloneUnsupportedException e) {
          refused(e);
        }
      }
      Map<String, byte[]> xattrs = fs.readXattrs(it.source); // before the copy, as the clone call reads them
      byteCopy(it);
      return new NativeFs.ClonedOwn(null, xattrs);
    }

    /** A clone was refused: rethrown in a mode without byte copies, else every file from now on is byte-copied. */
    private void refused(NativeFs.CloneUnsupportedException e) throws NativeFs.CloneUnsupportedException {
      if (current == Mode.CLONE_STRICT) {
        throw e;
      }
      LOG.info("clone refused ({}); byte-copying the remaining files", e.getMessage());
      current = Mode.COPY;
    }

    private void byteCopy(Item it) throws IOException {
      copied = true;
      Files.copy(it.source, it.target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** Deletes everything below {@code dir} (never following symlinks), keeping {@code dir} itself. */
  public static void emptyDirectory(Path dir) throws IOException {
    try (var children = Files.newDirectoryStream(dir)) {
      for (Path c : children) {
        deleteTree(c);
      }
    }
  }

  /** Deletes a tree (or a single file or link) without following symlinks; missing is fine. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
