package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.Distribution.Run;

/**
 * The distribution's own runtime image (issue 15, CLI start): {@code mvn package} links the modules into
 * {@code dist/runtime} (scripts/runtime.sh), and the launchers run on it — no module path for the JVM to resolve —
 * as long as it was linked from exactly the jars of {@code dist/lib}; otherwise, or with {@code WARM_RUNTIME=off},
 * they run {@code $JAVA -p lib} as before. Either way a command answers the same.
 */
class RuntimeImageIT {
  @TempDir
  Path tmp;

  private static Path runtime() throws Exception {
    Path rt = Distribution.lib().resolveSibling("runtime");
    assertTrue(Files.isExecutable(rt.resolve("bin/java")), "scripts/runtime.sh linked no image at " + rt);
    return rt.toRealPath();
  }

  /** The JVM's java.home as {@code -XshowSettings:properties} prints it on stderr. */
  private static String javaHome(Run r) {
    return r.err().lines().map(String::strip).filter(l -> l.startsWith("java.home = "))
        .map(l -> l.substring("java.home = ".length())).findFirst().orElse("(none printed)");
  }

  @Test
  void launchersRunOnTheRuntimeWithItsArchive() throws Exception {
    Path rt = runtime();
    for (String launcher : List.of("warm", "warm-quick")) {
      Run r = Distribution.launcher(launcher,
          Map.of("WARM_JAVA_OPTS", "-XshowSettings:properties -Xlog:class+load=info"), "--version");
      assertEquals(0, r.exit(), r.toString());
      assertEquals(rt.toString(), javaHome(r), launcher + " does not run on the distribution's runtime");
      assertFalse(r.err().contains("jdk.module.path"), launcher + " still passes a module path");
      String main = (launcher.equals("warm") ? "warm.nightly" : "warm.quick") + ".Main";
      assertTrue(r.out().lines().anyMatch(l -> l.contains(" " + main + " ") && l.contains("shared objects file")),
          launcher + ": " + main + " not loaded from the runtime's archive");
    }
  }

  @Test
  void theRuntimeAnswersAsTheModulePathDoes() throws Exception {
    runtime();
    String example = Distribution.repoRoot().resolve("docs/config.example.json").toString();
    List<List<String>> cmds = List.of(List.of("warm", "--version"), List.of("warm", "--help"),
        List.of("warm", "frobnicate"), List.of("warm", "config", "check", "--config", example),
        List.of("warm", "snapshot", "--help"), List.of("warm", "config", "check", "--config", "/nonexistent.json"),
        List.of("warm-quick", "--help"), List.of("warm-quick", "run", "--recipe"));
    for (List<String> cmd : cmds) {
      String[] args = cmd.subList(1, cmd.size()).toArray(String[]::new);
      Run image = Distribution.launcher(cmd.get(0), Map.of(), args);
      Run modulePath = Distribution.launcher(cmd.get(0), Map.of("WARM_RUNTIME", "off"), args);
      assertEquals(modulePath.toString(), image.toString(), cmd + ": the runtime answers differently");
    }
  }

  /** Jars that changed after the image was linked: it would run other code, so the launcher uses the jars. */
  @Test
  void aRuntimeLinkedFromOtherJarsIsNotUsed() throws Exception {
    Path rt = runtime();
    Path lib = Files.createDirectories(tmp.resolve("dist/lib"));
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> s = Files.list(Distribution.lib())) {
      for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
        jars.add(Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES));
      }
    }
    Files.createSymbolicLink(tmp.resolve("dist/runtime"), rt);
    Map<String, String> env = Map.of("WARM_LIB", lib.toString(), "WARM_JAVA_OPTS", "-XshowSettings:properties");
    Run same = Distribution.launcher("warm", env, "--version");
    assertEquals(rt.toString(), javaHome(same), "the same jars (names, sizes, mtimes) use the image: " + same);

    String thisJvm = Path.of(Distribution.java()).getParent().getParent().toRealPath().toString();
    Run off = Distribution.launcher("warm", Map.of("WARM_LIB", lib.toString(), "WARM_RUNTIME", "off",
        "WARM_JAVA_OPTS", "-XshowSettings:properties"), "--version");
    assertEquals(thisJvm, javaHome(off), "WARM_RUNTIME=off runs $JAVA");

    Path jar = jars.get(0);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 86_400_000L));
    Run changed = Distribution.launcher("warm", env, "--version");
    assertEquals(0, changed.exit(), changed.toString());
    assertEquals("cc-ci-warm 0.1.0\n", changed.out());
    assertEquals(thisJvm, javaHome(changed), "a jar newer than the image: $JAVA with the module path");
  }
}
