package warm.core.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import warm.core.WarmException;

/**
 * The Docker Engine API on the engine's unix socket, for reads: one HTTP/1.1 {@code GET} per connection
 * ({@code Connection: close}), its JSON answer parsed. Why not the CLI for these: every {@code docker} call is a Go
 * process start, 25–40 ms on an idle 2-core host and 100 ms and more under load, and a look at a stack takes five;
 * the same question over the socket is answered in about a millisecond. Paths carry no API version: the engine then
 * answers in its own, and the fields read here ({@link SwarmObjects}) are the same in every version since 1.24.
 */
final class EngineApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private static final byte[] CRLF = {'\r', '\n'};

  private final Path socket;
  private final Duration timeout;

  EngineApi(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * The API at a docker host string as the CLI reports it ({@code docker context inspect}): only a unix socket
   * ({@code unix:///var/run/docker.sock}); tcp, ssh and npipe hosts stay with the CLI, which knows their TLS and
   * transport settings.
   */
  static Optional<EngineApi> at(String host, Duration timeout) {
    String h = host.strip();
    if (!h.startsWith("unix://") || h.length() <= "unix://".length()) {
      return Optional.empty();
    }
    String path = h.substring("unix://".length());
    return path.startsWith("/") ? Optional.of(new EngineApi(Path.of(path), timeout)) : Optional.empty();
  }

  /** The socket this API answers on, as a docker host string. */
  String host() {
    return "unix://" + socket;
  }

  /**
   * {@code filters=} of the API: each key's values OR'd, keys AND'd (the engine's own rule).
   *
   * @param filters key → values, e.g. {@code label → [com.docker.stack.namespace=app_ci_localhost]}
   */
  static String filters(Map<String, ? extends Iterable<String>> filters) {
    Map<String, Map<String, Boolean>> m = new TreeMap<>();
    filters.forEach((k, vs) -> vs.forEach(v -> m.computeIfAbsent(k, x -> new TreeMap<>()).put(v, true)));
    try {
      return "filters=" + URLEncoder.encode(JSON.writeValueAsString(m), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("filters of strings always serialise", e);
    }
  }

  /** A path segment (an id or name) made safe for the request line. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * {@code GET path}: the answer's JSON, or empty when the engine says 404 (no such object — what the CLI's
   * {@code inspect} of an id that vanished meanwhile reports as a failure the adapter skips).
   *
   * @throws WarmException exit 4 when nothing answers on the socket, the answer is late, not HTTP or not JSON, or
   *     the engine refuses the request (its own message quoted)
   */
  Optional<JsonNode> get(String path) {
    byte[] raw;
    try {
      raw = exchange(path);
    } catch (IOException e) {
      throw WarmException.infra("no Docker engine answers on " + host() + " (GET " + path + ": " + e.getMessage()
          + "); start dockerd (scripts/testbed.sh does)");
    }
    Response r;
    try {
      r = parse(raw);
    } catch (IOException e) {
      throw WarmException.infra("unexpected answer on " + host() + " (GET " + path + "): " + e.getMessage());
    }
    if (r.status() == 404) {
      return Optional.empty();
    }
    JsonNode body;
    try {
      body = r.body().length == 0 ? JSON.missingNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw WarmException.infra("unexpected answer from the Docker engine (GET " + path + ", HTTP " + r.status()
          + "): not JSON");
    }
    if (r.status() != 200) {
      throw WarmException.infra("the Docker engine refused GET " + path + " (HTTP " + r.status() + "): "
          + body.path("message").asText("(no message)"));
    }
    return Optional.of(body);
  }

  /** One answer: the status code and the body, de-chunked. */
  record Response(int status, byte[] body) {}

  /** Sends the request and reads the whole answer, until the engine closes the connection. */
  private byte[] exchange(String path) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: cc-ci-warm\r\nAccept: application/json"
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream raw = new ByteArrayOutputStream(8192);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // A unix-socket connect does not wait on a peer: it succeeds or is refused at once.
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        ch.write(out);
      }
      // Non-blocking reads under a selector: a blocking channel read has no timeout, and a hung engine must not hang
      // the lane past its bound.
      ch.configureBlocking(false);
      try (Selector selector = Selector.open()) {
        ch.register(selector, SelectionKey.OP_READ);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        while (true) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException("no answer within " + timeout.toMillis() + " ms");
          }
          if (selector.select(Math.max(1, left / 1_000_000)) == 0) {
            continue;
          }
          selector.selectedKeys().clear();
          int n = ch.read(in);
          if (n < 0) {
            break;
          }
          raw.write(in.array(), 0, in.position());
          in.clear();
        }
      }
    }
    return raw.toByteArray();
  }

  /** Parses a whole HTTP/1.1 response read until the engine closed the connection. */
  static Response parse(byte[] raw) throws IOException {
    int end = indexOf(raw, HEADER_END, 0);
    if (end < 0) {
      throw new IOException("the answer is not HTTP (no end of headers in " + raw.length + " bytes)");
    }
    String[] head = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = head[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("the answer is not HTTP: " + head[0]);
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the answer is not HTTP: " + head[0], e);
    }
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      if (colon > 0) {
        headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
      }
    }
    int start = end + HEADER_END.length;
    byte[] body;
    if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
      body = dechunk(raw, start);
    } else if (headers.containsKey("content-length")) {
      long len;
      try {
        len = Long.parseLong(headers.get("content-length"));
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + headers.get("content-length"), e);
      }
      if (len < 0 || start + len > raw.length) {
        throw new IOException("the answer ended after " + (raw.length - start) + " of " + len + " bytes");
      }
      body = Arrays.copyOfRange(raw, start, start + (int) len);
    } else {
      body = Arrays.copyOfRange(raw, start, raw.length);
    }
    return new Response(code, body);
  }

  private static byte[] dechunk(byte[] raw, int from) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length - from);
    int p = from;
    while (true) {
      int eol = indexOf(raw, CRLF, p);
      if (eol < 0) {
        throw new IOException("the chunked answer ended inside a chunk header");
      }
      String size = new String(raw, p, eol - p, StandardCharsets.ISO_8859_1);
      int semi = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + size, e);
      }
      p = eol + 2;
      if (n == 0) {
        return out.toByteArray();
      }
      if (n < 0 || p + n > raw.length) {
        throw new IOException("the chunked answer ended inside a chunk");
      }
      out.write(raw, p, n);
      p += n + 2; // the chunk's own CRLF
    }
  }

  private static int indexOf(byte[] a, byte[] needle, int from) {
    outer:
    for (int i = from; i <= a.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (a[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
