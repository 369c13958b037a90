package warm.nightly.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly's work directories for cold results, {@code <tmp>/warm-nightly-<pid>-<random>}: one per night, removed
 * by the night that made it; a night killed before that leaves it, and the next night removes the directories whose
 * owner is not running any more. The owner is the pid in the name; it is running when a process of that pid exists
 * and started before the directory was last written (a process that started later only reuses the pid). A directory
 * named without a pid (by a version that did not write it) is removed once older than {@link #UNNAMED_BOUND}. Only
 * directories of this user are looked at, never through a symbolic link.
 */
final class NightlyWorkDirs {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyWorkDirs.class);
  static final String PREFIX = "warm-nightly-";
  /** Far longer than a night of any size, so a night of an older version still running is never cut short. */
  static final Duration UNNAMED_BOUND = Duration.ofDays(7);
  private static final Pattern WITH_PID = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,10})-\\d+");
  private static final Pattern UNNAMED = Pattern.compile(Pattern.quote(PREFIX) + "\\d+");

  private final Path tmp;
  private final Clock clock;

  NightlyWorkDirs(Path tmp, Clock clock) {
    this.tmp = tmp;
    this.clock = clock;
  }

  /** This night's directory, named for this process. */
  Path create() throws IOException {
    return Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
  }

  /** Removes the directories of nights that are not running any more; returns them. Failures are logged only. */
  List<Path> removeDead() {
    List<Path> removed = new ArrayList<>();
    String me = System.getProperty("user.name");
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path d : s) {
        try {
          PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (!a.isDirectory() || !a.owner().getName().equals(me)) {
            continue;
          }
          Optional<String> why = dead(d.getFileName().toString(), a.lastModifiedTime().toInstant());
          if (why.isPresent()) {
            deleteTree(d);
            LOG.info("nightly: removed {}: {}", d, why.get());
            removed.add(d);
          }
        } catch (IOException | UncheckedIOException e) {
          LOG.warn("nightly: cannot remove {} of an earlier night: {}", d, e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warn("nightly: cannot look for earlier nights' directories in {}: {}", tmp, e.getMessage());
    }
    return removed;
  }

  /** Why the night that made a directory of that name, last written then, is not running; empty when it may be. */
  Optional<String> dead(String name, Instant written) {
    Matcher m = WITH_PID.matcher(name);
    if (m.matches()) {
      long pid = Long.parseLong(m.group(1));
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty() || !p.get().isAlive()) {
        return Optional.of("its nightly (pid " + pid + ") is not running");
      }
      Optional<Instant> started = p.get().info().startInstant();
      if (started.isPresent() && started.get().isAfter(written)) {
        return Optional.of("pid " + pid + " is a process started at " + started.get() + ", after the directory was"
            + " last written (" + written + "): not its nightly");
      }
      return Optional.empty();
    }
    if (UNNAMED.matcher(name).matches()) {
      Duration age = Duration.between(written, clock.instant());
      if (age.compareTo(UNNAMED_BOUND) >= 0) {
        return Optional.of("no owner in its name and last written " + written + ", more than "
            + UNNAMED_BOUND.toDays() + " days ago");
      }
    }
    return Optional.empty();
  }

  /** Deletes bottom-up; {@link Files#walk} does not follow links, so nothing outside the directory goes. */
  private static void deleteTree(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (NoSuchFileException e) {
      // removed meanwhile
    }
  }
}
