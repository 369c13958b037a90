package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.testing.Prereq;

/**
 * Hostile notes still get a decision, in bounded time and memory, and nothing outside the checkout is read. The time
 * bound is on the deciding thread's CPU time (60 s), not its wall time: on a loaded 2-core host the 10 MB note's 6 s
 * of CPU took over 60 s of wall time, and the bound is there to catch runaway matching, not a slow machine. A wall
 * bound of 10 minutes stays as a hang guard. Elapsed time, CPU time and allocated bytes are printed.
 */
class HostileNotesTest {
  private static final String FROM = "1.0.0+1.0";
  private static final String TO = "1.1.0+1.1";

  @TempDir
  Path tmp;

  private Path recipe() throws IOException {
    Path r = tmp.resolve("recipe");
    Files.createDirectories(r.resolve("release"));
    return r;
  }

  /** The deciding thread's CPU budget: about ten times the 10 MB note's cost on an idle host. */
  private static final Duration CPU_BOUND = Duration.ofSeconds(60);

  /** Runs the gate, printing wall time, CPU time and bytes allocated by the deciding thread. */
  private static GateDecision measured(String what, Supplier<GateDecision> gate) {
    return measured(what, 128L << 20, gate);
  }

  private static GateDecision measured(String what, long maxAllocated, Supplier<GateDecision> gate) {
    return assertTimeoutPreemptively(Duration.ofMinutes(10), () -> {
      ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      long id = Thread.currentThread().getId();
      long bytes0 = mx.getThreadAllocatedBytes(id);
      long cpu0 = mx.getCurrentThreadCpuTime();
      assertTrue(cpu0 >= 0, "this JVM measures a thread's CPU time");
      long t0 = System.nanoTime();
      GateDecision d = gate.get();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
      long allocated = mx.getThreadAllocatedBytes(id) - bytes0;
      System.out.printf("hostile %-22s %5d ms, %5d ms CPU, %6.1f MiB allocated -> %s%n", what, ms, cpuMs,
          allocated / 1048576.0, d.outcome());
      assertTrue(cpuMs < CPU_BOUND.toMillis(), what + " took " + cpuMs + " ms of CPU");
      // Work is bounded by the 1 MiB read bound, whatever the file's size: a generous constant multiple of it.
      assertTrue(allocated < maxAllocated, what + " allocated " + allocated + " bytes");
      return d;
    });
  }

