package warm.core.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One external command: argv (never a shell line), extra environment, working directory, timeout, optional stdin,
 * values that must never appear in logs or error messages, and where its output goes: captured (the default), or
 * passed through as it comes — to this process's own stdout/stderr (a CI runner's assertions, which the CI log must
 * show as they run), or all of it to this process's stderr (a long child whose log must not mix into a JSON result
 * this process prints on stdout).
 */
public record Command(List<String> argv, Map<String, String> env, Path dir, Duration timeout, byte[] stdin,
    Set<String> secrets, Output output) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /** Where a command's output goes. */
  public enum Output {
    /** Into the result (bounded). */
    CAPTURE,
    /** To this process's stdout and stderr. */
    PASS_THROUGH,
    /** Both streams to this process's stderr. */
    TO_STDERR
  }

  /** Whether the output goes somewhere as it comes (so the result holds none of it). */
  public boolean passOutput() {
    return output != Output.CAPTURE;
  }

  public Command {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty");
    }
    env = Map.copyOf(env);
    Objects.requireNonNull(timeout, "timeout");
    secrets = Set.copyOf(secrets);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv), Map.of(), null, DEFAULT_TIMEOUT, null, Set.of(), Output.CAPTURE);
  }

  public static Command of(List<String> argv) {
    return new Command(argv, Map.of(), null, DEFAULT_TIMEOUT, null, Set.of(), Output.CAPTURE);
  }

  public Command withTimeout(Duration t) {
    return new Command(argv, env, dir, t, stdin, secrets, output);
  }

  public Command withDir(Path d) {
    return new Command(argv, env, d, timeout, stdin, secrets, output);
  }

  public Command withStdin(byte[] in) {
    return new Command(argv, env, dir, timeout, in, secrets, output);
  }

  public Command withEnv(String key, String value) {
    var m = new LinkedHashMap<>(env);
    m.put(key, value);
    return new Command(argv, m, dir, timeout, stdin, secrets, output);
  }

  public Command withEnv(Map<String, String> more) {
    var m = new LinkedHashMap<>(env);
    m.putAll(more);
    return new Command(argv, m, dir, timeout, stdin, secrets, output);
  }

  /** Marks values (passwords, tokens) that are replaced by {@code ***} wherever this command is printed. */
  public Command withSecret(String secret) {
    var s = new HashSet<>(secrets);
    if (secret != null && !secret.isEmpty()) {
      s.add(secret);
    }
    return new Command(argv, env, dir, timeout, stdin, s, output);
  }

  /** Output goes to this process's stdout/stderr as it comes, not into the result (which then holds none). */
  public Command withOutputPassedThrough() {
    return new Command(argv, env, dir, timeout, stdin, secrets, Output.PASS_THROUGH);
  }

  /** Both output streams go to this process's stderr as they come, not into the result. */
  public Command withOutputToStderr() {
    return new Command(argv, env, dir, timeout, stdin, secrets, Output.TO_STDERR);
  }

  public Command withArgs(String... more) {
    var l = new ArrayList<>(argv);
    l.addAll(List.of(more));
    return new Command(l, env, dir, timeout, stdin, secrets, output);
  }

  /** The argv as one printable line with secrets redacted. Environment values are never printed. */
  public String display() {
    return redact(String.join(" ", argv));
  }

  /** The redacted argv only: a record's generated text would print environment values and the secrets. */
  @Override
  public String toString() {
    return "Command[" + display() + "]";
  }

  /** Replaces every secret value in text by {@code ***}. */
  public String redact(String text) {
    String out = text;
    // Longest first: a secret that contains a shorter one would otherwise leak its remainder.
    for (String s : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      out = out.replace(s, "***");
    }
    return out;
  }
}
