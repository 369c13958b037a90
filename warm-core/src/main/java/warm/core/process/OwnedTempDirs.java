package warm.core.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.IoReasons;
import warm.core.fs.TreeDeletion;

/**
 * Scratch directories named for the process that made them, {@code <tmp>/<prefix><pid>-<random>}: removed by their
 * maker when done; one killed before that leaves it, and the next maker of the same prefix removes the directories
 * whose owner is not running any more. The owner is the pid in the name; it is running when a process of that pid
 * exists and started before the directory was last written (a process that started later only reuses the pid). A
 * directory of the prefix named without a pid (by a version that did not write it) is removed once older than
 * {@link #UNNAMED_BOUND}. Only directories of this user are looked at, never through a symbolic link. The nightly's
 * work directory ({@code warm-nightly-}) and the swarm adapter's deploy trees ({@code warm-deploy-}) use it.
 */
public final class OwnedTempDirs {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedTempDirs.class);
  /** Far longer than any night or deploy, so a run of an older version still going is never cut short. */
  static final Duration UNNAMED_BOUND = Duration.ofDays(7);

  private final Path tmp;
  private final String prefix;
  private final Clock clock;

  /** Directories {@code <tmp>/<prefix>…}; {@code prefix} ends with {@code -}, e.g. {@code warm-deploy-}. */
  public OwnedTempDirs(Path tmp, String prefix, Clock clock) {
    this.tmp = tmp;
    this.prefix = prefix;
    this.clock = clock;
  }

  /** In the JVM's temp directory ({@code java.io.tmpdir}), by the system clock. */
  public static OwnedTempDirs inTmp(String prefix) {
    return new OwnedTempDirs(Path.of(System.getProperty("java.io.tmpdir")), prefix, Clock.systemUTC());
  }

  /** A new directory, named for this process. */
  public Path create() throws IOException {
    return Files.createTempDirectory(tmp, prefix + ProcessHandle.current().pid() + "-");
  }

  /** Removes the directories whose maker is not running any more; returns them. Failures are logged only. */
  public List<Path> removeDead() {
    List<Path> removed = new ArrayList<>();
    // No glob and no regex: in a fresh JVM their first use costs 40-160 ms of class loading (measured at load 9).
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
      Object me = null;
      for (Path d : s) {
        String name = d.getFileName().toString();
        if (!name.startsWith(prefix) || pidOf(name) == NOT_OURS) {
          continue;
        }
        try {
          // Numeric owner and no name lookups: this runs before every deploy.
          Map<String, Object> a = Files.readAttributes(d, "unix:uid,isDirectory,lastModifiedTime",
              LinkOption.NOFOLLOW_LINKS);
          if (me == null) {
            me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
          }
          if (!Boolean.TRUE.equals(a.get("isDirectory")) || !me.equals(a.get("uid"))) {
            continue;
          }
          Optional<String> why = dead(name, ((FileTime) a.get("lastModifiedTime")).toInstant());
          if (why.isPresent()) {
            List<TreeDeletion.Failure> failures = TreeDeletion.deleteAll(d);
            if (failures.isEmpty()) {
              LOG.info("removed {}: {}", d, why.get());
              removed.add(d);
            }
            for (TreeDeletion.Failure f : failures) {
              LOG.warn("cannot remove {} of an earlier run: {}", d, f.describe());
            }
          }
        } catch (IOException e) {
          LOG.warn("cannot remove {} of an earlier run: {}", d, IoReasons.of(e));
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot look for earlier runs' directories in {}: {}", tmp, IoReasons.of(e));
    }
    return removed;
  }

  /** Why the maker of a directory of that name, last written then, is not running; empty when it may be. */
  Optional<String> dead(String name, Instant written) {
    long pid = pidOf(name);
    if (pid > 0) {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty() || !p.get().isAlive()) {
        return Optional.of("its maker (pid " + pid + ") is not running");
      }
      Optional<Instant> started = p.get().info().startInstant();
      if (started.isPresent() && started.get().isAfter(written)) {
        return Optional.of("pid " + pid + " is a process started at " + started.get() + ", after the directory was"
            + " last written (" + written + "): not its maker");
      }
      return Optional.empty();
    }
    if (pid == UNNAMED) {
      Duration age = Duration.between(written, clock.instant());
      if (age.compareTo(UNNAMED_BOUND) >= 0) {
        return Optional.of("no owner in its name and last written " + written + ", more than "
            + UNNAMED_BOUND.toDays() + " days ago");
      }
    }
    return Optional.empty();
  }

  private static final long UNNAMED = 0;
  private static final long NOT_OURS = -1;

  /**
   * The pid in {@code <prefix><pid>-<digits>}; {@link #UNNAMED} for {@code <prefix><digits>} (an older version's
   * name); {@link #NOT_OURS} for anything else.
   */
  long pidOf(String name) {
    String rest = name.substring(prefix.length());
    int dash = rest.indexOf('-');
    if (dash < 0) {
      return digits(rest) ? UNNAMED : NOT_OURS;
    }
    String pid = rest.substring(0, dash);
    if (!digits(pid) || pid.length() > 10 || !digits(rest.substring(dash + 1))) {
      return NOT_OURS;
    }
    long n = Long.parseLong(pid);
    return n > 0 ? n : NOT_OURS;
  }

  private static boolean digits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
