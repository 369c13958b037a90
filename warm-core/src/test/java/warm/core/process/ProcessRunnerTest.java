package warm.core.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import warm.core.ExitCode;
import warm.core.WarmException;

/** The system process runner on real processes ({@code sh}, {@code cat}, {@code sleep}). */
class ProcessRunnerTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);
  private final ProcessRunner runner = ProcessRunner.system();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger procLog = (Logger) LoggerFactory.getLogger("warm.proc");

  @TempDir
  Path tmp;

  @BeforeEach
  void captureLogs() {
    logs.start();
    procLog.addAppender(logs);
    procLog.setLevel(Level.DEBUG);
  }

  @AfterEach
  void stopCapture() {
    procLog.detachAppender(logs);
  }

  private String loggedText() {
    StringBuilder b = new StringBuilder();
    for (ILoggingEvent e : logs.list) {
      b.append(e.getFormattedMessage()).append('\n');
    }
    return b.toString();
  }

  private static Command sh(String script, String... args) {
    String[] argv = new String[3 + args.length];
    argv[0] = "sh";
    argv[1] = "-c";
    argv[2] = script;
    System.arraycopy(args, 0, argv, 3, args.length);
    return Command.of(argv).withTimeout(GENEROUS);
  }

  /** Alive and not a zombie (an orphan may wait for a reaper that PID 1 of a container never is). */
  private static boolean running(long pid) throws IOException {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static long waitForPid(Path file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        String s = Files.readString(file).strip();
        if (!s.isEmpty()) {
          return Long.parseLong(s);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no pid in " + file);
  }

  private static void assertGone(long pid, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (running(pid) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(running(pid), what + " (pid " + pid + ") still runs");
  }

  @Test
  void resultRecordsExitOutputAndDuration() {
    ProcessResult r = runner.run(sh("echo out; echo err >&2; sleep 0.2; exit 7"));
    assertEquals(7, r.exitCode());
    assertFalse(r.ok());
    assertFalse(r.timedOut());
    assertEquals("out\n", r.stdout());
    assertEquals("err\n", r.stderr());
    assertTrue(r.elapsed().toMillis() >= 200, "elapsed " + r.elapsed());
    assertTrue(runner.run(Command.of("true")).ok());
  }

  @Test
  void twoMebibytesOnEachStreamInterleavedDoNotDeadlock() {
    // 64 rounds of 32 KiB to stdout then 32 KiB to stderr: far more than one pipe buffer (64 KiB) on each, so a
    // runner that read one stream to its end before the other would block forever (bounded by the timeout).
    String script = "i=0; while [ $i -lt 64 ]; do"
        + " head -c 32768 /dev/zero | tr '\\0' o; head -c 32768 /dev/zero | tr '\\0' e >&2; i=$((i+1)); done";
    ProcessResult r = runner.run(sh(script));
    assertFalse(r.timedOut(), "deadlocked until the timeout");
    assertEquals(0, r.exitCode(), r.stderr().length() + " bytes of stderr");
    assertEquals(2 * 1024 * 1024, r.stdout().length());
    assertEquals(2 * 1024 * 1024, r.stderr().length());
    assertTrue(r.stdout().chars().allMatch(c -> c == 'o'));
    assertTrue(r.stderr().chars().allMatch(c -> c == 'e'));
  }

  @Test
  void timeoutKillsTheShellAndItsGrandchild() throws Exception {
    Path shPid = tmp.resolve("sh.pid");
    Path sleepPid = tmp.resolve("sleep.pid");
    Command c = sh("echo $$ > \"$1\"; sleep 300 & echo $! > \"$2\"; wait", "sh", shPid.toString(), sleepPid.toString())
        .withTimeout(Duration.ofMillis(1500));
    ProcessResult r = runner.run(c);
    assertTrue(r.timedOut());
    assertFalse(r.ok());
    assertTrue(r.elapsed().toSeconds() < 10, "killed promptly: " + r.elapsed());
    assertGone(waitForPid(shPid), "the shell");
    assertGone(waitForPid(sleepPid), "the grandchild sleep");
    ProcessFailedException e = assertThrows(ProcessFailedException.class, r::requireSuccess);
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().contains("timed out") && e.getMessage().contains("process tree killed"), e.getMessage());
    assertTrue(loggedText().contains("killing its process tree"), loggedText());
  }

  @Test
  void aTreeThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    Path sleepPid = tmp.resolve("sleep.pid");
    // SIG_IGN is inherited across exec, so the sleep ignores SIGTERM too: only SIGKILL ends them.
    Command c = sh("trap '' TERM; sleep 300 & echo $! > \"$1\"; wait; wait", "sh", sleepPid.toString())
        .withTimeout(Duration.ofMillis(500));
    ProcessResult r = runner.run(c);
    assertTrue(r.timedOut());
    assertTrue(r.elapsed().toSeconds() < 15, "bounded by timeout + grace: " + r.elapsed());
    assertGone(waitForPid(sleepPid), "the grandchild sleep that ignored SIGTERM");
  }

  @Test
  void failureMessageQuotesStdoutWhereAbraPrintsFata() {
    ProcessResult r = runner.run(sh("echo 'FATA unable to deploy: image not found'; echo 'some warning' >&2; exit 1"));
    ProcessFailedException e = assertThrows(ProcessFailedException.class, r::requireSuccess);
    assertEquals(ExitCode.INFRA, e.exitCode());
    String m = e.getMessage();
    assertTrue(m.contains("exited with code 1"), m);
    assertTrue(m.contains("stdout: FATA unable to deploy: image not found"), m);
    assertTrue(m.contains("stderr: some warning"), m);
    assertFalse(m.contains("\n"), "one line: " + m);
    assertEquals(r, e.result());
  }

  @Test
  void silentFailureSaysSo() {
    String m = assertThrows(ProcessFailedException.class, () -> runner.run(sh("exit 3")).requireSuccess()).getMessage();
    assertTrue(m.contains("exited with code 3 and printed nothing"), m);
  }

  @Test
  void secretsNeverAppearInDisplayMessagesOrLogs() {
    String secret = "s3cr3t-Pa55word";
    // The child echoes its argument (the secret) on both streams and fails.
    Command c = sh("echo \"login with $1\"; echo \"denied for $1\" >&2; exit 5", "sh", secret).withSecret(secret);
    assertFalse(c.display().contains(secret), c.display());
    assertTrue(c.display().contains("***"), c.display());
    assertFalse(c.toString().contains(secret), c.toString());
    ProcessResult r = runner.run(c);
    assertTrue(r.stdout().contains(secret), "the raw result keeps the output for the caller");
    assertFalse(r.toString().contains(secret), r.toString());
    ProcessFailedException e = assertThrows(ProcessFailedException.class, r::requireSuccess);
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertTrue(e.getMessage().contains("login with ***"), e.getMessage());
    assertFalse(loggedText().contains(secret), loggedText());
  }

  @Test
  void aSecretContainingAnotherIsRedactedWhole() {
    Command c = Command.of("tool", "--token", "abcdef123456", "--pin", "abc").withSecret("abc")
        .withSecret("abcdef123456");
    assertEquals("tool --token *** --pin ***", c.display());
  }

  @Test
  void timeoutMessageRedactsSecrets() {
    String secret = "tok-9f8e7d";
    Command c = sh("echo $1; sleep 30", "sh", secret).withSecret(secret).withTimeout(Duration.ofMillis(500));
    ProcessResult r = runner.run(c);
    assertTrue(r.timedOut());
    String m = assertThrows(ProcessFailedException.class, r::requireSuccess).getMessage();
    assertFalse(m.contains(secret), m);
    assertFalse(loggedText().contains(secret), loggedText());
  }

  @Test
  void cannotStartIsAnInfraErrorWithoutSecrets() {
    Path missing = tmp.resolve("no-such-tool");
    Command c = Command.of(missing.toString(), "--password", "hunter2-xyz").withSecret("hunter2-xyz");
    WarmException e = assertThrows(WarmException.class, () -> runner.run(c));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().contains("cannot start") && e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2-xyz"), e.getMessage());
  }

  @Test
  void environmentValuesNeverAppearInMessagesOrLogs() {
    String value = "env-only-value-42";
    Command c = sh("test \"$API_TOKEN\" = \"$1\" || exit 9; echo 'FATA nope'; exit 4", "sh", "env-only-value-42")
        .withSecret("env-only-value-42").withEnv("API_TOKEN", value).withEnv(Map.of("OTHER", "other-" + value));
    ProcessResult r = runner.run(c);
    assertEquals(4, r.exitCode(), "the child saw the environment: " + r.stderr());
    String m = assertThrows(ProcessFailedException.class, r::requireSuccess).getMessage();
    assertFalse(m.contains(value), m);
    assertFalse(c.display().contains(value), c.display());
    assertFalse(c.toString().contains(value), c.toString());
    assertFalse(r.toString().contains(value), r.toString());
    assertFalse(loggedText().contains(value), loggedText());
  }

  @Test
  void environmentIsNotPrintedEvenWhenNotMarkedSecret() {
    Command c = sh("exit 1").withEnv("DB_PASSWORD", "plain-env-value-7");
    ProcessResult r = runner.run(c);
    String m = assertThrows(ProcessFailedException.class, r::requireSuccess).getMessage();
    assertFalse(m.contains("plain-env-value-7"), m);
    assertFalse(c.toString().contains("plain-env-value-7"), c.toString());
    assertFalse(r.toString().contains("plain-env-value-7"), r.toString());
    assertFalse(loggedText().contains("plain-env-value-7"), loggedText());
  }

  @Test
  void stdinIsDelivered() {
    ProcessResult r = runner.run(Command.of("cat").withStdin("hello\nworld\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("hello\nworld\n", r.stdout());
    // larger than a pipe buffer, while stdout is being drained at the same time
    byte[] big = new byte[1024 * 1024];
    new Random(7).nextBytes(big);
    ProcessResult sum = runner.run(Command.of("wc", "-c").withStdin(big).withTimeout(GENEROUS));
    assertEquals(String.valueOf(big.length), sum.stdout().strip());
    ProcessResult echo = runner.run(Command.of("od", "-An", "-tx1", "-v").withStdin(new byte[] {0, 1, (byte) 0xff}));
    assertEquals("00 01 ff", echo.stdout().strip());
  }

  @Test
  void withoutStdinTheChildReadsEndOfFile() {
    ProcessResult r = runner.run(Command.of("cat").withTimeout(Duration.ofSeconds(20)));
    assertTrue(r.ok() && r.stdout().isEmpty(), "cat got /dev/null, not a pipe left open: " + r);
  }

  @Test
  void workingDirectoryAndEnvironmentReachTheChild() throws Exception {
    Files.writeString(tmp.resolve("marker"), "x");
    ProcessResult r = runner.run(sh("ls marker && echo \"$WARM_T\"").withDir(tmp).withEnv("WARM_T", "visible"));
    assertEquals("marker\nvisible\n", r.stdout());
  }

  @Test
  void outputIsKeptWhenADaemonizedGrandchildHoldsThePipe() throws Exception {
    Path sleepPid = tmp.resolve("sleep.pid");
    ProcessResult r = runner.run(sh("echo 'FATA before exit'; sleep 60 & echo $! > \"$1\"; exit 2", "sh",
        sleepPid.toString()));
    try {
      assertEquals(2, r.exitCode());
      assertEquals("FATA before exit\n", r.stdout(), "output read before the child exited is kept");
      assertTrue(r.elapsed().toSeconds() < 10, "bounded wait for the held pipe: " + r.elapsed());
    } finally {
      ProcessHandle.of(waitForPid(sleepPid)).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void argvIsNeverAShellLine() {
    ProcessResult r = runner.run(Command.of("echo", "a; touch " + tmp.resolve("pwned"), "$(id)"));
    assertEquals("a; touch " + tmp.resolve("pwned") + " $(id)\n", r.stdout());
    assertFalse(Files.exists(tmp.resolve("pwned")));
  }

  @Test
  void emptyArgvIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Command.of(List.of()));
    assertArrayEquals(new Object[] {"a", "b", "c"}, Command.of("a").withArgs("b", "c").argv().toArray());
  }

  /** Passed-through output is not captured (it went to this JVM's stdout/stderr); exit and timeout work the same. */
  @Test
  void passedThroughOutput_isNotCaptured_butBoundedTheSame() {
    ProcessResult r = runner.run(Command.of("sh", "-c", "echo to-the-log; echo also >&2; exit 3")
        .withOutputPassedThrough().withTimeout(GENEROUS));
    assertEquals(3, r.exitCode());
    assertEquals("", r.stdout());
    assertEquals("", r.stderr());
    ProcessResult slow = runner.run(Command.of("sleep", "30").withOutputPassedThrough()
        .withTimeout(Duration.ofMillis(300)));
    assertTrue(slow.timedOut(), slow.toString());
  }

  /** Output sent to stderr is not captured either; exit and timeout work the same (NightlyIT proves stdout stays clean). */
  @Test
  void outputToStderr_isNotCaptured_butBoundedTheSame() {
    ProcessResult r = runner.run(Command.of("sh", "-c", "echo to-our-stderr; echo also >&2; exit 4")
        .withOutputToStderr().withTimeout(GENEROUS));
    assertEquals(4, r.exitCode());
    assertEquals("", r.stdout());
    assertEquals("", r.stderr());
    assertEquals(Command.Output.TO_STDERR, Command.of("true").withOutputToStderr().output());
    ProcessResult slow = runner.run(Command.of("sleep", "30").withOutputToStderr()
        .withTimeout(Duration.ofMillis(300)));
    assertTrue(slow.timedOut(), slow.toString());
  }
}
