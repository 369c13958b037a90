package warm.quick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * warm's own slf4j provider writes what the logback set-up wrote: {@code cc-ci-warm <level>: <message>} on stderr,
 * warm's loggers from info (debug with --verbose), every other library's from warn (debug with --verbose), the
 * syslog priority first under systemd, a stack trace only with --verbose.
 */
class StderrLogProviderTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream saved;

  @BeforeEach
  void captureStderr() {
    saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(saved);
    Logging.configure(false, Map.of());
  }

  private String logged() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void slf4jFindsThisProvider() {
    assertEquals(StderrLogProvider.class.getName() + "$Factory",
        LoggerFactory.getILoggerFactory().getClass().getName());
  }

  @Test
  void theProviderIsNamedToSlf4jUnlessTheJvmNamesOne() throws Exception {
    String provider = System.clearProperty(Logging.PROVIDER);
    String verbosity = System.clearProperty(Logging.VERBOSITY);
    try {
      Logging.nameProvider();
      // slf4j loads the named class with its own class loader and instantiates it through its public constructor
      Class<?> named = LoggerFactory.class.getClassLoader().loadClass(System.getProperty(Logging.PROVIDER));
      assertTrue(named.getConstructor().newInstance() instanceof org.slf4j.spi.SLF4JServiceProvider);
      assertEquals(StderrLogProvider.class, named);
      assertEquals("WARN", System.getProperty(Logging.VERBOSITY));

      System.setProperty(Logging.PROVIDER, "org.example.Other");
      System.setProperty(Logging.VERBOSITY, "DEBUG");
      Logging.nameProvider();
      assertEquals("org.example.Other", System.getProperty(Logging.PROVIDER));
      assertEquals("DEBUG", System.getProperty(Logging.VERBOSITY));
    } finally {
      restore(Logging.PROVIDER, provider);
      restore(Logging.VERBOSITY, verbosity);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void plainLevelsAndFormat() {
    Logging.configure(false, Map.of());
    Logger warm = LoggerFactory.getLogger("warm.snapshot.SnapshotStore");
    Logger other = LoggerFactory.getLogger("org.example.Lib");
    warm.info("snapshot {} taken by {}", "id1", "reflink");
    warm.debug("hidden {}", 1);
    other.info("hidden too");
    other.warn("shown {}", 2);
    warm.error("failed", new IllegalStateException("boom"));
    assertEquals("cc-ci-warm info: snapshot id1 taken by reflink\ncc-ci-warm warn: shown 2\n"
        + "cc-ci-warm error: failed\n", logged().replace(System.lineSeparator(), "\n"));
    assertTrue(warm.isInfoEnabled() && !warm.isDebugEnabled() && other.isWarnEnabled() && !other.isInfoEnabled());
  }

  @Test
  void verboseAddsDebugAndStackTraces() {
    Logging.configure(true, Map.of());
    Logger warm = LoggerFactory.getLogger("warm.cli");
    Logger other = LoggerFactory.getLogger("org.example.Lib");
    warm.debug("detail {}", "x", new IllegalStateException("boom"));
    other.debug("library detail");
    warm.trace("never");
    String out = logged().replace(System.lineSeparator(), "\n");
    assertTrue(out.startsWith("cc-ci-warm debug: detail x\njava.lang.IllegalStateException: boom\n\tat "), out);
    assertTrue(out.endsWith("cc-ci-warm debug: library detail\n"), out);
    assertTrue(!out.contains("never"), out);
  }

  @Test
  void syslogPrioritiesUnderSystemd() {
    Logging.configure(true, Map.of("JOURNAL_STREAM", "8:1"));
    Logger warm = LoggerFactory.getLogger("warm");
    warm.error("e");
    warm.warn("w");
    warm.info("i");
    warm.debug("d");
    assertEquals("<3>cc-ci-warm error: e\n<4>cc-ci-warm warn: w\n<6>cc-ci-warm info: i\n<7>cc-ci-warm debug: d\n",
        logged().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void aNameThatOnlyStartsWithWarmIsAnotherLibrary() {
    Logging.configure(false, Map.of());
    LoggerFactory.getLogger("warmup.Lib").info("hidden");
    LoggerFactory.getLogger("warm").info("shown");
    assertEquals("cc-ci-warm info: shown\n", logged().replace(System.lineSeparator(), "\n"));
  }
}
