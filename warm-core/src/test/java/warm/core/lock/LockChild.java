package warm.core.lock;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Child-process side of the lock tests. {@code hold <root> <app> <op>}: take the app lock, print
 * {@code LOCKED <pid>}, then sleep until killed. {@code try <root> <app>}: print {@code FREE} (and release) or
 * {@code BUSY}, exit. {@code race <lockfile> <inside> <rounds>}: take the lock {@code rounds} times, each time
 * creating {@code inside} exclusively while holding it (a second holder would find it there), then delete the lock
 * file and release; print {@code RACED <times this JVM started again on a replaced file>}, or {@code TWO HOLDERS}
 * and exit 3.
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
      case "race" -> race(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void race(Path file, Path inside, int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      Optional<LockFile> got;
      while ((got = LockFile.tryLock(file, "race")).isEmpty()) {
        Thread.onSpinWait();
      }
      LockFile held = got.get();
      try {
        Files.createFile(inside);
      } catch (FileAlreadyExistsException e) {
        System.out.println("TWO HOLDERS");
        System.out.flush();
        System.exit(3);
      }
      Files.delete(inside);
      held.deleteAndClose();
    }
    System.out.println("RACED " + LockFile.STARTED_AGAIN.get());
  }
}
