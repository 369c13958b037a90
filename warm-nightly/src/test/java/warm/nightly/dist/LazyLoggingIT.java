package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.Distribution.Run;

/**
 * Logging is set up only when a command runs (issue 15, CLI start): {@code --version}, {@code --help} and a
 * command-line error print what they printed without starting logging (slf4j's provider lookup), while a command
 * that logs still logs every line to stderr in the same form — plain, with syslog priorities under systemd, debug
 * lines with {@code -v} — through warm's own slf4j provider: no logback class is loaded at all.
 */
class LazyLoggingIT {
  @TempDir
  Path tmp;

  @Test
  void versionHelpAndArgumentErrorsDoNotStartLogback() throws Exception {
    List<List<String>> cmds = List.of(List.of("warm", "--version"), List.of("warm-quick", "--version"),
        List.of("warm", "--help"), List.of("warm-quick", "--help"), List.of("warm", "frobnicate"),
        List.of("warm", "--no-such-option"), List.of("warm-quick", "--no-such-option"),
        List.of("warm", "snapshot", "--no-such-option"));
    for (List<String> cmd : cmds) {
      Path log = tmp.resolve("classes-" + cmds.indexOf(cmd) + ".txt");
      Run r = Distribution.launcher(cmd.get(0), Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
          cmd.subList(1, cmd.size()).toArray(String[]::new));
      String last = cmd.get(cmd.size() - 1);
      boolean ok = last.equals("--version") || last.equals("--help");
      assertEquals(ok ? 0 : 2, r.exit(), cmd + ": " + r);
      if (last.equals("--version")) {
        assertEquals("cc-ci-warm 0.1.0\n", r.out(), cmd + ": " + r);
      } else if (ok) {
        assertTrue(r.out().startsWith("Usage: "), cmd + ": " + r);
      } else {
        assertTrue(r.err().startsWith(last.startsWith("-") ? "error: Unknown option: '" + last + "'"
            : "error: unknown command '" + last + "'"), cmd + ": " + r);
      }
      // slf4j's LoggerFactory is what starts logback; its Logger interface alone (a method's return type that
      // picocli's reflection resolves) starts nothing.
      List<String> logging = Files.readAllLines(log).stream()
          .filter(l -> l.contains(" ch.qos.logback.") || l.contains(" org.slf4j.LoggerFactory ")).toList();
      assertTrue(Files.readString(log).contains(" picocli.CommandLine "), cmd + ": no class log in " + log);
      assertTrue(logging.isEmpty(), cmd + ": logging started by a command that logs nothing (" + logging.size()
          + " classes, the first: " + logging.stream().findFirst().orElse("") + ")");
    }
  }

  @Test
  void aCommandThatLogsStillLogsToStderr() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("vol/dir"));
    Files.writeString(vol.resolve("f"), "x");
    Path state = Files.createDirectories(tmp.resolve("state"));
    Path config = Files.writeString(tmp.resolve("config.json"), "{\"stateRoot\": \"" + state + "\"}");
    String[] snapshot = {"snapshot", "--config", config.toString(), "--store", tmp.resolve("store").toString(),
        "--volume", "data=" + vol.getParent()};

    Path classes = tmp.resolve("classes-snapshot.txt");
    Run plain = Distribution.launcher("warm", Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
        snapshot);
    assertEquals(0, plain.exit(), plain.toString());
    // Logging is warm's own slf4j provider (warm.quick.cli.StderrLogProvider), not logback: its context, status
    // machinery, configurators and pattern set-up were ~25 ms of a data command's fixed cost (issue 15).
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains(" org.slf4j.LoggerFactory "), "no class log, or nothing logged: " + classes);
    assertTrue(loaded.contains(" warm.quick.cli.StderrLogProvider "), "warm's slf4j provider not used");
    List<String> logback = loaded.lines().filter(l -> l.contains(" ch.qos.logback.")).toList();
    assertTrue(logback.isEmpty(), "logback loaded: " + logback.stream().findFirst().orElse(""));
    assertTrue(plain.errLines().stream().anyMatch(l -> l.matches("cc-ci-warm info: snapshot \\S+ taken by tar.*")),
        "the info line on stderr: " + plain);
    assertTrue(plain.out().lines().noneMatch(l -> l.contains("cc-ci-warm ")), "no log line on stdout: " + plain);
    // The provider is named to slf4j (Logging.nameProvider), not looked up: no ServiceLoader read of the module
    // image's META-INF/services on the main thread, and slf4j reports nothing about it on stderr.
    List<String> lookup = loaded.lines()
        .filter(l -> l.contains(" sun.net.www.protocol.jrt.JavaRuntimeURLConnection ")).toList();
    assertTrue(lookup.isEmpty(), "slf4j looked its provider up through META-INF/services: " + lookup);
    assertTrue(plain.errLines().stream().noneMatch(l -> l.startsWith("SLF4J")), "slf4j's own report: " + plain);

    Run journal = Distribution.launcher("warm", Map.of("JOURNAL_STREAM", "8:1"),
        concat(snapshot, "--verbose"));
    assertEquals(0, journal.exit(), journal.toString());
    assertTrue(journal.errLines().stream().anyMatch(l -> l.matches("<6>cc-ci-warm info: snapshot \\S+ taken by.*")),
        "the info line with its syslog priority: " + journal);
    assertTrue(journal.errLines().stream().anyMatch(l -> l.startsWith("<7>cc-ci-warm debug: ")),
        "debug lines with --verbose: " + journal);
  }

  private static String[] concat(String[] a, String b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + 1);
    r[a.length] = b;
    return r;
  }
}
