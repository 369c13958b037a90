package warm.nightly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;
import warm.core.WarmException;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.Platforms;
import warm.core.platform.VolumeInfo;
import warm.core.state.StateStore;
import warm.nightly.canonical.AppRefs;
import warm.nightly.canonical.AppSnapshots;
import warm.quick.PlatformQuiescence;
import warm.snapshot.Progress;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotStore;

/**
 * What the four snapshot commands share: where the store is ({@code --store DIR}, or {@code --app APP} under the
 * state root), which volumes ({@code --volume NAME=DIR}, repeatable; or, in app mode, the platform's list), JSON
 * output and a progress line on a TTY. Store failures propagate to the one exit-code mapping
 * ({@link warm.quick.cli.ExitCodes}).
 */
final class SnapshotCli {
  private SnapshotCli() {}

  /** Options locating the store ({@code snapshots} takes only these: it reads no volume). */
  static class Target {
    @Option(names = "--store", paramLabel = "DIR", description = "snapshot store directory (plain-directory mode)")
    Path store;

    @Option(names = "--app", paramLabel = "APP", description = "app whose store is <state-root>/<app>/snapshots")
    String app;

    @Option(names = "--state-root", paramLabel = "DIR", description = "state root (default: from the configuration)")
    Path stateRoot;

    @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "120",
        description = "wait at most this long for another operation on the store (default: ${DEFAULT-VALUE})")
    long lockWaitSeconds;

    private Platform platform;

    SnapshotStore store(WarmConfigSupplier config) {
      if ((store == null) == (app == null)) {
        throw WarmException.usage("give exactly one of --store DIR or --app APP");
      }
      if (store != null) {
        if (stateRoot != null) {
          throw WarmException.usage("--state-root only applies with --app");
        }
        return SnapshotStore.open(store).withLockWait(Duration.ofSeconds(lockWaitSeconds));
      }
      Path root = stateRoot(config);
      new StateStore(root).appDir(app); // D9: a bad or reserved app name is refused before anything is created
      return SnapshotStore.forApp(root, app).withLockWait(Duration.ofSeconds(lockWaitSeconds));
    }

    /** App mode's rules (app lock, I1, I4) around the store; null in plain-directory mode. */
    AppSnapshots appSnapshots(WarmConfigSupplier config) {
      return app == null ? null : new AppSnapshots(stateRoot(config), config.get().timeouts().lockWait(),
          config.get().infra().stream().map(InfraApp::name).collect(Collectors.toSet()));
    }

    /** The state root of app mode: {@code --state-root}, else the configuration's. */
    Path stateRoot(WarmConfigSupplier config) {
      return stateRoot != null ? stateRoot : config.get().stateRoot();
    }

    /** Quiescence: proven with Docker in app mode; vouched for by the operator in plain-directory mode. */
    QuiescenceCheck quiescence(WarmConfigSupplier config) {
      return app == null ? QuiescenceCheck.assumeQuiet()
          : new PlatformQuiescence(platform(config.get()), AppRefs.of(config.get(), app));
    }

    /** One platform per command: creating it asks Docker whether Swarm is up. */
    private Platform platform(WarmConfig c) {
      if (platform == null) {
        platform = Platforms.create(c);
      }
      return platform;
    }

    /** The app's volumes from the platform (label {@code com.docker.stack.namespace}), with their mountpoints. */
    Map<String, Path> appVolumes(WarmConfig c) {
      Map<String, Path> out = new TreeMap<>();
      AppRef ref = AppRefs.of(c, app);
      for (VolumeInfo v : platform(c).volumes(ref)) {
        out.put(v.name(), v.mountpoint());
      }
      if (out.isEmpty()) {
        throw WarmException.usage("app " + app + " has no volumes on this host (stack " + ref.stack() + ")");
      }
      return out;
    }

  }

  /** Options locating the store and the volumes ({@code snapshot}, {@code restore}, {@code verify}). */
  static final class VolumeTarget extends Target {
    @Option(names = "--volume", paramLabel = "NAME=DIR",
        description = "a volume and its directory (repeatable); in --app mode defaults to the app's volumes")
    List<String> volumes = new ArrayList<>();

    Map<String, Path> volumes(WarmConfigSupplier config) {
      if (volumes.isEmpty()) {
        if (app == null) {
          throw WarmException.usage("give at least one --volume NAME=DIR");
        }
        return appVolumes(config.get());
      }
      Map<String, Path> out = new TreeMap<>();
      for (String v : volumes) {
        int eq = v.indexOf('=');
        if (eq <= 0 || eq == v.length() - 1) {
          throw WarmException.usage("--volume wants NAME=DIR, got '" + v + "'");
        }
        if (out.put(v.substring(0, eq), Path.of(v.substring(eq + 1))) != null) {
          throw WarmException.usage("volume " + v.substring(0, eq) + " given twice");
        }
      }
      return out;
    }
  }

  /** Where the configuration comes from: loaded only when a command needs it. */
  interface WarmConfigSupplier extends Supplier<WarmConfig> {}

  /** Built on first use, i.e. only with {@code --json}: an ObjectMapper is a large part of a short command's start. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  static void printJson(Object o) {
    try {
      System.out.println(Json.MAPPER.writeValueAsString(o));
    } catch (JsonProcessingException e) {
      throw WarmException.infra("cannot render JSON", e);
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A single self-overwriting progress line on stderr, only when it is a terminal; at most 5 updates a second. */
  static Progress progress() {
    if (System.console() == null) {
      return Progress.none();
    }
    PrintStream err = System.err;
    long[] last = {0};
    return (phase, files, bytes) -> {
      long now = System.nanoTime();
      if (now - last[0] < 200_000_000L) {
        return;
      }
      last[0] = now;
      err.printf(Locale.US, "\r%s: %d files, %d MiB   ", phase, files, bytes >> 20);
      err.flush();
    };
  }

  static void endProgress() {
    if (System.console() != null) {
      System.err.print("\r\033[K");
      System.err.flush();
    }
  }

  /**
   * Sizes as "2.0 GiB". The four data commands format with {@link Locale#US}, whatever the JVM's default locale: any
   * other locale (the JVM takes "en" from LANG=C.UTF-8) makes the first {@code %d} or {@code %.1f} load the locale
   * providers and CLDR data from jdk.localedata, 20-60 ms after a snapshot's or restore's work (issue 15 row 3). Under
   * a locale with a decimal comma this prints "2.0" where it printed "2,0".
   */
  static String human(long bytes) {
    if (bytes < 0) {
      return "?";
    }
    String[] u = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int i = 0;
    while (v >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0 ? bytes + " B" : String.format(Locale.US, "%.1f %s", v, u[i]);
  }
}
