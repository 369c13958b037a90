package warm.gate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream notes fetched over HTTP from a URL template at decision time, cached once fetched. Every failure
 * (timeout, DNS, refused, a non-2xx answer including 404, too many redirects, a body over 1 MiB) is
 * {@link NoteLookup.Unreadable}: the gate holds on it unless told to proceed. A 404 is not "no note": a template that
 * misses the upstream's tag scheme would 404 on every version and silently disable the check.
 */
final class HttpUpstreamNotes implements UpstreamNoteSource {
  private static final Logger LOG = LoggerFactory.getLogger(HttpUpstreamNotes.class);
  /** Redirects followed per fetch (GitHub: at most one or two); a loop ends here. */
  static final int MAX_REDIRECTS = 5;

  private final String template;
  private final Duration timeout;
  private final UpstreamCache cache;
  private final HttpClient client;

  HttpUpstreamNotes(String template, Duration timeout, UpstreamCache cache) {
    this.template = template;
    this.timeout = timeout;
    this.cache = cache;
    // Redirects by hand: bounded, and only to http(s).
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public UpstreamRead lookup(String upstream) {
    if (!UpstreamRange.canNameNote(upstream)) {
      return new UpstreamRead(new NoteLookup.Unreadable("'" + RecipeVersion.printable(String.valueOf(upstream))
          + "' cannot name an upstream note"), template);
    }
    // The allowed characters are all legal in a URL path and query: no escaping needed.
    String url = template.replace(VERSION_PLACEHOLDER, upstream);
    Optional<UpstreamCache.Entry> cached = cache.read(upstream, url);
    if (cached.isPresent()) {
      return new UpstreamRead(new NoteLookup.Found(noteOf(cached.get()), false), url + " (cached)");
    }
    UpstreamCache.Entry f;
    try {
      f = fetch(URI.create(url));
    } catch (Unreachable e) {
      return new UpstreamRead(new NoteLookup.Unreadable("upstream note " + upstream + " unreachable at " + url
          + ": " + e.getMessage()), url);
    }
    try {
      cache.write(upstream, url, f);
    } catch (IOException e) {
      // The note was read; only the next decision pays a fetch again.
      LOG.warn("could not cache the upstream note {} from {}: {}", upstream, url, e.toString());
    }
    return new UpstreamRead(new NoteLookup.Found(noteOf(f), false), url);
  }

  /** Why a fetch gave no note. */
  private static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  private UpstreamCache.Entry fetch(URI start) throws Unreachable {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri = start;
    for (int hop = 0; ; hop++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new Unreachable("no answer within " + timeout.toSeconds() + " s");
      }
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).GET()
          .header("Accept", "text/html, text/markdown, text/plain;q=0.9, */*;q=0.5")
          .header("User-Agent", "cc-ci-warm-gate").build();
      CompletableFuture<HttpResponse<Body>> pending =
          client.sendAsync(req, info -> new BoundedBody(ReleaseNoteSource.MAX_NOTE_BYTES));
      HttpResponse<Body> r;
      try {
        // The whole exchange, body included, within what is left of the bound: a server that drips is cut off.
        r = pending.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        throw new Unreachable("no answer within " + timeout.toSeconds() + " s");
      } catch (InterruptedException e) {
        pending.cancel(true);
        Thread.currentThread().interrupt();
        throw new Unreachable("interrupted");
      } catch (ExecutionException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        if (c instanceof HttpTimeoutException) {
          // The client's own request or connect timeout (the same bound) may fire before the wait above does:
          // the same cause, said the same way.
          throw new Unreachable("no answer within " + timeout.toSeconds() + " s");
        }
        throw new Unreachable(c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
      }
      int status = r.statusCode();
      if (status >= 300 && status < 400 && r.headers().firstValue("Location").isPresent()) {
        if (hop >= MAX_REDIRECTS) {
          throw new Unreachable("more than " + MAX_REDIRECTS + " redirects");
        }
        uri = redirect(uri, r.headers().firstValue("Location").get());
        continue;
      }
      if (status < 200 || status > 299) {
        throw new Unreachable("HTTP " + status);
      }
      if (r.body().oversize()) {
        throw new Unreachable("the note is larger than " + (ReleaseNoteSource.MAX_NOTE_BYTES >> 20) + " MiB");
      }
      return new UpstreamCache.Entry(r.body().bytes(), r.headers().firstValue("Content-Type").orElse(""));
    }
  }

  private static URI redirect(URI from, String location) throws Unreachable {
    URI next;
    try {
      next = from.resolve(location);
    } catch (IllegalArgumentException e) {
      throw new Unreachable("a redirect to a bad location '" + location + "'");
    }
    if (!("http".equalsIgnoreCase(next.getScheme()) || "https".equalsIgnoreCase(next.getScheme()))) {
      throw new Unreachable("a redirect to a non-http(s) location " + next);
    }
    return next;
  }

  /**
   * The note in a fetched body. HTML (by content type or by look) stays HTML for the gate's text conversion, but of a
   * GitHub release page only the release body counts: the rest of the page is navigation, not the note.
   */
  static String noteOf(UpstreamCache.Entry fetched) {
    String text = new String(fetched.body(), StandardCharsets.UTF_8);
    String contentType = fetched.contentType();
    String head = text.substring(0, Math.min(text.length(), 1024)).toLowerCase(Locale.ROOT);
    boolean html = contentType.toLowerCase(Locale.ROOT).contains("html") || head.contains("<html")
        || head.contains("<!doctype html");
    if (!html) {
      return text;
    }
    Document doc = Jsoup.parse(text);
    Element release = doc.selectFirst("[data-test-selector=body-content]");
    if (release == null) {
      release = doc.selectFirst(".markdown-body");
    }
    return release != null ? release.outerHtml() : doc.body() == null ? text : doc.body().outerHtml();
  }

  /** A body of at most {@code max} bytes; a longer one is cut off (the connection is cancelled) and marked. */
  record Body(byte[] bytes, boolean oversize) {}

  private static final class BoundedBody implements HttpResponse.BodySubscriber<Body> {
    private final int max;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Body> done = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletableFuture<Body> getBody() {
      return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (done.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (out.size() + n > max) {
          subscription.cancel();
          done.complete(new Body(new byte[0], true));
          return;
        }
        byte[] chunk = new byte[n];
        b.get(chunk);
        out.write(chunk, 0, n);
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(new Body(out.toByteArray(), false));
    }
  }
}
