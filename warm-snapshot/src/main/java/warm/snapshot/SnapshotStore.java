package warm.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.snapshot.authority.KnownGoodAuthority;
import warm.snapshot.internal.Background;
import warm.snapshot.internal.ChangeRecord;
import warm.snapshot.internal.CopyDescription;
import warm.snapshot.internal.ChangedDuringCopyException;
import warm.snapshot.internal.DeltaPlan;
import warm.snapshot.internal.DeltaRestorer;
import warm.snapshot.internal.Durable;
import warm.snapshot.internal.Engine;
import warm.snapshot.internal.ManifestComparer;
import warm.snapshot.internal.ManifestScanner;
import warm.snapshot.internal.NativeFs;
import warm.snapshot.internal.SafePaths;
import warm.snapshot.internal.SnapshotFlush;
import warm.snapshot.internal.SnapshotSeen;
import warm.snapshot.internal.Steps;
import warm.snapshot.internal.TreeCopier;

/**
 * An app's snapshot store, the directory {@code <root>/<app>/snapshots} (DESIGN §5):
 * <pre>
 *   known-good -> snap-&lt;id&gt;         atomically swapped symlink (I3)
 *   snap-&lt;id&gt;/meta.json              {@link SnapshotMeta}: method, tag, sizes, manifests
 *   snap-&lt;id&gt;/data/&lt;volume&gt;/ or data/&lt;volume&gt;.tar
 *   .tmp-*                             work in progress; removed by the next operation
 * </pre>
 * A snapshot is built under {@code .tmp-snap-<id>} and renamed into place only when complete, so a {@code snap-*}
 * directory is always whole. Old snapshots are first renamed to {@code .tmp-del-*} and only then deleted. Every
 * operation holds {@code .lock} (a kernel file lock, freed when the process dies) and starts by removing what a
 * killed run left. Nothing outside the {@code snapshots} directory is touched. Callers prove quiescence through the
 * {@link QuiescenceCheck} they pass. Store files are 0600, directories 0700; snapshot contents keep their modes.
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  static final String KNOWN_GOOD = "known-good";
  static final String META = "meta.json";
  /** The volumes' change record (issue 17), next to the snapshots it refers to. */
  static final String CHANGE_RECORD = "change-record";
  private static final Pattern SNAP_DIR = Pattern.compile("snap-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}");
  private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  /** The native calls; null: the platform's ({@link #fs()}). */
  private final NativeFs fs;

  /** How long an operation waits for another one holding the store's lock. */
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(120);

  private final Duration lockWait;
  private final DeltaPlan.Limit deltaLimit;

  private SnapshotStore(Path dir, NativeFs fs, Duration lockWait, DeltaPlan.Limit deltaLimit) {
    this.dir = dir;
    this.fs = fs;
    this.lockWait = lockWait;
    this.deltaLimit = deltaLimit;
  }

  /** This store with another threshold past which a restore is full (tests; the default suits production). */
  SnapshotStore withDeltaLimit(int minEntries, double fraction) {
    return new SnapshotStore(dir, fs, lockWait, new DeltaPlan.Limit(minEntries, fraction));
  }

  /** This store, waiting at most {@code wait} for another operation's lock (then failing with BUSY). */
  public SnapshotStore withLockWait(Duration wait) {
    if (wait == null || wait.isNegative()) {
      throw SnapshotException.usage("lock wait must be zero or more seconds, got " + wait);
    }
    return new SnapshotStore(dir, fs, wait, deltaLimit);
  }

  /**
   * The store in {@code snapshotsDir}. Nothing is created here: the directory (0700, with missing parents 0700) is
   * made by the first snapshot, after its input was checked, so a refused command leaves the filesystem as it was.
   */
  public static SnapshotStore open(Path snapshotsDir) {
    return open(snapshotsDir, null);
  }

  /**
   * The native calls, looked up where an operation first needs them rather than when the store is opened: the
   * platform's binding (JNA's set-up, ~70 ms of CPU) may still be running on NativeWarmUp's thread, and the lookup
   * waits for it (its class-init lock). Asking at the copy instead of at the command's start leaves the warm-up the
   * store's lock, leftover sweep and temporary directories (~15-20 ms) to finish in (issue 15, row 3).
   */
  private NativeFs fs() {
    return fs != null ? fs : NativeFs.platform();
  }

  static SnapshotStore open(Path snapshotsDir, NativeFs fs) {
    Path d = snapshotsDir.toAbsolutePath().normalize();
    if (Files.isSymbolicLink(d)) {
      throw SnapshotException.usage("snapshot store " + d + " is a symlink");
    }
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw SnapshotException.usage("snapshot store " + d + " is not a directory");
    }
    return new SnapshotStore(d, fs, DEFAULT_LOCK_WAIT, DeltaPlan.Limit.DEFAULT);
  }

  /** Creates the store directory (and private parents) for the first snapshot. */
  private void createDirectory() {
    try {
      if (!Files.isDirectory(dir)) {
        // Missing parents (<root>/<app>) are created private too: volumes can hold secrets.
        Files.createDirectories(dir.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (FileAlreadyExistsException e) {
      // a concurrent first snapshot made it: fine, the lock serialises what follows
    } catch (IOException e) {
      throw new SnapshotException(SnapshotException.Kind.IO, "cannot create snapshot store " + dir + ": " + e, e);
    }
  }

  /** For operations that need an existing store: a missing one is bad input, and stays missing. */
  private void requireExists() {
    if (!Files.isDirectory(dir)) {
      throw SnapshotException.usage("no snapshot store at " + dir);
    }
  }

  /**
   * The store of {@code app} under the state root: {@code <stateRoot>/<app>/snapshots}. The name check here only
   * keeps the path inside the root; the app-name rule (warm-core's {@code Naming}, reserved names) is the composers'
   * to apply first ({@code StateStore.appDir}), since this leaf knows nothing of warm-core (DESIGN §2).
   */
  public static SnapshotStore forApp(Path stateRoot, String app) {
    if (app == null || !VOLUME_NAME.matcher(app).matches() || app.contains("..")) {
      throw SnapshotException.usage("invalid app name '" + app + "': use letters, digits, '.', '_', '-'");
    }
    return open(stateRoot.resolve(app).resolve("snapshots"));
  }

  public Path directory() {
    return dir;
  }

  // ---------------------------------------------------------------------------------------------------- snapshot

  /**
   * Snapshots {@code volumes} (name → directory) and makes the result the known-good (atomic replace, I3); the
   * previous known-good and any other snapshot are removed afterwards.
   */
  @SuppressWarnings("exports") // the authority's package is exported to warm.nightly only, on purpose (I1)
  public SnapshotMeta snapshotAsKnownGood(KnownGoodAuthority authority, Map<String, Path> volumes, SnapshotTag tag,
      QuiescenceCheck quiet, Progress progress) {
    Objects.requireNonNull(authority, "authority");
    validate(volumes); // bad input is refused before the store is created
    createDirectory();
    return locked(leftovers -> {
      SnapshotMeta meta = create(volumes, tag, quiet, progress);
      try {
        Durable.swapSymlink(dir.resolve(KNOWN_GOOD), "snap-" + meta.id());
        Steps.reached("swapped");
        removeAllBut(Set.of(meta.id()), null);
        Steps.reached("pruned");
      } catch (IOException e) {
        throw io("cannot make snapshot " + meta.id() + " the known-good", e);
      }
      return meta;
    });
  }

  /**
   * Takes a snapshot without touching the known-good (the next {@link #prune()} or snapshot removes it unless it is
   * made known-good first with {@link #makeKnownGood(KnownGoodAuthority, String)}).
   */
  public SnapshotMeta snapshot(Map<String, Path> volumes, SnapshotTag tag, QuiescenceCheck quiet, Progress progress) {
    validate(volumes);
    createDirectory();
    return locked(leftovers -> {
      SnapshotMeta meta = create(volumes, tag, quiet, progress);
      try {
        Durable.fsyncDir(dir); // the change record's rename (create leaves it to the caller)
      } catch (IOException e) {
        throw io("cannot sync " + dir, e);
      }
      return meta;
    });
  }

  /** Points {@code known-good} at an existing complete snapshot (atomic replace). */
  @SuppressWarnings("exports")
  public void makeKnownGood(KnownGoodAuthority authority, String id) {
    Objects.requireNonNull(authority, "authority");
    locked(leftovers -> {
      readMeta(snapDir(id));
      try {
        Durable.swapSymlink(dir.resolve(KNOWN_GOOD), "snap-" + id);
      } catch (IOException e) {
        throw io("cannot swap known-good to " + id, e);
      }
      return null;
    });
  }

  private SnapshotMeta create(Map<String, Path> volumes, SnapshotTag tag, QuiescenceCheck quiet, Progress progress) {
    Map<String, Path> vols = validate(volumes);
    vols.forEach(quiet::requireQuiet);
    String id = ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(randomBytes(4));
    Path tmp = dir.resolve(".tmp-snap-" + id);
    FileStore space = fileStore(); // once: each lookup reads /proc/mounts; each reading below is a statfs
    long freeBefore = unallocated(space);
    Engine.Copied copied = null;
    Background<ChangeRecord.Staged> staged = null;
    try {
      Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path data = Files.createDirectory(tmp.resolve("data"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Steps.reached("tmp-created");
      long preStart = ChangeRecord.nowNanos();
      Engine engine = new Engine(fs(), progress);
      Method chosen = engine.chooseMethod(vols, data);
      // The change record: the copy (reflink or tar) reports each object's stat before and after its copy.
      Map<String, SnapshotSeen> seen = new TreeMap<>();
      SnapshotFlush flush = new SnapshotFlush(); // the copy's walks tell it what they create; it chooses the flush
      long t0 = System.nanoTime();
      copied = engine.snapshot(vols, data, chosen, seen, flush);
      Method method = copied.method();
      Map<String, VolumeMeta> vm = new TreeMap<>();
      copied.manifests().forEach((name, s) -> vm.put(name, new VolumeMeta(name, s.logicalBytes(),
          s.allocatedBytes(), s.entries().size(), s.entries())));
      LOG.debug("copy and manifest by {} in {} ms", method.label(), (System.nanoTime() - t0) / 1_000_000);
      // Something that started meanwhile makes the copy worthless. A loop, not forEach(quiet::requireQuiet) again: a
      // second call site of that method reference was a lambda spun at run time (not in the AppCDS archive, ~1 ms).
      for (Map.Entry<String, Path> v : vols.entrySet()) {
        quiet.requireQuiet(v.getKey(), v.getValue());
      }
      // Independent pieces of work follow the copy, run side by side (issue 15: what runs alone after the copy pool is
      // what a snapshot pays above cp): the change record's encoding on another thread, the flush of a reflink/copy
      // snapshot's data on a third (mostly waiting for the disk; a tar snapshot's archives are flushed by the engine's
      // own thread, awaited below), the manifests' JSON here. The record file is renamed into place only once the
      // snapshot is published.
      Background<byte[]> record = Background.start("warm-record", () -> recordBytes(id, seen, preStart));
      Background<Void> synced = method == Method.TAR ? null
          : Background.start("warm-sync", new Flush(fs(), data, flush));
      byte[] volumesJson = MetaJson.volumes(vm);
      if (synced != null) {
        synced.join(); // before the free-space reading: the flush settles the allocation
      }
      long store = method == Method.TAR ? copied.archiveBytes() : Math.max(0, freeBefore - unallocated(space));
      // The record's temp file is written and fsynced on its own thread while this one writes meta.json and publishes
      // the snapshot; only its rename waits for the publish (issue 15, row 3: the record's write and fsync ran alone
      // after it). Started after the free-space reading, so that the record's blocks are not counted as the
      // snapshot's. A crash leaves a .tmp-change-record-* file, which the next operation removes (cleanLeftovers).
      Background<byte[]> encoded = record;
      staged = Background.start("warm-record-write", () -> {
        ChangeRecord.Staged s = ChangeRecord.stage(dir.resolve(CHANGE_RECORD), encoded.join());
        Steps.reached("record-staged");
        return s;
      });
      SnapshotMeta meta = new SnapshotMeta(SnapshotMeta.FORMAT, id, Instant.now().toString(), method, tag, store, vm);
      byte[] metaBytes = gzip(MetaJson.write(meta, volumesJson)); // while each archive's fsync runs (tar)
      if (method == Method.TAR) {
        copied.awaitDurable();
        Durable.fsyncDir(data); // each archive and index is durable now; their directory entries too
      }
      Steps.reached("flushed"); // data/ is durable (by whichever flush), nothing published yet
      // Written in place, not temp + rename: it is inside .tmp-snap-<id>, which the rename below publishes whole.
      Durable.writeNew(tmp.resolve(META), metaBytes);
      Steps.reached("meta-written");
      Durable.fsyncDir(tmp); // data/ and meta.json's entries, before the publishing rename
      Files.move(tmp, snapDir(id), StandardCopyOption.ATOMIC_MOVE);
      Durable.fsyncDir(dir);
      Steps.reached("renamed");
      publishRecord(id, staged);
      LOG.info("snapshot {} taken by {} ({} volumes, {} bytes logical; flushed by {})", id, method.label(), vm.size(),
          meta.logicalBytes(), method == Method.TAR ? "each archive's fsync" : flush.describe());
      return meta;
    } catch (IOException | RuntimeException e) {
      if (copied != null) {
        copied.awaitQuietly(); // no archive's sync still writes into tmp
      }
      removeQuietly(tmp);
      discardQuietly(staged);
      LOG.debug("snapshot failed", e);
      if (e instanceof SnapshotException se) {
        throw se;
      }
      if (e instanceof ChangedDuringCopyException c) {
        throw SnapshotException.busy("a volume is not quiet: " + c.getMessage() + "; stop what writes to it and"
            + " snapshot again (the partial snapshot was removed, the known-good is unchanged)");
      }
      if (isNoSpace(e)) {
        throw new SnapshotException(SnapshotException.Kind.NO_SPACE, "snapshot store " + dir
            + " ran out of space (" + e.getMessage() + "); the partial snapshot was removed", e);
      }
      throw io("snapshot failed", e);
    }
  }

  // ----------------------------------------------------------------------------------------------------- restore

  /**
   * Restores the known-good into {@code volumes} (which must name exactly the snapshot's volumes): empties each
   * directory's contents (the directory itself stays: Docker owns it), copies back, then verifies against the
   * manifest (content hashes too when {@code verifyContent}). Throws MISMATCH when the result differs.
   */
  public VerifyReport restore(Map<String, Path> volumes, QuiescenceCheck quiet, boolean verifyContent,
      Progress progress) {
    return locked(leftovers -> {
      Map<String, Path> vols = validate(volumes);
      String id = knownGoodId().orElseThrow(() -> SnapshotException.usage("no known-good snapshot in " + dir));
      Path snap = snapDir(id); // resolved once for the whole operation
      Path recordFile = dir.resolve(CHANGE_RECORD);
      // The change record (inflate, CRC-32C, 20k entries) is read on another thread while this one reads meta.json
      // (gunzip, JSON): neither needs the other, and both come before anything is planned or changed.
      Background<ChangeRecord.Loaded> record = Background.start("warm-record", () -> ChangeRecord.load(recordFile));
      SnapshotMeta meta = readMeta(snap);
      requireSameVolumes(meta, vols);
      vols.forEach(quiet::requireQuiet);
      Path data = snap.resolve("data");
      DeltaRestorer delta = new DeltaRestorer(fs());
      long t0 = System.nanoTime();
      Map<String, DeltaPlan> plans = plan(delta, loaded(record), id, meta, vols);
      long tPlan = System.nanoTime();
      Map<String, Path> full = new TreeMap<>();
      vols.forEach((name, d) -> {
        if (!plans.get(name).isDelta()) {
          full.put(name, d);
        }
      });
      if (!full.isEmpty()) {
        requireRoom(meta, snap, full);
      }
      try {
        // A killed restore must leave no record to trust: it goes before the first change and returns once verified.
        ChangeRecord.invalidate(recordFile);
      } catch (IOException e) {
        // A store that cannot be written (read-only, immutable) must not stop a rollback. The record then stays, so
        // this restore is full: its new inodes and ctimes match none of the entries that record describes, and the
        // next restore cannot take a delta from it.
        String why = "the change record " + recordFile + " cannot be removed (" + e.getMessage() + ")";
        LOG.warn("{}; restoring in full", why);
        Map<String, Path> nowFull = new TreeMap<>();
        plans.replaceAll((name, p) -> {
          if (p.isDelta()) {
            nowFull.put(name, vols.get(name));
            return DeltaPlan.refused(why);
          }
          return p;
        });
        if (!nowFull.isEmpty()) {
          requireRoom(meta, snap, nowFull);
          full.putAll(nowFull);
        }
      }
      Engine engine = new Engine(fs(), progress);
      Map<String, CopyDescription> described = new TreeMap<>();
      long tApply;
      try {
        for (Map.Entry<String, Path> v : vols.entrySet()) {
          DeltaPlan p = plans.get(v.getKey());
          if (p.isDelta()) {
            delta.apply(p, meta.method(), data, v.getKey(), v.getValue());
            Steps.reached("delta-applied");
          } else {
            restoreFull(engine, meta, data, v.getKey(), v.getValue(), verifyContent, described);
          }
        }
        tApply = System.nanoTime();
      } catch (IOException e) {
        throw io("restore of " + id + " failed (volumes are incomplete; restore again)", e);
      }
      // The flush runs beside the verification (issue 15, row 2: it mostly waits for the disk, the comparison is CPU):
      // neither needs the other, and the record is written only once both are done.
      Background<Void> flushed = Background.start("warm-sync", () -> {
        if (full.isEmpty()) {
          delta.flush(); // a delta made few files durable one by one: cheaper than syncfs of a shared filesystem
        } else {
          syncAll(vols);
        }
        return null;
      });
      Verified verified = verify(meta, snap, vols, verifyContent, described, id, tApply);
      VerifyReport r = verified.report();
      long tVerified = System.nanoTime();
      awaitFlush(flushed, id);
      LOG.debug("restore: plan {} ms, apply {} ms, verify {} ms beside the flush, then the flush {} ms more",
          (tPlan - t0) / 1_000_000, (tApply - tPlan) / 1_000_000, (tVerified - tApply) / 1_000_000,
          (System.nanoTime() - tVerified) / 1_000_000);
      RestoreOutcome outcome = outcome(meta, plans, null);
      if (!r.identical() && !plans.values().stream().allMatch(p -> !p.isDelta())) {
        // The delta's result is not the known-good (a change the record could not see): fall back to a full restore.
        String why = "a delta restore's result differed from the known-good (" + r.differences().get(0) + ")";
        LOG.warn("{}; restoring in full", why);
        try {
          requireRoom(meta, snap, vols);
        } catch (SnapshotException e) {
          throw new SnapshotException(e.kind(), why + ", and a full restore does not fit: " + e.getMessage()
              .replace("; nothing was changed", "") + "; the volumes are incomplete: free space and restore again", e);
        }
        described.clear();
        try {
          for (Map.Entry<String, Path> v : vols.entrySet()) {
            restoreFull(engine, meta, data, v.getKey(), v.getValue(), verifyContent, described);
          }
          tApply = System.nanoTime();
        } catch (IOException e) {
          throw io("restore of " + id + " failed (volumes are incomplete; restore again)", e);
        }
        Background<Void> refreshed = Background.start("warm-sync", () -> {
          syncAll(vols);
          return null;
        });
        verified = verify(meta, snap, vols, verifyContent, described, id, tApply);
        r = verified.report();
        awaitFlush(refreshed, id);
        outcome = outcome(meta, Map.of(), why);
      }
      if (!r.identical()) {
        throw new SnapshotException(SnapshotException.Kind.MISMATCH, "restored volumes differ from snapshot " + id
            + " (" + r.differenceCount() + " differences; first: " + r.differences().get(0) + ")");
      }
      Steps.reached("verified");
      try {
        ChangeRecord.write(recordFile, verified.recordBytes(id));
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not write the change record {} ({}); the next restore will be full", recordFile,
            e.getMessage());
      }
      outcome = outcome.withMillis((System.nanoTime() - t0) / 1_000_000);
      LOG.info("restored snapshot {} into {} volumes ({}{}, {} entries touched), verified {} entries", id,
          vols.size(), outcome.kind(), outcome.fullReason() == null ? "" : ": " + outcome.fullReason(),
          outcome.entriesTouched(), r.entriesCompared());
      return r.withRestore(outcome);
    });
  }

  /**
   * A restore's verification and the change record's entries it yields (the record is written only if the restore
   * verified). When every volume was described by its own copy (a full reflink restore at the default level), the
   * record's entries are known before the comparison starts: they are encoded on another thread meanwhile (issue 15,
   * row 2: deflate, a checksum and 20k entries ran alone after the copy), which also waits out the clock margin after
   * the last write ({@code lastWrite}); the comparison needs no margin. Otherwise the comparison's scan collects the
   * entries, once the margin is over.
   */
  private Verified verify(SnapshotMeta meta, Path snap, Map<String, Path> vols, boolean verifyContent,
      Map<String, CopyDescription> described, String id, long lastWrite) {
    if (!described.keySet().equals(vols.keySet())) {
      ChangeRecord.settle(lastWrite); // the margin runs from the last write: the copy's tail usually covers it
      ChangeRecord.Collector seen = new ChangeRecord.Collector(); // after the settle: its start is the margin's end
      return new Verified(compare(meta, snap, vols, verifyContent, seen, described), null, seen);
    }
    Background<byte[]> encoding = Background.start("warm-record", () -> {
      ChangeRecord.settle(lastWrite);
      ChangeRecord.Collector seen = new ChangeRecord.Collector();
      described.forEach((name, d) -> seen.described(name, d.seen()));
      return seen.record(id).stored();
    });
    return new Verified(compare(meta, snap, vols, verifyContent, null, described), encoding, null);
  }

  /** Waits for a restore's flush of the volumes; its failure fails the restore (nothing is recorded). */
  private static void awaitFlush(Background<Void> flushed, String id) {
    try {
      flushed.join();
    } catch (IOException e) {
      throw io("restore of " + id + " failed (volumes are incomplete; restore again)", e);
    }
  }

  /** {@link #verify}'s result: the comparison, and the record's bytes encoded meanwhile or still to encode. */
  private record Verified(VerifyReport report, Background<byte[]> encoding, ChangeRecord.Collector seen) {
    byte[] recordBytes(String id) throws IOException {
      return encoding != null ? encoding.join() : seen.record(id).stored();
    }
  }

  /**
   * Restores one volume in full. A reflink/copy restore at the default level describes what it creates as the
   * kernel has it after its last change to each object ({@code described} gets it): the verification and the change
   * record then come from that instead of a second walk of the volume. {@code verifyContent} (and the tar path)
   * re-scan the volume instead.
   */
  private void restoreFull(Engine engine, SnapshotMeta meta, Path data, String name, Path dir, boolean verifyContent,
      Map<String, CopyDescription> described) throws IOException {
    CopyDescription d = !verifyContent && meta.method() != Method.TAR ? new CopyDescription(fs()) : null;
    engine.restore(meta.method(), data, name, dir, meta.volumes().get(name).manifest(), d);
    if (d != null) {
      described.put(name, d);
    }
    Steps.reached("restored");
  }

  /** Per volume, the delta to apply or why the restore of it is full; nothing is changed. */
  private Map<String, DeltaPlan> plan(DeltaRestorer delta, ChangeRecord.Loaded loaded, String id, SnapshotMeta meta,
      Map<String, Path> vols) {
    Map<String, DeltaPlan> plans = new TreeMap<>();
    for (Map.Entry<String, Path> v : vols.entrySet()) {
      DeltaPlan p;
      if (loaded.record() == null) {
        p = DeltaPlan.refused(loaded.refusal());
      } else if (!loaded.record().knownGoodId().equals(id)) {
        p = DeltaPlan.refused("the change record is of snapshot " + loaded.record().knownGoodId()
            + ", the known-good is " + id);
      } else if (meta.method() == Method.TAR
          && !Files.exists(warm.snapshot.internal.TarIndex.fileOf(snapDir(id).resolve("data")
          .resolve(v.getKey() + ".tar")))) {
        p = DeltaPlan.refused("the known-good has no tar member index (taken before delta restores existed)");
      } else {
        try {
          p = delta.plan(loaded.record(), v.getKey(), v.getValue(), meta.volumes().get(v.getKey()).manifest(),
              deltaLimit);
          if (p.isDelta()) {
            // A delta writes before it could free (it removes first, but removed inodes may live on as hard links):
            // what it writes must fit in what is free now; else the full restore and its own room check decide.
            long need = delta.bytesToWrite(p, meta.method(), snapDir(id).resolve("data"), v.getKey(), v.getValue());
            long free = Files.getFileStore(v.getValue()).getUsableSpace();
            if (need > free) {
              p = DeltaPlan.refused("a delta needs " + need + " bytes on the filesystem of " + v.getValue()
                  + ", which has " + free + " free");
            }
          }
        } catch (IOException e) {
          p = DeltaPlan.refused("cannot read the volume to plan a delta: " + e.getMessage());
        }
      }
      plans.put(v.getKey(), p);
    }
    return plans;
  }

  /** The record {@link ChangeRecord#load} read; anything it threw is a record not to trust (a full restore). */
  private static ChangeRecord.Loaded loaded(Background<ChangeRecord.Loaded> record) {
    try {
      return record.join();
    } catch (IOException | RuntimeException e) {
      return new ChangeRecord.Loaded(null, "change record unreadable: " + e.getMessage());
    }
  }

  private static RestoreOutcome outcome(SnapshotMeta meta, Map<String, DeltaPlan> plans, String forced) {
    if (forced != null) {
      return new RestoreOutcome(RestoreOutcome.FULL, forced, totalEntries(meta), List.of());
    }
    int touched = 0;
    String why = null;
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, DeltaPlan> e : plans.entrySet()) {
      DeltaPlan p = e.getValue();
      if (p.isDelta()) {
        touched += p.touched();
        for (String r : p.remove()) {
          if (changed.size() < RestoreOutcome.MAX_LISTED) {
            changed.add(e.getKey() + ": " + r);
          }
        }
        for (ManifestEntry m : p.restore()) {
          if (changed.size() < RestoreOutcome.MAX_LISTED && !p.remove().contains(m.path())) {
            changed.add(e.getKey() + ": " + m.path());
          }
        }
      } else {
        touched += meta.volumes().get(e.getKey()).manifest().size();
        why = why == null ? e.getKey() + ": " + p.refusal() : why;
      }
    }
    return why == null ? new RestoreOutcome(RestoreOutcome.DELTA, null, touched, changed)
        : new RestoreOutcome(RestoreOutcome.FULL, why, touched, List.of());
  }

  private static int totalEntries(SnapshotMeta meta) {
    return meta.volumes().values().stream().mapToInt(v -> v.manifest().size()).sum();
  }

  private void syncAll(Map<String, Path> vols) throws IOException {
    for (Path v : vols.values()) {
      fs().syncFilesystem(v);
    }
  }

  /**
   * The change record after a snapshot, as the file's bytes (null: too many entries to keep one), trusting only
   * entries that were the same before the copy began and after it (so nothing changed under the copy; a later change
   * moves ctime): {@code seen} is what the copy (reflink or tar) saw of each object before and after copying it — two
   * observations per object without a walk before the copy and another after it. A volume missing from it is missing
   * from the record (the next restore of it is full).
   */
  private static byte[] recordBytes(String id, Map<String, SnapshotSeen> seen, long preStart) throws IOException {
    return ChangeRecord.ofSnapshot(id, preStart, seen).stored();
  }

  /**
   * Renames the record staged on its own thread into place, once the snapshot is published. A failure here (or in
   * the staging) costs the next restore its delta, nothing else.
   */
  private void publishRecord(String id, Background<ChangeRecord.Staged> staged) {
    Path recordFile = dir.resolve(CHANGE_RECORD);
    try {
      // The directory's fsync that makes the record's rename durable is the caller's next one: the known-good
      // swap's (snapshotAsKnownGood) or the one snapshot() ends with.
      staged.join().publish();
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not record the volumes after snapshot {} ({}); the next restore will be full", id,
          e.getMessage());
      try {
        ChangeRecord.invalidate(recordFile);
      } catch (IOException ignored) {
        // the record names another id then, or is torn: either way it is not trusted
      }
    }
  }

  /**
   * Refuses a restore that cannot fit before anything is emptied (D5: a restore onto a small filesystem emptied the
   * volume, filled the disk, and could never succeed). Data is written (not cloned) by the tar path and across
   * filesystems; it needs the snapshot's allocated size, holes excluded, on each volume's filesystem, where emptying
   * the volume first frees what it holds now.
   */
  private void requireRoom(SnapshotMeta meta, Path snap, Map<String, Path> vols) {
    Map<FileStore, Long> need = new HashMap<>();
    Map<FileStore, List<Path>> on = new HashMap<>();
    try {
      FileStore storeFs = Files.getFileStore(snap);
      for (Map.Entry<String, Path> v : vols.entrySet()) {
        FileStore target = Files.getFileStore(v.getValue());
        long alloc = meta.volumes().get(v.getKey()).allocatedBytes();
        if ((meta.method() != Method.TAR && target.equals(storeFs)) || alloc < 0) {
          continue; // clones share extents: no data space needed (or the size is unknown)
        }
        need.merge(target, alloc, Long::sum);
        on.computeIfAbsent(target, k -> new ArrayList<>()).add(v.getValue());
      }
      for (Map.Entry<FileStore, Long> n : need.entrySet()) {
        long free = n.getKey().getUsableSpace();
        if (free >= n.getValue()) {
          continue;
        }
        long freed = 0;
        for (Path v : on.get(n.getKey())) {
          freed += new ManifestScanner(fs()).scan(v, false).allocatedBytes();
        }
        if (free + freed < n.getValue()) {
          throw new SnapshotException(SnapshotException.Kind.NO_SPACE, "restore of snapshot " + meta.id()
              + " needs " + n.getValue() + " bytes on the filesystem of " + on.get(n.getKey()) + ", which has "
              + free + " free and " + freed + " more once the volumes are emptied; nothing was changed");
        }
      }
    } catch (IOException e) {
      throw io("cannot measure free space for the restore", e);
    }
  }

  /** Compares {@code volumes} with the known-good's manifest (no change to anything). */
  public VerifyReport verify(Map<String, Path> volumes, boolean verifyContent) {
    return locked(leftovers -> {
      Map<String, Path> vols = validate(volumes);
      String id = knownGoodId().orElseThrow(() -> SnapshotException.usage("no known-good snapshot in " + dir));
      Path snap = snapDir(id);
      SnapshotMeta meta = readMeta(snap);
      requireSameVolumes(meta, vols);
      return compare(meta, snap, vols, verifyContent);
    });
  }

  private VerifyReport compare(SnapshotMeta meta, Path snap, Map<String, Path> vols, boolean content) {
    return compare(meta, snap, vols, content, null, Map.of());
  }

  /**
   * Compares each volume with the known-good's manifest: a volume in {@code described} by what its restore's copy
   * said of the objects it created (no walk), every other one by a scan of it. {@code seen} (if non-null) collects
   * the change record's entries from the same source.
   */
  private VerifyReport compare(SnapshotMeta meta, Path snap, Map<String, Path> vols, boolean content,
      ChangeRecord.Collector seen, Map<String, CopyDescription> described) {
    int compared = 0;
    int count = 0;
    List<String> listed = new ArrayList<>();
    ManifestScanner scanner = new ManifestScanner(fs());
    Engine engine = new Engine(fs(), Progress.none());
    try {
      for (Map.Entry<String, Path> v : vols.entrySet()) {
        List<ManifestEntry> expected = meta.volumes().get(v.getKey()).manifest();
        if (content) {
          Map<String, String> hashes = engine.contentHashes(meta.method(), snap.resolve("data"), v.getKey());
          expected = expected.stream().map(e -> e.type() == ManifestEntry.Type.FILE
              ? e.withSha256(hashes.getOrDefault(e.path(), "missing-from-snapshot")) : e).toList();
        }
        CopyDescription d = described.get(v.getKey());
        List<ManifestEntry> actual;
        if (d != null) {
          actual = d.manifest().entries();
          if (seen != null) {
            seen.described(v.getKey(), d.seen());
          }
        } else {
          actual = scanner.scan(v.getValue(), content, seen == null ? null : seen.volume(v.getKey())).entries();
        }
        ManifestComparer.Result r = ManifestComparer.compare(v.getKey(), expected, actual);
        compared += expected.size();
        count += r.count();
        listed.addAll(r.listed());
      }
    } catch (IOException e) {
      throw io("verify failed", e);
    }
    return new VerifyReport(meta.id(), compared, content, count,
        List.copyOf(listed.subList(0, Math.min(listed.size(), ManifestComparer.MAX_LISTED))));
  }

  // ------------------------------------------------------------------------------------------- list, prune, read

  /** The id of the known-good snapshot, if any. */
  public Optional<String> knownGoodId() {
    Path link = dir.resolve(KNOWN_GOOD);
    try {
      String target = Files.readSymbolicLink(link).toString();
      if (!SNAP_DIR.matcher(target).matches()) {
        throw new SnapshotException(SnapshotException.Kind.IO, "known-good points at unexpected " + target);
      }
      return Optional.of(target.substring("snap-".length()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw io("cannot read " + link, e);
    }
  }

  /** The known-good's meta, if there is one. */
  public Optional<SnapshotMeta> knownGood() {
    return knownGoodId().map(id -> readMeta(snapDir(id)));
  }

  /** The meta of snapshot {@code id}. */
  public SnapshotMeta meta(String id) {
    return readMeta(snapDir(id));
  }

  /** Every complete snapshot, oldest first. */
  public List<SnapshotInfo> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    String kg = knownGoodId().orElse(null);
    List<SnapshotInfo> out = new ArrayList<>();
    for (Path p : children()) {
      String name = p.getFileName().toString();
      if (!SNAP_DIR.matcher(name).matches()) {
        continue;
      }
      String id = name.substring("snap-".length());
      try {
        out.add(new SnapshotInfo(id, id.equals(kg), readMeta(p), Map.of()));
      } catch (SnapshotException e) {
        out.add(new SnapshotInfo(id, id.equals(kg), null, Map.of("meta", e.getMessage())));
      }
    }
    return out;
  }

  /**
   * Removes leftovers of killed runs and every snapshot superseded by the known-good, except those in
   * {@code named} (snapshots a record such as {@code canonical.json} names). Without a known-good link it removes
   * no snapshot at all: a missing link is damage to repair ({@link #repairKnownGood}), not "nothing is known-good"
   * (D2). Returns what was removed (names relative to the store).
   */
  public List<String> prune(Set<String> named) {
    return prune(named, null);
  }

  /**
   * {@link #prune(Set)} limited to the snapshots in {@code only} (ids): {@code warm prune} removes exactly what it
   * listed, even if another snapshot was superseded since. The rules still apply to each listed id (never the
   * known-good, never a named one, nothing without a known-good link); leftovers are removed as by every operation.
   *
   * @param only the ids that may go; null means every superseded snapshot
   */
  public List<String> prune(Set<String> named, Set<String> only) {
    return locked(leftovers -> {
      List<String> removed = new ArrayList<>(leftovers);
      Optional<String> kg = knownGoodId();
      if (kg.isEmpty()) {
        LOG.warn("{} has no known-good link: no snapshot removed", dir);
        return removed;
      }
      Set<String> keep = new HashSet<>(named);
      keep.add(kg.get());
      try {
        removed.addAll(removeAllBut(keep, only));
        return removed;
      } catch (IOException e) {
        throw io("prune failed", e);
      }
    });
  }

  /**
   * Points a missing {@code known-good} link at snapshot {@code id} (complete, with a readable meta) and returns
   * true; returns false and changes nothing when the link exists, whatever it points at.
   */
  @SuppressWarnings("exports")
  public boolean repairKnownGood(KnownGoodAuthority authority, String id) {
    Objects.requireNonNull(authority, "authority");
    return locked(leftovers -> {
      if (Files.exists(dir.resolve(KNOWN_GOOD), LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      readMeta(snapDir(id));
      try {
        Durable.swapSymlink(dir.resolve(KNOWN_GOOD), "snap-" + id);
      } catch (IOException e) {
        throw io("cannot repair known-good to " + id, e);
      }
      LOG.warn("known-good link of {} was missing; repaired to {}", dir, id);
      return true;
    });
  }

  private List<String> removeAllBut(Set<String> keepIds, Set<String> only) throws IOException {
    List<String> removed = new ArrayList<>();
    for (Path p : children()) {
      String name = p.getFileName().toString();
      String id = name.substring(Math.min(name.length(), "snap-".length()));
      if (SNAP_DIR.matcher(name).matches() && !keepIds.contains(id) && (only == null || only.contains(id))) {
        // Rename first: a crash mid-delete must never leave a partial snap-* directory.
        Path doomed = dir.resolve(".tmp-del-" + name);
        Files.move(p, doomed, StandardCopyOption.ATOMIC_MOVE);
        Durable.fsyncDir(dir);
        Steps.reached("old-renamed");
        TreeCopier.deleteTree(doomed);
        removed.add(name);
      }
    }
    return removed;
  }

  /**
   * Names of the {@code .tmp-*} entries in the store now, sorted; changes nothing. Under the store's lock they are
   * leftovers of killed runs (every operation removes them first); without it one may be a running operation's work.
   */
  public List<String> leftovers() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    return children().stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList();
  }

  /** Removes {@code .tmp-*} leftovers of killed runs (called under the lock by every operation). */
  private List<String> cleanLeftovers() {
    List<String> removed = new ArrayList<>();
    for (Path p : children()) {
      if (p.getFileName().toString().startsWith(".tmp-")) {
        LOG.info("removing leftover {} of an interrupted operation", p.getFileName());
        removeQuietly(p);
        removed.add(p.getFileName().toString());
      }
    }
    return removed;
  }

  private List<Path> children() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw io("cannot list " + dir, e);
    }
  }

  private SnapshotMeta readMeta(Path snap) {
    Path m = snap.resolve(META);
    try {
      byte[] b = Files.readAllBytes(m);
      if (b.length > 1 && b[0] == (byte) 0x1f && b[1] == (byte) 0x8b) { // gzip magic; plain JSON starts with '{'
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
          b = in.readAllBytes();
        }
      }
      return MetaJson.read(b);
    } catch (NoSuchFileException e) {
      throw SnapshotException.usage("no such snapshot: " + snap.getFileName());
    } catch (IOException e) {
      throw io("cannot read " + m, e);
    }
  }

  /**
   * meta.json is stored gzip-compressed (read back either way): the manifest of 20k small files is 2 MiB of JSON, 1 %
   * of their data, which made a reflinked known-good cost 1.2× the disk of a {@code cp --reflink} copy (issue 15).
   * zlib's fastest level: a third of the default level's time for 2 MiB (~7 vs ~22 ms) on the snapshot's serial
   * path, for ~12 % more bytes (203 vs 181 KiB for 20k entries; row 6 of issue 15 stays 1.04–1.05).
   */
  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 8 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  private Path snapDir(String id) {
    if (id == null || !SNAP_DIR.matcher("snap-" + id).matches()) {
      throw SnapshotException.usage("invalid snapshot id '" + id + "'");
    }
    return dir.resolve("snap-" + id);
  }

  // ------------------------------------------------------------------------------------------------------ helpers


  /** An operation under the store lock; it is told which leftovers of killed runs were just removed. */
  private interface Op<T> {
    T run(List<String> leftovers);
  }

  /**
   * Runs {@code op} holding {@code .lock} (a kernel lock: a killed holder frees it). Waits for another holder at
   * most {@link #lockWait}, saying so once, then fails naming the holder's pid (D10: a verify behind a stopped
   * snapshot used to wait silently forever). The app lock of warm-core ({@code LockFile}) works alike; this leaf
   * may not depend on it (DESIGN §2), and the store's lock only serialises access to its own directory.
   */
  private <T> T locked(Op<T> op) {
    requireExists();
    Path lock = dir.resolve(".lock");
    try (FileChannel ch = FileChannel.open(lock, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock l = acquire(ch, lock)) {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return op.run(cleanLeftovers());
    } catch (IOException e) {
      throw io("cannot lock " + lock, e);
    }
  }

  private FileLock acquire(FileChannel ch, Path lock) throws IOException {
    FileLock l = ch.tryLock();
    if (l != null) {
      return l;
    }
    long deadline = System.nanoTime() + lockWait.toNanos();
    LOG.warn("snapshot store {} is in use by pid {}; waiting up to {} s", dir, holder(lock), lockWait.toSeconds());
    while ((l = ch.tryLock()) == null) {
      if (System.nanoTime() - deadline >= 0) {
        throw SnapshotException.busy("snapshot store " + dir + " is still in use by pid " + holder(lock)
            + " after " + lockWait.toSeconds() + " s (another snapshot, restore or verify); nothing was changed");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw SnapshotException.busy("interrupted while waiting for snapshot store " + dir);
      }
    }
    return l;
  }

  private static String holder(Path lock) {
    try {
      String pid = Files.readString(lock, StandardCharsets.US_ASCII).trim();
      return pid.matches("[0-9]{1,10}") ? pid : "?";
    } catch (IOException e) {
      return "?";
    }
  }

  private Map<String, Path> validate(Map<String, Path> volumes) {
    if (volumes == null || volumes.isEmpty()) {
      throw SnapshotException.usage("no volumes given");
    }
    Map<String, Path> out = new TreeMap<>();
    for (Map.Entry<String, Path> v : volumes.entrySet()) {
      String name = v.getKey();
      if (name == null || !VOLUME_NAME.matcher(name).matches() || name.contains("..")) {
        throw SnapshotException.usage("invalid volume name '" + name + "': use letters, digits, '.', '_', '-'");
      }
      Path d = v.getValue().toAbsolutePath().normalize();
      if (Files.isSymbolicLink(d) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        throw SnapshotException.usage("volume " + name + ": " + d + " is not a directory");
      }
      if (dir.startsWith(d) || d.startsWith(dir)) {
        throw SnapshotException.usage("volume " + name + ": " + d + " and the snapshot store " + dir + " overlap");
      }
      out.put(name, d);
    }
    return out;
  }

  private static void requireSameVolumes(SnapshotMeta meta, Map<String, Path> vols) {
    if (!meta.volumes().keySet().equals(vols.keySet())) {
      throw SnapshotException.usage("snapshot " + meta.id() + " holds volumes " + meta.volumes().keySet()
          + " but " + vols.keySet() + " were given");
    }
  }

  /** The store's filesystem, or null when it cannot be looked up (then the snapshot's size reads 0). */
  private FileStore fileStore() {
    try {
      return Files.getFileStore(dir);
    } catch (IOException e) {
      return null;
    }
  }

  private static long unallocated(FileStore space) {
    try {
      return space == null ? 0 : space.getUnallocatedSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * A reflink/copy snapshot's flush: every cloned/copied file and directory is durable before the snapshot is
   * published, by the fsyncs or the {@code syncfs} {@code flush} chose. A named class, not a lambda: the AppCDS
   * archive's training snapshot takes the tar path, which never makes this one, so a lambda was spun at run time by
   * every reflink snapshot (~1 ms on the main thread).
   */
  private record Flush(NativeFs fs, Path data, SnapshotFlush flush) implements Callable<Void> {
    @Override
    public Void call() throws IOException {
      long t0 = System.nanoTime();
      flush.run(fs, data);
      if (LOG.isDebugEnabled()) {
        LOG.debug("flush: {} in {} ms", flush.describe(), (System.nanoTime() - t0) / 1_000_000);
      }
      return null;
    }
  }

  /** A failed snapshot's staged record: waited for (it may still be writing) and its temp file removed. */
  private static void discardQuietly(Background<ChangeRecord.Staged> staged) {
    if (staged == null) {
      return;
    }
    try {
      staged.join().discard();
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not discard the staged change record", e);
    }
  }

  /** The JDK leaves the reason of its common file errors empty and says it with the class (D6's bare path). */
  private static String reason(FileSystemException e) {
    if (e.getReason() != null) {
      return e.getReason();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory (removed while the operation ran?)";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    return e.getClass().getSimpleName();
  }

  private static boolean isNoSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded") || m.contains("ENOSPC"))) {
        return true;
      }
    }
    return false;
  }

  private static void removeQuietly(Path p) {
    try {
      TreeCopier.deleteTree(p);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", p, e.getMessage());
    }
  }

  /**
   * The id's random part. Uniqueness, not secrecy: ids are made under the store's lock, a second in their time part,
   * and the snapshot's directory is created exclusively (an id that exists fails, never overwrites). So
   * ThreadLocalRandom (seeded from the clocks) instead of a SecureRandom, whose start (providers, /dev/random) was a
   * few ms of a snapshot's fixed cost (issue 15).
   */
  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static SnapshotException io(String what, Exception e) {
    if (e instanceof SnapshotException se) {
      return se;
    }
    String msg = e instanceof FileSystemException fse ? fse.getFile() + ": " + reason(fse)
        : String.valueOf(e.getMessage());
    if (isNoSpace(e)) {
      return new SnapshotException(SnapshotException.Kind.NO_SPACE, what + ": " + msg, e);
    }
    if (e instanceof SafePaths.UnsafeEntryException) {
      return new SnapshotException(SnapshotException.Kind.IO, what + ": unsafe archive: " + msg, e);
    }
    return new SnapshotException(SnapshotException.Kind.IO, what + ": " + msg, e);
  }
}
