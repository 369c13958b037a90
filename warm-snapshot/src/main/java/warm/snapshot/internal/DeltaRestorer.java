package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import warm.snapshot.ManifestEntry;
import warm.snapshot.ManifestEntry.Type;
import warm.snapshot.Method;

/**
 * Carries out a {@link DeltaPlan} on one volume: removes what the plan removes, creates the known-good entries it
 * restores (file data re-cloned from the snapshot's tree, or read from the tar by seeking to the member), then sets
 * directories' metadata, children first. Owners, modes, xattrs and mtimes are set in the order a full restore uses
 * ({@link Meta}); hard links are made to a kept or already restored member of their group.
 */
public final class DeltaRestorer {
  private final NativeFs fs;
  /** What {@link #apply} created or changed, to make durable by {@link #flush}: files, then directories. */
  private final List<Path> written = new java.util.ArrayList<>();
  private final java.util.Set<Path> dirsWritten = new java.util.LinkedHashSet<>();

  public DeltaRestorer(NativeFs fs) {
    this.fs = fs;
  }

  /** Where a restored regular file's data comes from. */
  interface FileSource {
    void create(ManifestEntry e, Path dst) throws IOException;
  }

  /**
   * The source of volume {@code name} in a snapshot's {@code data} directory stored by {@code method}, for a volume
   * at {@code dir}.
   */
  FileSource source(Method method, Path data, String name, Path dir) throws IOException {
    if (method == Method.TAR) {
      TarIndex index = TarIndex.read(data.resolve(name + ".tar"));
      return (e, dst) -> index.extractTo(e.path(), dst);
    }
    Path src = data.resolve(name);
    boolean[] clone = {Engine.sameFileStore(src, dir)};
    return (e, dst) -> {
      Path from = src.resolve(e.path());
      if (clone[0]) {
        try {
          fs.cloneFile(from, dst, e.mode());
          return;
        } catch (NativeFs.CloneUnsupportedException ex) {
          clone[0] = false; // e.g. a NOCOW file: byte-copy this one and the rest, as a full restore would
        }
      }
      Files.copy(from, dst, LinkOption.NOFOLLOW_LINKS);
    };
  }

  /** Plans and applies a delta; the returned plan says what was done, or why nothing was (refusal). */
  public DeltaPlan plan(ChangeRecord record, String volume, Path dir, List<ManifestEntry> manifest,
      DeltaPlan.Limit limit) throws IOException {
    List<ChangeRecord.Seen> recorded = record.volumes().get(volume);
    if (recorded == null) {
      return DeltaPlan.refused("the change record holds no volume " + volume);
    }
    return DeltaPlan.of(recorded, new VolumeWalker(fs).walk(dir), manifest, limit);
  }

  /**
   * The data bytes applying {@code plan} writes on the volume's filesystem: none for files re-cloned on the same
   * filesystem; otherwise each restored inode's data once (a member linked to a kept or restored one costs nothing).
   */
  public long bytesToWrite(DeltaPlan plan, Method method, Path data, String name, Path dir) throws IOException {
    TarIndex index = method == Method.TAR ? TarIndex.read(data.resolve(name + ".tar")) : null;
    if (index == null && Engine.sameFileStore(data.resolve(name), dir)) {
      return 0;
    }
    java.util.Set<String> groups = new java.util.HashSet<>(plan.keptLinks().keySet());
    long sum = 0;
    for (ManifestEntry e : plan.restore()) {
      if (e.type() == Type.FILE && groups.add(e.hardLinkOf() != null ? e.hardLinkOf() : e.path())) {
        sum += index != null ? index.storedBytes(e.path()) : e.size();
      }
    }
    return sum;
  }

  public void apply(DeltaPlan plan, Method method, Path data, String name, Path dir) throws IOException {
    FileSource source = source(method, data, name, dir);
    for (String rel : plan.remove()) {
      Path p = resolve(dir, rel);
      TreeCopier.deleteTree(p);
      dirsWritten.add(p.getParent());
    }
    Steps.reached("delta-removed");
    Map<String, Path> groups = new HashMap<>();
    // A kept file of a hard-link group holds the group's known-good inode: restored members link to it.
    plan.keptLinks().forEach((group, rel) -> groups.put(group, resolve(dir, rel)));
    for (ManifestEntry e : plan.restore()) {
      Path dst = resolve(dir, e.path());
      switch (e.type()) {
        case DIR -> Files.createDirectory(dst); // metadata with the fixed directories, after its children
        case FILE -> {
          String group = e.hardLinkOf() != null ? e.hardLinkOf() : e.path();
          Path have = groups.get(group);
          if (have != null) {
            Files.createLink(dst, have);
            continue;
          }
          source.create(e, dst);
          Meta.apply(fs, dst, false, e.uid(), e.gid(), e.mode(), Meta.decode(e.xattrs()), e.mtimeNanos());
          groups.put(group, dst);
          written.add(dst);
        }
        case SYMLINK -> {
          Files.createSymbolicLink(dst, Path.of(e.linkTarget()));
          Meta.apply(fs, dst, true, e.uid(), e.gid(), e.mode(), Meta.decode(e.xattrs()), e.mtimeNanos());
        }
        case FIFO, CHAR, BLOCK -> {
          fs.mknod(dst, Stat.typeBits(e.type()) | e.mode(), e.rdev() == null ? 0 : e.rdev());
          Meta.apply(fs, dst, false, e.uid(), e.gid(), e.mode(), Meta.decode(e.xattrs()), e.mtimeNanos());
        }
        default -> throw new IOException("unexpected type " + e.type() + " at " + e.path());
      }
    }
    Steps.reached("delta-restored");
    for (ManifestEntry d : plan.fixDirs()) {
      Path p = resolve(dir, d.path());
      Map<String, byte[]> want = Meta.decode(d.xattrs());
      for (String name2 : fs.readXattrs(p).keySet()) {
        if (!want.containsKey(name2)) {
          fs.removeXattr(p, name2);
        }
      }
      Meta.apply(fs, p, false, d.uid(), d.gid(), d.mode(), want, d.mtimeNanos());
      dirsWritten.add(p); // every created entry's parent is among the fixed directories
    }
  }

  /**
   * fsync of every file this restorer wrote and every directory it changed (their entries: links, FIFOs, removals,
   * and the metadata set on them), instead of a syncfs that would flush everything else on a shared filesystem.
   */
  public void flush() throws IOException {
    for (Path f : written) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
          java.nio.file.StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
    for (Path d : dirsWritten) {
      if (d != null && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        Durable.fsyncDir(d);
      }
    }
    written.clear();
    dirsWritten.clear();
  }

  private static Path resolve(Path dir, String rel) {
    return rel.equals(".") ? dir : dir.resolve(rel);
  }
}
