package warm.core.lock;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Child-process side of the lock tests. {@code hold <root> <app> <op>}: take the app lock, print
 * {@code LOCKED <pid>}, then sleep until killed. {@code try <root> <app>}: print {@code FREE} (and release) or
 * {@code BUSY}, exit.
 */
public final class LockChild {
  private LockChild() {}

  public static void main(String[] args) throws Exception {
    AppLocks locks = new AppLocks(Path.of(args[1]));
    switch (args[0]) {
      case "hold" -> {
        LockFile held = locks.tryAcquire(args[2], args[3]).orElseThrow(() -> new IllegalStateException("busy"));
        System.out.println("LOCKED " + held.holder().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      case "try" -> {
        Optional<LockFile> got = locks.tryAcquire(args[2], "probe");
        System.out.println(got.isPresent() ? "FREE" : "BUSY");
        got.ifPresent(LockFile::close);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
