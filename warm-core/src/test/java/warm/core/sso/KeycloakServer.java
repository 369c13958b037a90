package warm.core.sso;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import warm.core.testing.Prereq;

/**
 * A real Keycloak for tests, owned by the test: started from the cached, augmented tree that
 * {@code scripts/keycloak.sh prepare} made (path in {@code WARM_KEYCLOAK_HOME}) in dev mode on loopback with free
 * ports and its own data directory, stopped with SIGTERM. {@link #stop} and {@link #start} keep ports and data, so
 * a test can take Keycloak away in the middle of a run and bring it back.
 */
@SuppressWarnings("try") // close() may be interrupted while waiting for Keycloak to stop: fine in tests
final class KeycloakServer implements AutoCloseable {
  static final String ENV_HOME = "WARM_KEYCLOAK_HOME";
  /** Build options: exactly those scripts/keycloak.sh augmented with, so nothing re-augments. */
  static final List<String> BUILD_OPTS = List.of("--health-enabled=true");
  static final String ADMIN = "admin";
  static final String ADMIN_CLIENT = "warm-test-admin";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

  private final Path home;
  private final Path data;
  private final int port;
  private final int managementPort;
  private final String adminPassword;
  private final String adminClientSecret;
  private Process process;
  private List<ProcessHandle> tree = List.of();
  private final Thread hook = new Thread(this::kill, "keycloak-test-stop");

  private KeycloakServer(Path home, Path data) throws IOException {
    this.home = home;
    this.data = data;
    this.port = freePort();
    int m = freePort();
    while (m == port) {
      m = freePort();
    }
    this.managementPort = m;
    Path template = home.resolve(".warm-template");
    if (Files.isDirectory(template.resolve("data"))) {
      // A database whose schema and master realm exist already: ready in ~10 s instead of ~30 s.
      copyTree(template.resolve("data"), data.resolve("data"));
      Files.copy(template.resolve("admin-password"), data.resolve("admin-password"));
      Files.copy(template.resolve("admin-client-secret"), data.resolve("admin-client-secret"));
    } else {
      Files.writeString(data.resolve("admin-password"), random() + "\n");
      Files.writeString(data.resolve("admin-client-secret"), random() + "\n");
    }
    Files.setPosixFilePermissions(data.resolve("admin-password"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(data.resolve("admin-client-secret"), PosixFilePermissions.fromString("rw-------"));
    this.adminPassword = Files.readString(data.resolve("admin-password")).strip();
    this.adminClientSecret = Files.readString(data.resolve("admin-client-secret")).strip();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".lock.db") || name.endsWith(".trace.db")) {
          continue;
        }
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  /** Why no server can be started here, or null when the prepared tree is present. */
  static String missing() {
    String h = System.getenv(ENV_HOME);
    return h != null && Files.isRegularFile(Path.of(h, ".warm-augmented")) ? null
        : ENV_HOME + " does not point at a prepared Keycloak (run: export " + ENV_HOME
            + "=$(scripts/keycloak.sh prepare))";
  }

  /**
   * Starts a fresh server, or returns null when the prepared tree is missing on a developer box (tests then skip
   * one by one with {@link #missing()} as the reason); with CI=true a missing tree fails.
   */
  static KeycloakServer startFresh() throws Exception {
    String why = missing();
    if (why != null) {
      Prereq.require(false, why);
      return null;
    }
    String h = System.getenv(ENV_HOME);
    Path data = Files.createTempDirectory("warm-kc-test-");
    KeycloakServer s = new KeycloakServer(Path.of(h), data);
    Runtime.getRuntime().addShutdownHook(s.hook);
    s.start();
    return s;
  }

  /** Starts (again) on the same ports and data; returns when /health/ready answers 200. */
  void start() throws Exception {
    List<String> argv = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev"));
    argv.addAll(BUILD_OPTS);
    argv.addAll(List.of("--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
        "--db-url-path=" + data));
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("keycloak.log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    pb.environment().put("KC_BOOTSTRAP_ADMIN_CLIENT_ID", ADMIN_CLIENT);
    pb.environment().put("KC_BOOTSTRAP_ADMIN_CLIENT_SECRET", adminClientSecret);
    pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx256m");
    long t0 = System.nanoTime();
    process = pb.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("Keycloak exited with " + process.exitValue() + " before it was ready; log tail:\n" + logTail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          tree = new ArrayList<>(process.descendants().toList());
          System.err.printf("keycloak ready on %s after %d ms%n", url(), (System.nanoTime() - t0) / 1_000_000);
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    kill();
    fail("Keycloak not ready after " + READY_TIMEOUT.toSeconds() + " s; log tail:\n" + logTail());
  }

  /** SIGTERM to kc.sh (it forwards to java), wait, then SIGKILL whatever of the tree is left. */
  void stop() throws Exception {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(tree);
    all.addAll(process.descendants().toList());
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      System.err.println("keycloak ignored SIGTERM for 30 s: killing it");
    }
    all.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    for (ProcessHandle h : all) {
      h.onExit().get(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  private void kill() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      tree.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      try (Stream<Path> s = Files.walk(data)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String adminPassword() {
    return adminPassword;
  }

  String adminClientSecret() {
    return adminClientSecret;
  }

  Path adminPasswordFile() {
    return data.resolve("admin-password");
  }

  Path adminClientSecretFile() {
    return data.resolve("admin-client-secret");
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(data.resolve("keycloak.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String random() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