  @Test
  void testTenMegabyteNote_readsOnlyTheBoundAndHolds() throws IOException {
    Path r = recipe();
    try (OutputStream out = Files.newOutputStream(r.resolve("release").resolve(TO))) {
      byte[] filler = "bump image and backup backup backup backup fix typo ".getBytes(StandardCharsets.US_ASCII);
      for (long n = 0; n < 10L * 1024 * 1024; n += filler.length) {
        out.write(filler);
      }
      out.write("\nATTENTION: beyond the first MiB\n".getBytes(StandardCharsets.US_ASCII));
    }
    GateDecision d = measured("10 MB single line", 24L << 20, () -> UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults()));
    assertEquals(List.of(HoldReason.Code.UNREADABLE_NOTE), d.reasons().stream().map(HoldReason::code).toList(),
        d.toText());
    assertTrue(d.reasons().get(0).detail().contains("larger than 1 MiB"), d.toText());
    assertFalse(d.toText().contains("beyond the first MiB"), "bytes past the bound were not read");
  }

  @Test
  void testBinaryGarbage_isUnreadableAndHolds() throws IOException {
    Path r = recipe();
    byte[] junk = new byte[900 * 1024];
    new Random(42).nextBytes(junk);
    Files.write(r.resolve("release").resolve(TO), junk);
    GateDecision d = measured("binary garbage", () -> UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults()));
    assertEquals(List.of(TO), d.notesRead());
    // Random bytes are not a note the classifier can read: fail safe, never "nothing found".
    assertEquals(List.of(HoldReason.Code.UNREADABLE_NOTE), d.reasons().stream().map(HoldReason::code).toList(),
        d.toText());
    assertTrue(d.reasons().get(0).detail().contains("is not text"), d.toText());

    byte[] invalidUtf8 = {(byte) 0xc3, (byte) 0x28, 'Y', 'o', 'u', ' ', 'm', 'u', 's', 't', ' ', 'm', 'i', 'g',
        (byte) 0xff, '\n'};
    Files.write(r.resolve("release").resolve(TO), invalidUtf8);
    GateDecision held = UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults());
    assertEquals(List.of(HoldReason.Code.MANUAL_MIGRATION), held.reasons().stream().map(HoldReason::code).toList());
    assertTrue(held.reasons().get(0).quotes().get(0).contains("You must"), held.toText());
  }

  @Test
  void testHtmlWithScripts_scriptIsNotText() throws IOException {
    Path r = recipe();
    Files.writeString(r.resolve("release").resolve(TO), nested(18_000));
    GateDecision small = measured("html via jsoup", 192L << 20,
        () -> UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults()));
    assertEquals(GateDecision.Outcome.AUTO_APPLY, small.outcome(), small.toText());
    Files.writeString(r.resolve("release").resolve(TO), nested(90_000));
    GateDecision routine = measured("html 1 MiB nested", () -> UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults()));
    assertEquals(GateDecision.Outcome.AUTO_APPLY, routine.outcome(), routine.toText());

    Files.writeString(r.resolve("release").resolve(TO),
        "<p>Bump image.</p><p><strong>Breaking:</strong> the API&nbsp;moved.</p><script>x()</script>");
    GateDecision held = UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults());
    assertEquals(List.of("Breaking: the API moved."),
        held.reasons().get(0).quotes().stream().map(q -> q.replace('\u00a0', ' ')).toList(), held.toText());
  }

  @Test
  void testLargeHtml_strippedWithoutJsoup() {
    String html = "<p>ok</p><SCRIPT>you must</script ><style>.attention{}</style><b>ATTENTION</b>: x" + "<i>".repeat(100_000);
    String text = NoteText.stripTags(html);
    assertFalse(text.contains("you must") || text.contains(".attention"), text);
    assertTrue(text.contains("ATTENTION"));
    assertEquals("", NoteText.stripTags("<script>never closed ATTENTION").strip());
  }

  /** A note whose scripts and styles carry marker words, around deeply nested markup of the given depth. */
  private static String nested(int depth) {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><script>var x='ATTENTION you must';</script>"
        + "</head><body><h1>Release 1.1.0</h1><p>Upstream <b>bugfix</b> release.</p>"
        + "<script>document.write('breaking: migrate now')</script><style>.manual{}</style>");
    for (int i = 0; i < depth; i++) {
      html.append("<div><span>");
    }
    html.append("<p>deep</p></body></html>");
    return html.toString();
  }

  @Test
  void testSymlinkNamedLikeAVersion_isNotFollowed() throws IOException {
    Path r = recipe();
    Path outside = tmp.resolve("outside-secret.txt");
    Files.writeString(outside, "SECRET-OUTSIDE ATTENTION you must not read me\n");
    Files.createSymbolicLink(r.resolve("release").resolve(TO), outside);
    GateDecision d = measured("symlink outside", () -> UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults()));
    assertEquals(List.of(HoldReason.Code.UNREADABLE_NOTE), d.reasons().stream().map(HoldReason::code).toList());
    assertTrue(d.reasons().get(0).detail().contains("symbolic link; not followed"), d.toText());
    assertFalse(d.toText().contains("SECRET-OUTSIDE") || d.toJson().contains("SECRET-OUTSIDE"));
    assertEquals(List.of(), d.notesRead());
  }

  @Test
  void testSymlinkedReleaseFolder_isNotFollowed() throws IOException {
    Path r = tmp.resolve("recipe2");
    Files.createDirectories(r);
    Path outsideDir = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(outsideDir.resolve(TO), "SECRET-OUTSIDE\n");
    Files.createSymbolicLink(r.resolve("release"), outsideDir);
    GateDecision d = UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults());
    assertEquals(List.of(HoldReason.Code.UNREADABLE_NOTE), d.reasons().stream().map(HoldReason::code).toList());
    assertFalse(d.toJson().contains("SECRET-OUTSIDE"));
  }

  @Test
  void testFifoNamedLikeAVersion_doesNotBlock() throws IOException {
    Path r = recipe();
    Path fifo = r.resolve("release").resolve(TO);
    Prereq.require(runs("mkfifo", fifo.toString()), "mkfifo not available");
    GateDecision d = measured("fifo", () -> UpgradeGate.decide(r, FROM, TO, GatePolicy.defaults()));
    assertTrue(d.reasons().get(0).detail().contains("not a regular file"), d.toText());
  }

  /** @return true when the command runs and exits 0 */
  private static boolean runs(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
