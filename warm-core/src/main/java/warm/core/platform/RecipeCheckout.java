package warm.core.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import warm.core.WarmException;
import warm.core.process.Command;
import warm.core.process.ProcessResult;
import warm.core.process.ProcessRunner;

/**
 * A recipe's git checkout: published versions are its tags, release notes are {@code release/<version>} files,
 * and a chaos deploy is identified by the short sha of HEAD ({@code +U} when the tree is dirty).
 */
final class RecipeCheckout {
  /** Release notes are read up to this size: a hostile or huge note must not exhaust memory. */
  static final int MAX_NOTE_BYTES = 1024 * 1024;

  private final Path dir;
  private final ProcessRunner runner;
  private final Duration gitTimeout;

  /** A checkout whose git commands are bounded by {@code gitTimeout} ({@code timeouts.commandSeconds}). */
  RecipeCheckout(Path dir, ProcessRunner runner, Duration gitTimeout) {
    this.dir = dir;
    this.runner = runner;
    this.gitTimeout = gitTimeout;
  }

  Path dir() {
    return dir;
  }

  /** Fails (exit 2) when the directory is not a git checkout. */
  RecipeCheckout requireExists(String recipe) {
    if (!Files.isDirectory(dir.resolve(".git")) && !Files.isRegularFile(dir.resolve(".git"))) {
      throw WarmException.usage("recipe '" + recipe + "' has no git checkout at " + dir);
    }
    return this;
  }

  List<String> tags() {
    return DockerCli.lines(git("tag", "--list").stdout());
  }

  boolean hasTag(String version) {
    return runner.run(gitCmd("rev-parse", "-q", "--verify", "refs/tags/" + version + "^{commit}")).ok();
  }

  /**
   * Text of {@code release/<version>}: the working tree's entry when it exists, otherwise the note committed in the
   * version's tag. Never follows a symlink, tolerates bad UTF-8. A note that exists but cannot be served in full (a
   * symlink or other non-regular entry, a note larger than 1 MiB) fails: to the upgrade gate that must never look
   * like "no note".
   */
  Optional<String> releaseNote(String version) {
    if (version == null || version.isEmpty() || version.contains("/") || version.contains("\\")
        || version.equals(".") || version.equals("..") || version.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    Path release = dir.resolve("release");
    Path note = release.resolve(version);
    if (!Files.exists(release, LinkOption.NOFOLLOW_LINKS)) {
      return releaseNoteAtTag(version);
    }
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
      throw unreadable(version, release + " is " + (Files.isSymbolicLink(release) ? "a symbolic link (not followed)"
          : "not a directory"));
    }
    if (!Files.exists(note, LinkOption.NOFOLLOW_LINKS)) {
      return releaseNoteAtTag(version);
    }
    if (!Files.isRegularFile(note, LinkOption.NOFOLLOW_LINKS)) {
      throw unreadable(version, note + " is " + (Files.isSymbolicLink(note) ? "a symbolic link (not followed)"
          : "not a regular file"));
    }
    try (InputStream in = Files.newInputStream(note, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(MAX_NOTE_BYTES + 1);
      if (bytes.length > MAX_NOTE_BYTES) {
        throw unreadable(version, note + " is larger than " + (MAX_NOTE_BYTES >> 20) + " MiB");
      }
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (IOException e) {
      throw WarmException.infra("cannot read release note " + note + ": " + e.getMessage(), e);
    }
  }

  private static WarmException unreadable(String version, String why) {
    return WarmException.infra("release note of " + version + " cannot be read: " + why);
  }

  /**
   * The note as committed in the version's own tag. abra checks versions out in its one shared recipe tree, so after
   * a deploy of an older version the working tree lacks the newer versions' notes; git still has them. Only a regular
   * file is read (a committed symlink is not followed), bounded like the working-tree read.
   */
  private Optional<String> releaseNoteAtTag(String version) {
    if (version.startsWith("-") || !hasTag(version)) {
      return Optional.empty();
    }
    ProcessResult entry = runner.run(gitCmd("ls-tree", "refs/tags/" + version + "^{commit}", "--", "release/" + version));
    String line = entry.requireSuccess().stdout().strip();
    if (line.isEmpty()) {
      return Optional.empty();
    }
    // "<mode> <type> <object>\t<path>": 100644/100755 are regular files, 120000 a symlink.
    String[] f = line.split("\\s+", 4);
    if (f.length < 4 || !f[0].startsWith("100") || !"blob".equals(f[1])) {
      throw unreadable(version, "release/" + version + " in tag " + version + " is "
          + (f[0].equals("120000") ? "a symbolic link (not followed)" : "not a regular file"));
    }
    // Size first: the process runner keeps all of stdout, and a hostile blob must not reach memory.
    long size = Long.parseLong(runner.run(gitCmd("cat-file", "-s", f[2])).requireSuccess().stdout().strip());
    if (size > MAX_NOTE_BYTES) {
      throw unreadable(version, "release/" + version + " in tag " + version + " is larger than "
          + (MAX_NOTE_BYTES >> 20) + " MiB");
    }
    return Optional.of(runner.run(gitCmd("cat-file", "blob", f[2])).requireSuccess().stdout());
  }

  /** Short sha of HEAD with {@code +U} when the working tree has uncommitted or untracked changes (abra's rule). */
  String chaosVersion() {
    String sha = git("rev-parse", "--short=8", "HEAD").stdout().strip();
    boolean dirty = !git("status", "--porcelain").stdout().isBlank();
    return dirty ? sha + "+U" : sha;
  }

  /** The newest tag reachable from HEAD, the version a chaos deploy keeps in its version label. */
  Optional<String> describe() {
    ProcessResult r = runner.run(gitCmd("describe", "--tags", "--abbrev=0", "HEAD"));
    return r.ok() ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  /** A clean copy of the tree at a published version, in {@code target} (which must not exist). */
  void exportVersion(String recipe, String version, Path target) {
    if (!hasTag(version)) {
      throw WarmException.usage("version '" + version + "' is not a published version of recipe '" + recipe
          + "' (tags: " + String.join(", ", tags()) + ")");
    }
    runner.run(Command.of("git", "clone", "-q", "--shared", "--no-checkout", dir.toString(), target.toString())
        .withTimeout(gitTimeout)).requireSuccess();
    runner.run(Command.of("git", "-C", target.toString(), "-c", "advice.detachedHead=false", "checkout", "-q",
        "refs/tags/" + version).withTimeout(gitTimeout)).requireSuccess();
  }

  private ProcessResult git(String... args) {
    return runner.run(gitCmd(args)).requireSuccess();
  }

  private Command gitCmd(String... args) {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    // A checkout owned by another user (a CI runner's) must still be readable by root.
    return Command.of(argv).withTimeout(gitTimeout).withEnv("GIT_CONFIG_COUNT", "1")
        .withEnv("GIT_CONFIG_KEY_0", "safe.directory").withEnv("GIT_CONFIG_VALUE_0", "*");
  }
}
