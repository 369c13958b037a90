package warm.core.sso;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A loopback TCP proxy to a real server that dies — closes every connection and its listening socket, so later
 * connects are refused — as soon as a client sends a request line matching a pattern. Lets a test take the server
 * away at an exact step of a multi-request operation.
 */
final class DyingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int upstreamPort;
  private final Pattern trigger;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean died;

  DyingProxy(int upstreamPort, Pattern trigger) throws IOException {
    this.upstreamPort = upstreamPort;
    this.trigger = trigger;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "dying-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  boolean died() {
    return died;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        synchronized (this) {
          sockets.add(client);
          sockets.add(server);
          // A connection accepted just before the proxy died must die with it, not slip through.
          if (died) {
            closeQuietly(client);
            closeQuietly(server);
            return;
          }
        }
        pump(client, server, true);
        pump(server, client, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean watch) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (watch && trigger.matcher(new String(buf, 0, n, StandardCharsets.ISO_8859_1)).find()) {
            die();
            return;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // a side closed: the pair is done
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "dying-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void die() {
    died = true;
    closeQuietly(listener);
    sockets.forEach(DyingProxy::closeQuietly);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    die();
  }
}
