package warm.nightly.reconcile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import warm.core.WarmException;

/**
 * The app's own health probe ({@code healthUrl}), the second half of the post-deploy gate (WC1.1): Swarm may call a
 * container healthy while the app answers errors. Healthy means a 2xx answer (redirects are not followed: a login
 * redirect is not health).
 */
final class HealthUrl {
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration REQUEST = Duration.ofSeconds(5);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(REQUEST)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  /** Empty when the URL answers 2xx within {@code bound}; else the last answer or error. */
  Optional<String> await(URI url, Duration bound) {
    return await(url, bound, () -> false);
  }

  /** As {@link #await(URI, Duration)}, giving up as soon as {@code stop} holds (a SIGTERM: roll back now). */
  Optional<String> await(URI url, Duration bound, BooleanSupplier stop) {
    long deadline = System.nanoTime() + bound.toNanos();
    String last;
    while (true) {
      if (stop.getAsBoolean()) {
        return Optional.of("cancelled (SIGTERM) while waiting for " + url);
      }
      Optional<String> bad = once(url);
      if (bad.isEmpty()) {
        return bad;
      }
      last = bad.get();
      if (System.nanoTime() > deadline) {
        return Optional.of(url + " did not answer 2xx within " + bound.toSeconds() + " s (last: " + last + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw WarmException.infra("interrupted while probing " + url, e);
      }
    }
  }

  /** One GET: empty on 2xx, else what came back. */
  Optional<String> once(URI url) {
    try {
      HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(REQUEST).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      int s = r.statusCode();
      return s >= 200 && s < 300 ? Optional.empty() : Optional.of("HTTP " + s);
    } catch (IOException e) {
      return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WarmException.infra("interrupted while probing " + url, e);
    }
  }
}
