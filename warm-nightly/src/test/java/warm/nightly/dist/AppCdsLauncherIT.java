package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.Distribution.Run;

/**
 * The launchers' AppCDS archive: the real launchers ({@code bin/warm}, {@code bin/warm-quick}) on a copy of the built
 * distribution whose archives {@code scripts/appcds.sh} wrote. A valid archive is used (classes come from the shared
 * archive); a missing, stale (jars changed, another JVM) or corrupt one changes neither the exit code nor stdout nor
 * stderr of a command — while {@code -Xshare:on} proves the launcher really handed the JVM that bad archive.
 */
class AppCdsLauncherIT {
  /** Each launcher, commands that exit 0 and 2 (usage), printing a version, a JSON document, an error. */
  private static final List<List<String>> COMMANDS = List.of(
      List.of("warm", "--version"), List.of("warm", "no-such-command"),
      List.of("warm", "config", "check", "--config", "@example"), List.of("warm-quick", "run", "--recipe"));

  @TempDir
  static Path tmp;
  static Path lib;

  @BeforeAll
  static void copyDistributionAndWriteArchives() throws Exception {
    lib = archivedLib("lib");
  }

  /** The distribution's jars copied to {@code tmp/name}, with archives written for exactly that module path. */
  private static Path archivedLib(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    try (Stream<Path> jars = Files.list(Distribution.lib())) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, dir.resolve(jar.getFileName()));
      }
    }
    Process p = new ProcessBuilder("bash", Distribution.repoRoot().resolve("scripts/appcds.sh").toString(),
        dir.toString(), Distribution.java()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    assertTrue(Files.size(dir.resolve("warm.nightly.jsa")) > 0 && Files.size(dir.resolve("warm.quick.jsa")) > 0, out);
    return dir;
  }

  @Test
  void validArchiveIsUsed() throws Exception {
    for (String launcher : List.of("warm", "warm-quick")) {
      Run r = Distribution.launcher(launcher, Map.of("WARM_LIB", lib.toString(),
          "WARM_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
      assertEquals(0, r.exit(), r.toString());
      String module = launcher.equals("warm") ? "warm.nightly" : "warm.quick";
      String main = module + ".Main";
      assertTrue(r.out().lines().anyMatch(l -> l.contains(" " + main + " ") && l.contains("source: shared objects file")),
          launcher + ": " + main + " not loaded from the archive:\n" + tail(r.out()));
      assertEquals(0, Distribution.launcher(launcher, Map.of("WARM_LIB", lib.toString(), "WARM_JAVA_OPTS", "-Xshare:on"),
          "--version").exit(), launcher + " with -Xshare:on: the archive maps");
    }
  }

  /**
   * The launchers as an operator runs them, no WARM_LIB: they find the checkout's distribution, whose archives
   * {@code mvn package} wrote, under a module path spelled exactly as the archive recorded it.
   */
  @Test
  void builtDistributionsArchiveIsUsedWithoutWarmLib() throws Exception {
    for (String launcher : List.of("warm", "warm-quick")) {
      String main = (launcher.equals("warm") ? "warm.nightly" : "warm.quick") + ".Main";
      Run r = Distribution.launcher(launcher, Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
      assertEquals(0, r.exit(), r.toString());
      assertTrue(r.out().lines().anyMatch(l -> l.contains(" " + main + " ") && l.contains("source: shared objects file")),
          launcher + ": " + main + " not loaded from the package-time archive:\n" + tail(r.out()));
    }
  }

  /**
   * The archive also holds the snapshot engine's classes (its training run snapshots, verifies and restores a small
   * tree): a snapshot and a restore map them instead of loading and verifying them from the jars (issue 15).
   */
  @Test
  void snapshotEngineClassesComeFromTheArchive() throws Exception {
    Path vol = Files.createDirectories(tmp.resolve("cds-vol/sub"));
    Files.writeString(vol.resolve("f"), "x");
    Path store = tmp.resolve("cds-store");
    // With the thread id: the first class is loaded by the thread that then runs main.
    Map<String, String> env = Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info:stdout:tid,tags");
    for (List<String> cmd : List.of(
        List.of("warm", "snapshot", "--store", store.toString(), "--volume", "data=" + vol.getParent()),
        List.of("warm", "restore", "--store", store.toString(), "--volume", "data=" + vol.getParent()))) {
      Run r = launch(lib, env, cmd);
      assertEquals(0, r.exit(), cmd + ": " + r.err());
      List<String> engine = r.out().lines().filter(l -> l.contains("[class,load] warm.snapshot.")).toList();
      assertTrue(engine.stream().anyMatch(l -> l.contains(" warm.snapshot.internal.Engine ")), cmd + ": " + engine);
      // Named classes only: a static archive holds the lambda proxies its class list names, but the JVM spins a few
      // at run time anyway (a restore: one of the JDK's), which costs less than a class from a jar.
      List<String> fromJars = engine.stream().filter(l -> !l.contains("source: shared objects file"))
          .filter(l -> !l.contains("$$Lambda$")).toList();
      assertEquals(List.of(), fromJars, cmd.get(1) + ": engine classes not loaded from the archive");
      if (cmd.get(1).equals("snapshot")) {
        // A snapshot spins none: the class list keeps a lambda line as often as a training run listed it, so each
        // call site of one shape (SnapshotCommand's four `common::config`, the JDK's FindOps) has its own proxy.
        List<String> spun = r.out().lines().filter(l -> l.contains("$$Lambda$"))
            .filter(l -> !l.contains("source: shared objects file")).toList();
        assertEquals(List.of(), spun, "snapshot: lambda proxies spun at run time");
      }
      // picocli's classes too, its handler interfaces among them: a pre-Java-6 class the dump had to link (for a
      // lambda proxy of Cli's) is left out of the archive, and loading it opened the module image on the main thread.
      List<String> cliFromJars = r.out().lines().filter(l -> l.contains("[class,load] picocli.")
          || l.contains("[class,load] warm.quick.cli.")).filter(l -> !l.contains("source: shared objects file"))
          .toList();
      assertEquals(List.of(), cliFromJars, cmd.get(1) + ": CLI classes not loaded from the archive");
      // The command's own classes, its coded picocli model among them (DataCommands).
      List<String> commandFromJars = r.out().lines().filter(l -> l.contains("[class,load] warm.nightly."))
          .filter(l -> !l.contains("source: shared objects file")).filter(l -> !l.contains("$$Lambda$")).toList();
      assertEquals(List.of(), commandFromJars, cmd.get(1) + ": command classes not loaded from the archive");
      assertTrue(r.out().lines().anyMatch(l -> l.contains(" warm.nightly.cli.DataCommands ")), r.out());
      // Its model is built in code: the main thread reads no annotation, so the JVM generates no annotation proxy
      // class (JDK 17's CDS cannot archive them). JNA's warm-up thread makes its library's proxy: not the main one.
      String mainThread = r.out().lines().findFirst().orElseThrow().split("]")[0];
      List<String> proxies = r.out().lines().filter(l -> l.startsWith(mainThread + "]"))
          .filter(l -> l.contains("__dynamic_proxy__")).toList();
      assertEquals(List.of(), proxies, cmd.get(1) + ": dynamic proxies on the main thread");
    }
  }

  /**
   * JNA's native stub (issue 15, row 4): {@code scripts/jna-native.sh} extracts it next to the lib folder
   * ({@code DIST/jna/<JNA jar's name>/}), the launcher hands that folder to JNA, and a snapshot then loads the stub
   * without copying it out of the jar into a temp file. A folder named after another JNA jar is not used, and with
   * none JNA extracts the stub as before; the snapshot succeeds every time. JNA reports its extraction with
   * {@code -Djna.debug_load=true}.
   */
  @Test
  void jnaStubComesFromTheExtractedFolder() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("jna-dist/lib"));
    try (Stream<Path> jars = Files.list(Distribution.lib())) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, dir.resolve(jar.getFileName()));
      }
    }
    Process p = new ProcessBuilder("bash", Distribution.repoRoot().resolve("scripts/jna-native.sh").toString(),
        dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    Path jnaJar;
    try (Stream<Path> jars = Files.list(dir)) {
      jnaJar = jars.filter(j -> j.getFileName().toString().startsWith("jna-")).findFirst().orElseThrow();
    }
    Path folder = dir.resolveSibling("jna").resolve(jnaJar.getFileName().toString().replaceFirst("\\.jar$", ""));
    assertTrue(Files.size(folder.resolve("libjnidispatch.so")) > 0, out);

    Path vol = Files.createDirectories(tmp.resolve("jna-vol/sub"));
    Files.writeString(vol.resolve("f"), "x");
    Map<String, String> env = Map.of("WARM_JAVA_OPTS", "-Djna.debug_load=true", "WARM_CDS", "off");
    List<String> snapshot = List.of("warm", "snapshot", "--store", tmp.resolve("jna-store").toString(), "--volume",
        "data=" + vol.getParent());
    Run extracted = launch(dir, env, snapshot);
    assertEquals(0, extracted.exit(), extracted.toString());
    assertFalse(extracted.err().contains("Extracting library to"), extracted.err());

    Files.move(folder, folder.resolveSibling("jna-0.0.0")); // another JNA jar's folder
    Run other = launch(dir, env, snapshot);
    assertEquals(0, other.exit(), other.toString());
    assertTrue(other.err().contains("Extracting library to"), other.err());

    Files.delete(folder.resolveSibling("jna-0.0.0").resolve("libjnidispatch.so"));
    Run none = launch(dir, env, snapshot);
    assertEquals(0, none.exit(), none.toString());
    assertTrue(none.err().contains("Extracting library to"), none.err());
  }

  /** {@code warm --version} reads no annotation: no dynamic proxy class at all (issue 15). */
  @Test
  void versionMakesNoAnnotationProxy() throws Exception {
    Run r = launch(lib, Map.of("WARM_JAVA_OPTS", "-Xlog:class+load=info"), List.of("warm", "--version"));
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("cc-ci-warm "), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.contains(" warm.nightly.Main source: shared objects file")), r.out());
    assertEquals(List.of(), r.out().lines().filter(l -> l.contains("__dynamic_proxy__")).toList());
  }

  /**
   * Every command runs C1 only, the data commands too (issue 15: C2's compiler threads cost a 20k-file snapshot or
   * restore more CPU than its optimised code saves, also on a 561 MiB tar restore) — except those that may hash
   * volume contents (SHA-256 has no C1 intrinsic: 2.5x slower), which the launcher sees in the argv:
   * {@code --verify-content}, and the reconciler's rollback (reconcile, nightly, recover). The JVM reports its flags.
   */
  @Test
  void c1OnlyUnlessTheCommandHashesContents() throws Exception {
    List<List<String>> c1 = List.of(List.of("warm", "--version"), List.of("warm", "snapshot", "--help"),
        List.of("warm", "restore", "--help"), List.of("warm", "verify", "--help"), List.of("warm", "promote", "--help"),
        List.of("warm-quick", "run", "--help"), List.of("warm-quick", "--version"));
    List<List<String>> full = List.of(List.of("warm", "restore", "--verify-content", "--help"),
        List.of("warm", "verify", "--help", "--verify-content"), List.of("warm", "reconcile", "--help"),
        List.of("warm", "nightly", "--help"), List.of("warm", "recover", "--help"));
    for (List<String> cmd : c1) {
      assertTrue(flags(cmd).contains("-XX:TieredStopAtLevel=1"), cmd + " does not run C1 only: " + flags(cmd));
    }
    for (List<String> cmd : full) {
      assertFalse(flags(cmd).contains("-XX:TieredStopAtLevel"), cmd + " does not run the full JIT: " + flags(cmd));
    }
  }

  /** The JVM's command-line flags as it reports them for {@code cmd} run by the launcher. */
  private static String flags(List<String> cmd) throws Exception {
    Run r = launch(lib, Map.of("WARM_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), cmd);
    assertEquals(0, r.exit(), cmd + ": " + r);
    return r.out().lines().filter(l -> l.contains("-XX:")).findFirst().orElse("");
  }

  @Test
  void missingArchiveChangesNothing() throws Exception {
    Path bare = copyOfLib("missing");
    try (Stream<Path> f = Files.list(bare)) {
      for (Path jsa : f.filter(p -> p.toString().endsWith(".jsa")).toList()) {
        Files.delete(jsa);
      }
    }
    assertSameAsWithout(bare, Map.of());
  }

  /** Random bytes of the recorded size: the launcher hands it over, the JVM's header check rejects it. */
  @Test
  void garbageArchiveChangesNothing() throws Exception {
    Path bad = copyOfLib("garbage");
    for (String m : List.of("warm.nightly", "warm.quick")) {
      Path jsa = bad.resolve(m + ".jsa");
      byte[] junk = new byte[(int) Files.size(jsa)];
      new Random(15).nextBytes(junk);
      Files.delete(jsa);
      Files.write(jsa, junk);
    }
    assertSameAsWithout(bad, Map.of());
    assertRefusedUnderShareOn(bad, Map.of());
  }

  /** A valid header over damaged content of the recorded size: the launcher hands it over, the CRC rejects it. */
  @Test
  void damagedArchiveContentChangesNothing() throws Exception {
    Path bad = lib;
    withArchivesRestored(() -> {
      Random random = new Random(17);
      for (String m : List.of("warm.nightly", "warm.quick")) {
        Path jsa = bad.resolve(m + ".jsa");
        byte[] b = Files.readAllBytes(jsa);
        for (int off = 64 * 1024; off < b.length; off += b.length / 40) {
          for (int i = off; i < Math.min(b.length, off + 512); i++) {
            b[i] = (byte) random.nextInt();
          }
        }
        Files.delete(jsa);
        Files.write(jsa, b);
      }
      assertSameAsWithout(bad, Map.of());
      assertRefusedUnderShareOn(bad, Map.of());
    });
  }

  /**
   * A truncated archive (a full disk, a partial copy) would kill the JVM with SIGBUS before any check of its own
   * (seen on JDK 17: exit 134): the launcher's size check keeps it from the JVM.
   */
  @Test
  void truncatedArchiveChangesNothing() throws Exception {
    Path bad = lib;
    withArchivesRestored(() -> {
      for (String m : List.of("warm.nightly", "warm.quick")) {
        Path jsa = bad.resolve(m + ".jsa");
        byte[] head = Files.readAllBytes(jsa);
        jsa.toFile().setWritable(true);
        Files.write(jsa, java.util.Arrays.copyOf(head, head.length / 3));
      }
      assertSameAsWithout(bad, Map.of());
    });
  }

  /** A jar rebuilt after the archive was written (other size and mtime): the archive is stale. */
  @Test
  void staleArchiveAfterAJarChangedChangesNothing() throws Exception {
    Path stale = lib;
    withArchivesRestored(() -> {
      assertEquals(0, launch(stale, Map.of("WARM_JAVA_OPTS", "-Xshare:on"), List.of("warm", "--version")).exit(),
          "the fresh archive maps before the jar changes");
      try (Stream<Path> f = Files.list(stale)) {
        for (Path jar : f.filter(p -> p.getFileName().toString().startsWith("warm-")
            && p.toString().endsWith(".jar")).toList()) {
          Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 86_400_000L));
        }
      }
      assertSameAsWithout(stale, Map.of());
      assertRefusedUnderShareOn(stale, Map.of());
    });
  }

  /** A check that may throw anything. */
  private interface Check {
    void run() throws Exception;
  }

  /**
   * Runs {@code check}, which damages the archives (or makes them stale) of {@link #lib} in place, then puts every
   * file of {@code lib} back as it was (bytes and mtime) and proves the archive maps again. One archive, written for
   * {@code lib}'s exact path, so serves every case that needs a valid one to break: an archive copied to another
   * directory is refused for its recorded module path before the check a case is about, and writing one per case
   * cost three more sets of training runs (~15 s each at CI load).
   */
  private static void withArchivesRestored(Check check) throws Exception {
    Path saved = Files.createTempDirectory(tmp, "saved-lib-");
    Map<Path, FileTime> mtimes = new HashMap<>();
    try (Stream<Path> f = Files.list(lib)) {
      for (Path p : f.toList()) {
        mtimes.put(p.getFileName(), Files.getLastModifiedTime(p));
        if (p.toString().endsWith(".jsa") || p.toString().endsWith(".jsa.size")) {
          Files.copy(p, saved.resolve(p.getFileName()));
        }
      }
    }
    try {
      check.run();
    } finally {
      try (Stream<Path> f = Files.list(saved)) {
        for (Path p : f.toList()) {
          Path target = lib.resolve(p.getFileName());
          target.toFile().setWritable(true);
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      for (Map.Entry<Path, FileTime> e : mtimes.entrySet()) {
        Files.setLastModifiedTime(lib.resolve(e.getKey()), e.getValue());
      }
    }
    assertEquals(0, launch(lib, Map.of("WARM_JAVA_OPTS", "-Xshare:on"), List.of("warm", "--version")).exit(),
        "the archive maps again once restored");
  }

  /** The archive of this JDK under another JVM (a JDK upgrade without a rebuild of the archive). */
  @Test
  void staleArchiveOfAnotherJvmChangesNothing() throws Exception {
    Path other = otherJava();
    warm.core.testing.Prereq.require(other != null, "a second JDK under /usr/lib/jvm (another major version)");
    Map<String, String> env = Map.of("JAVA", other.toString());
    assertSameAsWithout(lib, env);
    assertRefusedUnderShareOn(lib, env);
  }

  /** Every command, with the archive in {@code dir}, exits, prints and complains exactly as with no archive at all. */
  private static void assertSameAsWithout(Path dir, Map<String, String> env) throws Exception {
    for (List<String> cmd : COMMANDS) {
      Run with = launch(dir, env, cmd);
      Map<String, String> off = new HashMap<>(env);
      off.put("WARM_CDS", "off");
      Run without = launch(dir, off, cmd);
      String what = cmd + " with " + dir.getFileName();
      assertEquals(without.exit(), with.exit(), what + ": exit\n" + with);
      assertEquals(without.out(), with.out(), what + ": stdout");
      assertEquals(without.err(), with.err(), what + ": stderr");
    }
  }

  /** With {@code -Xshare:on} the JVM refuses the archive: the launcher did pass it, and it is unusable. */
  private static void assertRefusedUnderShareOn(Path dir, Map<String, String> env) throws Exception {
    for (String launcher : List.of("warm", "warm-quick")) {
      Map<String, String> on = new HashMap<>(env);
      on.put("WARM_JAVA_OPTS", "-Xshare:on");
      Run r = launch(dir, on, List.of(launcher, "--version"));
      assertNotEquals(0, r.exit(), launcher + " with " + dir.getFileName() + " under -Xshare:on mapped it:\n" + r);
      assertFalse(r.out().contains("cc-ci-warm"), r.toString());
    }
  }

  private static Run launch(Path dir, Map<String, String> env, List<String> cmd) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("WARM_LIB", dir.toString());
    String[] args = cmd.subList(1, cmd.size()).stream()
        .map(a -> a.equals("@example") ? Distribution.repoRoot().resolve("docs/config.example.json").toString() : a)
        .toArray(String[]::new);
    return Distribution.launcher(cmd.get(0), all, args);
  }

  private static Path copyOfLib(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    try (Stream<Path> f = Files.list(lib)) {
      for (Path p : f.toList()) {
        Files.copy(p, dir.resolve(p.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return dir;
  }

  /** A java of another JDK than this one, if the host has one (Debian's /usr/lib/jvm). */
  private static Path otherJava() throws IOException {
    Path self = Path.of(Distribution.java()).toRealPath();
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (Stream<Path> dirs = Files.list(jvms)) {
      for (Path d : dirs.sorted().toList()) {
        Path java = d.resolve("bin/java");
        if (Files.isExecutable(java) && !java.toRealPath().equals(self)
            && !java.toRealPath().getParent().getParent().equals(self.getParent().getParent())) {
          return java;
        }
      }
    }
    return null;
  }

  private static String tail(String s) {
    return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
  }
}
