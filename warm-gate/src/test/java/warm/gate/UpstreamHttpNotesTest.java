package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream notes fetched from a real local HTTP server (the JDK's), with the cache on a real directory. */
class UpstreamHttpNotesTest {
  /** Generous: a fetch that must succeed must not fail because the shared 2-core box is busy. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** The bound the slow server outlasts (it answers only when the test ends). */
  private static final Duration SHORT = Duration.ofSeconds(1);

  @TempDir
  Path tmp;

  private HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/text/", ex -> {
      calls.incrementAndGet();
      send(ex, 200, "text/plain", "Upstream " + last(ex) + "\nYou must run the database migration by hand.\n");
    });
    server.createContext("/gh/", ex -> {
      calls.incrementAndGet();
      send(ex, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Release</title>"
          + "<script>var x = 'you must not see this';</script></head><body>"
          + "<nav>Sign in. You must log in to star this repository.</nav>"
          + "<div data-test-selector=\"body-content\" class=\"markdown-body my-3\"><h2>Breaking</h2>"
          + "<p>Operators <strong>must</strong> run <code>kc.sh migrate</code> before upgrading.</p></div>"
          + "<footer>Terms</footer></body></html>");
    });
    server.createContext("/slow/", ex -> {
      calls.incrementAndGet();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      send(ex, 200, "text/plain", "too late");
    });
    server.createContext("/fail/", ex -> {
      calls.incrementAndGet();
      send(ex, 500, "text/plain", "boom");
    });
    server.createContext("/missing/", ex -> send(ex, 404, "text/plain", "Not Found"));
    server.createContext("/loop/", ex -> {
      calls.incrementAndGet();
      ex.getResponseHeaders().add("Location", "/loop/" + calls.get());
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.createContext("/moved/", ex -> {
      ex.getResponseHeaders().add("Location", "/text/" + last(ex));
      ex.sendResponseHeaders(301, -1);
      ex.close();
    });
    server.createContext("/huge/", ex -> {
      calls.incrementAndGet();
      byte[] body = new byte[ReleaseNoteSource.MAX_NOTE_BYTES + 1];
      Arrays.fill(body, (byte) 'a');
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      } catch (IOException e) {
        // the client hung up once it had enough: expected
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private static String last(HttpExchange ex) {
    String p = ex.getRequestURI().getPath();
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private UpstreamNoteSource source(String path) {
    return source(path, TIMEOUT);
  }

  private UpstreamNoteSource source(String path, Duration timeout) {
    return UpstreamNoteSource.url(base() + path + "{version}", timeout, tmp.resolve("state/gate-cache/keycloak"));
  }

  private static String text(UpstreamRead r) {
    return assertInstanceOf(NoteLookup.Found.class, r.result(), r.toString()).text();
  }

  private static String unreachable(UpstreamRead r) {
    return assertInstanceOf(NoteLookup.Unreadable.class, r.result(), r.toString()).detail();
  }

  @Test
  void testLookup_textNoteIsReadAndCachedAtomically() throws IOException {
    UpstreamRead r = source("/text/").lookup("26.5.0");
    assertTrue(text(r).contains("You must run the database migration by hand."), text(r));
    assertEquals(base() + "/text/26.5.0", r.from());
    Path cached = tmp.resolve("state/gate-cache/keycloak/26.5.0");
    assertTrue(Files.readString(cached).contains("You must run the database migration"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cached)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cached.getParent())));
    try (var files = Files.list(cached.getParent())) {
      assertEquals(1, files.count(), "no temp file is left behind");
    }
  }

  @Test
  void testLookup_cacheHitDoesNotCallTheServer() {
    UpstreamNoteSource s = source("/text/");
    String first = text(s.lookup("26.5.0"));
    assertEquals(1, calls.get());
    UpstreamRead again = source("/text/").lookup("26.5.0"); // a new source: the next decision
    assertEquals(1, calls.get(), "the cached note is reused");
    assertEquals(first, text(again));
    assertTrue(again.from().endsWith("(cached)"), again.from());
  }

  @Test
  void testLookup_cacheHitMarksTheNoteUsed_soPruneJudgesItsAgeSinceLastUse() throws IOException {
    source("/text/").lookup("26.5.0");
    Path cached = tmp.resolve("state/gate-cache/keycloak/26.5.0");
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(60)));
    Files.setLastModifiedTime(cached, longAgo);
    source("/text/").lookup("26.5.0");
    assertEquals(1, calls.get(), "served from the cache");
    Instant used = Files.getLastModifiedTime(cached).toInstant();
    assertTrue(used.isAfter(Instant.now().minus(Duration.ofMinutes(5))), "touched by the hit: " + used);
  }

  @Test
  void testLookup_otherUrlIsNotServedFromTheCache() {
    text(source("/text/").lookup("26.5.0"));
    text(UpstreamNoteSource.url(base() + "/moved/{version}", TIMEOUT, tmp.resolve("state/gate-cache/keycloak"))
        .lookup("26.5.0"));
    assertEquals(2, calls.get(), "a changed template fetches anew (and follows one redirect)");
  }

  @Test
  void testLookup_githubPageGivesTheReleaseBody() {
    String note = text(source("/gh/").lookup("26.5.0"));
    String lines = NoteText.of(note);
    assertTrue(lines.contains("kc.sh migrate"), lines);
    assertFalse(lines.contains("Sign in"), "navigation is not the note: " + lines);
    assertFalse(lines.contains("you must not see this"), lines);
    // And from the cache, the same (the content type is kept with the body).
    assertEquals(note, text(source("/gh/").lookup("26.5.0")));
  }

  @Test
  void testLookup_slowServerIsUnreachableWithinTheTimeout() {
    long t0 = System.nanoTime();
    String why = unreachable(source("/slow/", SHORT).lookup("26.5.0"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("slow server cut off after " + ms + " ms (timeout " + SHORT.toMillis() + " ms)");
    assertTrue(why.contains("no answer within 1 s"), why);
    assertFalse(Files.exists(tmp.resolve("state/gate-cache/keycloak/26.5.0")), "a failed fetch caches nothing");
  }

  @Test
  void testLookup_serverErrorIsUnreachableAndNotCached() {
    String why = unreachable(source("/fail/").lookup("26.5.0"));
    assertTrue(why.contains("HTTP 500"), why);
    assertFalse(Files.exists(tmp.resolve("state/gate-cache/keycloak/26.5.0")));
    unreachable(source("/fail/").lookup("26.5.0"));
    assertEquals(2, calls.get(), "a failure is asked again next time, never cached");
  }

  @Test
  void testLookup_notFoundIsUnreachableNotNoNote() {
    assertTrue(unreachable(source("/missing/").lookup("26.5.0")).contains("HTTP 404"));
  }

  @Test
  void testLookup_redirectLoopIsBounded() {
    String why = unreachable(source("/loop/").lookup("26.5.0"));
    assertTrue(why.contains("more than " + HttpUpstreamNotes.MAX_REDIRECTS + " redirects"), why);
    assertEquals(HttpUpstreamNotes.MAX_REDIRECTS + 1, calls.get());
  }

  @Test
  void testLookup_oversizeBodyIsUnreachable() {
    String why = unreachable(source("/huge/").lookup("26.5.0"));
    assertTrue(why.contains("larger than 1 MiB"), why);
    assertFalse(Files.exists(tmp.resolve("state/gate-cache/keycloak/26.5.0")));
  }

  @Test
  void testLookup_refusedConnectionIsUnreachable() throws IOException {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String why = unreachable(UpstreamNoteSource.url("http://127.0.0.1:" + port + "/{version}", TIMEOUT,
        tmp.resolve("c")).lookup("26.5.0"));
    assertTrue(why.contains("ConnectException"), why);
  }

  @Test
  void testLookup_versionThatCannotNameANoteIsNotFetched() {
    assertTrue(unreachable(source("/text/").lookup("../x")).contains("cannot name an upstream note"));
    assertEquals(0, calls.get());
  }

  @Test
  void testUrl_badTemplatesAreRefused() {
    Path c = tmp.resolve("c");
    assertThrows(IllegalArgumentException.class, () -> UpstreamNoteSource.url("https://x.org/notes", TIMEOUT, c));
    assertThrows(IllegalArgumentException.class, () -> UpstreamNoteSource.url("file:///{version}", TIMEOUT, c));
    assertThrows(IllegalArgumentException.class, () -> UpstreamNoteSource.url("ftp://x.org/{version}", TIMEOUT, c));
    assertThrows(IllegalArgumentException.class,
        () -> UpstreamNoteSource.url("https://x.org/{version}", Duration.ZERO, c));
  }
}
