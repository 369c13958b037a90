package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import warm.snapshot.ManifestEntry;
import warm.snapshot.Method;
import warm.snapshot.Progress;

/**
 * Copies volumes into a snapshot's {@code data/} directory and back, choosing reflink or tar once per operation.
 * Layout: {@code data/<volume>/} (reflink, copy) or {@code data/<volume>.tar} (tar).
 */
public final class Engine {
  private final NativeFs fs;
  private final Progress progress;

  public Engine(NativeFs fs, Progress progress) {
    this.fs = fs;
    this.progress = progress;
  }

  /**
   * Probes whether the filesystem holding {@code dir} reflinks: clones an empty temp file inside it. NOTSUP-class
   * errors say no; terminal errors (ENOSPC, EIO) propagate. Empty, not one byte: {@code FICLONE} first writes back
   * the source's dirty pages and waits for the disk (XFS: 0.2–8 ms for a byte just written, 0.03–0.05 ms for an empty
   * file, issue 15 row 3), while each filesystem refuses a clone it cannot make (EOPNOTSUPP, EXDEV, EINVAL) before it
   * looks at the length. A clone the probe allowed and a real file's clone refuses still falls back (tar before any
   * data was cloned, a byte copy after).
   */
  public boolean probeReflink(Path dir) throws IOException {
    if (!fs.cloneAvailable()) {
      return false;
    }
    Path a = dir.resolve(".probe-src");
    Path b = dir.resolve(".probe-dst");
    Files.deleteIfExists(a);
    Files.deleteIfExists(b);
    Files.createFile(a);
    try {
      fs.cloneFile(a, b, 0600);
      return true;
    } catch (NativeFs.CloneUnsupportedException e) {
      return false;
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }

  /**
   * What a snapshot copy produced: the method that ran and each volume's manifest (taken during the copy); for tar,
   * each archive's fsync and index still under way ({@link #awaitDurable}).
   */
  public record Copied(Method method, Map<String, ManifestScanner.Scan> manifests,
      List<TarArchiver.Syncing> syncing) {
    Copied(Method method, Map<String, ManifestScanner.Scan> manifests) {
      this(method, manifests, List.of());
    }

    /** Returns once every archive and its index are durable; throws the first failure. */
    public void awaitDurable() throws IOException {
      for (TarArchiver.Syncing s : syncing) {
        s.await();
      }
    }

    /** Waits for every archive's sync, ignoring failures: before removing a failed snapshot's directory. */
    public void awaitQuietly() {
      for (TarArchiver.Syncing s : syncing) {
        try {
          s.await();
        } catch (IOException | RuntimeException ignored) {
          // the snapshot failed already; this only keeps the sync thread from writing into a removed directory
        }
      }
    }

    /** What the archives and their indexes take in the store (tar). */
    public long archiveBytes() throws IOException {
      long sum = 0;
      for (TarArchiver.Syncing s : syncing) {
        sum += s.bytes();
      }
      return sum;
    }
  }

  /** Copies every volume into {@code data}, describing each source object once on the way. */
  public Copied snapshot(Map<String, Path> volumes, Path data) throws IOException {
    return snapshot(volumes, data, chooseMethod(volumes, data), null, null);
  }

  /**
   * The method a snapshot of {@code volumes} into {@code data} starts with: reflink when a probe clone in the store
   * works and every volume is on the store's filesystem, else tar.
   */
  public Method chooseMethod(Map<String, Path> volumes, Path data) throws IOException {
    if (!probeReflink(data.getParent())) {
      return Method.TAR;
    }
    for (Path v : volumes.values()) {
      if (!sameFileStore(v, data)) {
        return Method.TAR; // EXDEV-class for the whole operation: clones cannot cross filesystems
      }
    }
    return Method.REFLINK;
  }

  /**
   * As {@link #snapshot(Map, Path)}, starting with {@code chosen} ({@link #chooseMethod}); the copy tells
   * {@code seen} (if non-null), per volume, each source object's stat before and after its copy. If a reflink copy
   * falls back to tar, {@code seen} is emptied first and the tar copy fills it. A reflink/copy copy tells {@code flush}
   * (if non-null) every object it creates; the tar path does not use it (it fsyncs its archives).
   */
  public Copied snapshot(Map<String, Path> volumes, Path data, Method chosen, Map<String, SnapshotSeen> seen,
      SnapshotFlush flush) throws IOException {
    Map<String, ManifestScanner.Scan> scans = new TreeMap<>();
    Method method = chosen;
    if (method == Method.REFLINK) {
      try {
        for (Map.Entry<String, Path> v : new TreeMap<>(volumes).entrySet()) {
          ManifestBuilder b = new ManifestBuilder(fs);
          // Not computeIfAbsent with a lambda: the AppCDS archive's training snapshot takes the tar path, so that
          // lambda was spun at run time by every reflink snapshot (~1 ms on the main thread).
          SnapshotSeen s = seen == null ? null : seen.get(v.getKey());
          if (seen != null && s == null) {
            s = new SnapshotSeen();
            seen.put(v.getKey(), s);
          }
          TreeCopier.Result r = new TreeCopier(fs, progress, "snapshot " + v.getKey())
              .copy(v.getValue(), data.resolve(v.getKey()), false, TreeCopier.Mode.CLONE_STRICT, b, true, null, s,
                  flush);
          scans.put(v.getKey(), b.build());
          Steps.reached("volume-copied");
          if (r.byteCopied()) {
            method = Method.COPY;
          }
        }
        return new Copied(method, scans);
      } catch (NativeFs.CloneUnsupportedException e) {
        // The probe passed but the first real clone was refused (e.g. btrfs NOCOW): tar for the whole operation.
        TreeCopier.emptyDirectory(data);
        if (seen != null) {
          seen.clear();
        }
      }
    }
    TarArchiver tar = new TarArchiver(fs, progress);
    List<TarArchiver.Syncing> syncing = new ArrayList<>();
    try {
      for (Map.Entry<String, Path> v : new TreeMap<>(volumes).entrySet()) {
        ManifestBuilder b = new ManifestBuilder(fs);
        SnapshotSeen s = seen == null ? null : seen.computeIfAbsent(v.getKey(), k -> new SnapshotSeen());
        // With its member index (delta restore); both become durable while the next volume or the caller works.
        syncing.add(tar.writeSyncing(v.getValue(), data.resolve(v.getKey() + ".tar"), b, s));
        scans.put(v.getKey(), b.build());
        Steps.reached("volume-copied");
      }
    } catch (IOException | RuntimeException e) {
      new Copied(Method.TAR, scans, syncing).awaitQuietly(); // nothing is still writing when the caller cleans up
      throw e;
    }
    return new Copied(Method.TAR, scans, List.copyOf(syncing));
  }

  /**
   * Replaces the contents of {@code dir} with volume {@code name} of a snapshot stored by {@code method}. Returns the
   * manifest of what was copied, taken from the snapshot's objects during the copy (each described by the lstat that
   * drove its copy) or from the archive's entries, or null where it cannot describe itself (a tar entry whose name is
   * not UTF-8: the caller scans the result instead). {@code manifest} is the snapshot's own for that volume: a tar
   * member's nanosecond mtime comes from it.
   */
  public ManifestScanner.Scan restore(Method method, Path data, String name, Path dir, List<ManifestEntry> manifest)
      throws IOException {
    return restore(method, data, name, dir, manifest, null);
  }

  /**
   * As {@link #restore(Method, Path, String, Path, List)}; on the reflink/copy path, {@code description} (if non-null)
   * is told what the kernel says of every object created, and null is returned: the description builds the manifest
   * when it is asked for it (sorting 20k entries twice cost a restore's tail, issue 15).
   */
  public ManifestScanner.Scan restore(Method method, Path data, String name, Path dir, List<ManifestEntry> manifest,
      CopyDescription description) throws IOException {
    TreeCopier.emptyDirectory(dir);
    Steps.reached("emptied");
    if (method == Method.TAR) {
      List<ManifestEntry> described = new TarArchiver(fs, progress).extract(data.resolve(name + ".tar"), dir,
          manifest);
      return described == null ? null : new ManifestScanner.Scan(described, -1, -1);
    }
    Path src = data.resolve(name);
    TreeCopier.Mode mode = sameFileStore(src, dir) ? TreeCopier.Mode.CLONE_OR_COPY : TreeCopier.Mode.COPY;
    if (description != null) {
      new TreeCopier(fs, progress, "restore " + name).copy(src, dir, true, mode, null, false, description, null,
          null);
      return null;
    }
    ManifestBuilder copied = new ManifestBuilder(fs);
    new TreeCopier(fs, progress, "restore " + name).copy(src, dir, true, mode, copied, false);
    return copied.build();
  }

  /** SHA-256 per regular file of the snapshot's copy of a volume. */
  public Map<String, String> contentHashes(Method method, Path data, String name) throws IOException {
    if (method == Method.TAR) {
      return new TarArchiver(fs, progress).contentHashes(data.resolve(name + ".tar"));
    }
    Map<String, String> out = new TreeMap<>();
    new ManifestScanner(fs).scan(data.resolve(name), true).entries().forEach(e -> {
      if (e.sha256() != null) {
        out.put(e.path(), e.sha256());
      }
    });
    return out;
  }

  static boolean sameFileStore(Path a, Path b) throws IOException {
    FileStore fa = Files.getFileStore(a);
    FileStore fb = Files.getFileStore(b);
    return fa.equals(fb);
  }
}
