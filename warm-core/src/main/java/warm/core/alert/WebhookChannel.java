package warm.core.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import warm.core.WarmException;
import warm.core.state.StateJson;

/**
 * Delivers an alert by HTTP POST; any 2xx status means delivered. {@code json} posts the alert document;
 * {@code ntfy} posts a plain-text body with {@code Title}, {@code Priority} and {@code Tags} headers, which is
 * what an ntfy server (and anything compatible) expects. Redirects are not followed (a redirected POST is not a
 * delivery) and every attempt is bounded by the channel's timeout.
 */
final class WebhookChannel implements AlertChannel {
  /** The body shape. */
  enum Format {
    JSON, NTFY;

    static Format parse(String s) {
      return switch (s == null ? "json" : s) {
        case "json" -> JSON;
        case "ntfy" -> NTFY;
        default -> throw WarmException.usage("webhook format must be 'json' or 'ntfy', got '" + s + "'");
      };
    }
  }

  /** Longest ntfy body in bytes; ntfy turns longer messages into attachments. */
  static final int NTFY_MAX_BYTES = 4000;

  private final URI uri;
  private final Format format;
  private final Map<String, String> headers;
  private final Duration timeout;
  private HttpClient client;

  WebhookChannel(String url, Format format, Map<String, String> headers, Duration timeout) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw WarmException.usage("a webhook alert channel needs an http(s) URL");
    }
    try {
      this.uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      // the message would quote the URL, which can carry a token
      throw WarmException.usage("webhook URL of " + hostOf(url) + " is not a valid URI");
    }
    this.format = format;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
  }

  /** Made on first use: most runs have nothing to deliver, and a client starts a selector thread. */
  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .connectTimeout(timeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    }
    return client;
  }

  @Override
  public String id() {
    return AlertChannel.idOf("webhook", format + " " + uri);
  }

  @Override
  public String describe() {
    // Scheme, host and port only: webhook paths and queries often are the secret (Slack, Matrix hooks).
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return "webhook " + uri.getScheme() + "://" + uri.getHost() + port
        + (format == Format.NTFY ? " (ntfy)" : "");
  }

  @Override
  public void deliver(Alert alert) {
    HttpRequest request = request(alert);
    CompletableFuture<HttpResponse<byte[]>> call = client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      // The request timeout covers the response headers; this also bounds a body that trickles.
      response = call.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new AlertDeliveryException(describe() + " did not answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      String why = c instanceof HttpTimeoutException
          ? "did not answer within " + timeout.toSeconds() + " s"
          : "is unreachable (" + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": "
              + redact(c.getMessage())) + ")";
      throw new AlertDeliveryException(describe() + " " + why, c);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new AlertDeliveryException(describe() + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      String body = new String(response.body(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
      if (body.length() > 200) {
        body = body.substring(0, 200) + "…";
      }
      throw new AlertDeliveryException(describe() + " answered HTTP " + status + (body.isEmpty() ? "" : ": " + body));
    }
  }

  HttpRequest request(Alert alert) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    Map<String, String> h = new LinkedHashMap<>();
    byte[] body;
    if (format == Format.JSON) {
      body = StateJson.bytes(alert);
      h.put("Content-Type", "application/json");
    } else {
      body = ntfyBody(alert);
      h.put("Content-Type", "text/plain; charset=utf-8");
      h.put("Title", headerSafe(ntfyTitle(alert)));
      h.put("Priority", ntfyPriority(alert.severity()));
      h.put("Tags", ntfyTags(alert));
    }
    h.putAll(headers);
    for (var e : h.entrySet()) {
      try {
        b.setHeader(e.getKey(), e.getValue());
      } catch (IllegalArgumentException ex) {
        // never echo the value: it may be a token
        throw new AlertDeliveryException(describe() + ": header '" + headerSafe(e.getKey())
            + "' is not allowed or has an invalid value");
      }
    }
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  static String ntfyTitle(Alert a) {
    return "cc-ci-warm: " + a.kind() + (a.app() == null ? "" : " " + a.app());
  }

  /** ntfy priorities: 5 urgent, 4 high, 3 default. */
  static String ntfyPriority(Alert.Severity s) {
    return switch (s) {
      case CRITICAL -> "urgent";
      case ERROR -> "high";
      case WARNING -> "default";
    };
  }

  /** ntfy shows known tags as emoji: {@code rotating_light} for critical, {@code warning} otherwise. */
  static String ntfyTags(Alert a) {
    String emoji = a.severity() == Alert.Severity.CRITICAL ? "rotating_light" : "warning";
    return emoji + ",cc-ci-warm," + a.kind();
  }

  static byte[] ntfyBody(Alert a) {
    StringBuilder t = new StringBuilder(a.message().strip());
    if (a.attemptedVersion() != null) {
      t.append("\nattempted: ").append(a.attemptedVersion());
    }
    if (a.lastGoodVersion() != null) {
      t.append("\nlast good: ").append(a.lastGoodVersion());
    }
    if (a.recovered() != null) {
      t.append("\nrecovered: ").append(a.recovered() ? "yes" : "NO");
    }
    if (a.notesExcerpt() != null) {
      t.append("\n\nrelease notes:\n").append(a.notesExcerpt().strip());
    }
    t.append("\n\n").append(a.id());
    byte[] all = t.toString().getBytes(StandardCharsets.UTF_8);
    if (all.length <= NTFY_MAX_BYTES) {
      return all;
    }
    // Cut on a character boundary, keeping the id at the end so the full alert can be found in sent/.
    String tail = "\n… (cut; full alert " + a.id() + ")";
    int room = NTFY_MAX_BYTES - tail.getBytes(StandardCharsets.UTF_8).length;
    String s = t.toString();
    int bytes = 0;
    int end = 0;
    while (end < s.length()) {
      int cp = s.codePointAt(end);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > room) {
        break;
      }
      bytes += n;
      end += Character.charCount(cp);
    }
    return (s.substring(0, end) + tail).getBytes(StandardCharsets.UTF_8);
  }

  /** Printable ASCII only: HTTP/1.1 header values are not UTF-8, and a newline would be header injection. */
  static String headerSafe(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private String redact(String message) {
    String full = uri.toString();
    String shown = message.replace(full, describe());
    String path = uri.getRawPath();
    if (path != null && path.length() > 1) {
      shown = shown.replace(path, "/…");
    }
    return shown;
  }

  private static String hostOf(String url) {
    int start = url.indexOf("://");
    String rest = start < 0 ? url : url.substring(start + 3);
    int end = rest.indexOf('/');
    String authority = end < 0 ? rest : rest.substring(0, end);
    // drop user:password@
    return authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return describe();
  }
}
