package warm.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A hostile-but-legal volume: everything the engine must reproduce bit for bit. */
final class HostileTree {
  static final String LONG_NAME = "L".repeat(190) + "-200chars";

  private HostileTree() {}

  /** Builds the tree in {@code root}; {@code smallFiles} small files and one file of {@code bigBytes}. */
  static void build(Path root, int smallFiles, long bigBytes) throws IOException, InterruptedException {
    Files.createDirectories(root.resolve("nested/a/b/c/d"));
    Files.createDirectories(root.resolve("empty1"));
    Files.createDirectories(root.resolve("empty2/empty3"));
    Path many = Files.createDirectories(root.resolve("many"));
    for (int i = 0; i < smallFiles; i++) {
      Path d = many.resolve("d" + (i / 100));
      if (i % 100 == 0) {
        Files.createDirectory(d);
      }
      Files.writeString(d.resolve("f" + i), "small file " + i + "\n".repeat(i % 7));
    }
    if (bigBytes > 0) {
      try (OutputStream out = Files.newOutputStream(root.resolve("big.bin"))) {
        byte[] chunk = new byte[1 << 20];
        for (long done = 0; done < bigBytes; done += chunk.length) {
          ByteBuffer.wrap(chunk).putLong(0, done).putLong(chunk.length - 8, ~done);
          chunk[(int) (done / chunk.length) % chunk.length] ^= 0x5a;
          out.write(chunk, 0, (int) Math.min(chunk.length, bigBytes - done));
        }
      }
    }
    Path links = Files.createDirectory(root.resolve("links"));
    Files.writeString(root.resolve("nested/target.txt"), "target\n");
    Files.createSymbolicLink(links.resolve("relative"), Path.of("../nested/target.txt"));
    Files.createSymbolicLink(links.resolve("absolute"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(links.resolve("dangling"), Path.of("does/not/exist"));
    Files.createSymbolicLink(links.resolve("outside"), Path.of("../../../../../../tmp"));
    Files.createSymbolicLink(links.resolve("to-dir"), Path.of("../nested"));
    Files.writeString(root.resolve("hard1"), "hard linked content\n");
    Files.createLink(root.resolve("hard2"), root.resolve("hard1"));
    Files.createLink(root.resolve("nested/a/hard3"), root.resolve("hard1"));
    exec("mkfifo", root.resolve("fifo").toString());
    exec("mknod", root.resolve("null-dev").toString(), "c", "1", "3");
    Path suid = root.resolve("setuid-bin");
    Files.writeString(suid, "#!/bin/sh\n");
    Path sticky = Files.createDirectory(root.resolve("sticky"));
    Path sgid = Files.createDirectory(root.resolve("setgid-dir"));
    Files.writeString(root.resolve("Grüße-日本語-ñ.txt"), "unicode name\n", StandardCharsets.UTF_8);
    Files.writeString(root.resolve(LONG_NAME), "long name\n");
    Path deep = Files.createDirectories(root.resolve("deep/" + "D".repeat(120) + "/" + "E".repeat(120)));
    Files.writeString(deep.resolve("F".repeat(150)), "long path\n");
    Path owned = Files.createDirectory(root.resolve("owned"));
    Files.writeString(owned.resolve("by-1000"), "1000\n");
    Files.writeString(owned.resolve("by-100000"), "100000\n");
    Files.writeString(owned.resolve("by-0"), "0\n");
    Path xattr = root.resolve("with-xattr");
    Files.writeString(xattr, "xattr\n");
    Files.getFileAttributeView(xattr, UserDefinedFileAttributeView.class)
        .write("warm.test", ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff, 'x'}));
    Path readonly = Files.createDirectory(root.resolve("readonly-dir"));
    Files.writeString(readonly.resolve("inside"), "in a 0500 dir\n");

    // Ownership and modes after content (chown clears setuid).
    chown(owned.resolve("by-1000"), 1000, 1000);
    chown(owned.resolve("by-100000"), 100000, 100001);
    chown(owned.resolve("by-0"), 0, 0);
    chown(links.resolve("relative"), 1000, 1000);
    chown(owned, 100000, 100000);
    chown(suid, 1000, 1000);
    mode(suid, 04755);
    mode(sgid, 02775);
    mode(sticky, 01777);
    mode(readonly.resolve("inside"), 0400);
    mode(readonly, 0500);
    mode(root.resolve("fifo"), 0620);
    // Distinct nanosecond mtimes, directories last.
    long t = 1_600_000_000_123_456_789L;
    for (Path p : List.of(root.resolve("hard1"), root.resolve(LONG_NAME), xattr, links.resolve("relative"),
        root.resolve("fifo"), owned, readonly, root.resolve("nested/a/b/c/d"), root)) {
      exec("touch", "-h", "-d", String.format("@%d.%09d", t / 1_000_000_000L, t % 1_000_000_000L), p.toString());
      t += 1_000_000_007L;
    }
  }

  // Coreutils rather than the JDK: the JDK opens the object to chmod it, which blocks on a FIFO.
  static void chown(Path p, int uid, int gid) throws IOException, InterruptedException {
    exec("chown", "-h", uid + ":" + gid, p.toString());
  }

  static void mode(Path p, int mode) throws IOException, InterruptedException {
    exec("chmod", Integer.toOctalString(mode), p.toString());
  }

  static void exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed");
    }
  }
}
