package warm.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import warm.quick.cli.Cli;

/**
 * The training run of the operator CLI's AppCDS archive ({@code scripts/appcds.sh}, at package time): runs, in this
 * one JVM, the commands whose classes the archive should hold — {@code config check} (the short commands' picocli
 * model, configuration loader, Jackson) and a snapshot, verify and restore of a small throwaway tree (the snapshot
 * engine, JNA, the tar path, the manifest) — so that a later {@code warm snapshot} or {@code warm restore} maps those
 * classes instead of loading and verifying them from the jars. Exit status: 0 when every command did.
 */
public final class CdsTraining {
  private CdsTraining() {}

  /** {@code args[0]}: the configuration for {@code config check}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CdsTraining CONFIG");
      System.exit(2);
    }
    // $TMPDIR first: a build sandbox (Nix) may have no writable /tmp, the JVM's default.
    String tmpdir = System.getenv("TMPDIR");
    Path work = tmpdir != null && Files.isDirectory(Path.of(tmpdir))
        ? Files.createTempDirectory(Path.of(tmpdir), "cc-ci-warm-cds-") : Files.createTempDirectory("cc-ci-warm-cds-");
    int failed = 0;
    try {
      Path vol = Files.createDirectories(work.resolve("vol/sub"));
      Files.writeString(vol.resolve("f"), "warm");
      Files.writeString(work.resolve("vol/g"), "cds");
      Files.createSymbolicLink(work.resolve("vol/link"), Path.of("g"));
      String store = work.resolve("store").toString();
      String volume = "data=" + work.resolve("vol");
      for (List<String> cmd : List.of(List.of("config", "check", "--config", args[0]),
          List.of("snapshot", "--store", store, "--volume", volume),
          List.of("verify", "--store", store, "--volume", volume),
          List.of("restore", "--store", store, "--volume", volume))) {
        if (Cli.execute(new Main(), cmd.toArray(String[]::new)) != 0) {
          System.err.println("cds training: " + cmd + " failed");
          failed++;
        }
      }
    } finally {
      try (Stream<Path> all = Files.walk(work)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
    System.exit(failed == 0 ? 0 : 4);
  }
}
