package warm.snapshot;

import warm.snapshot.internal.NativeFs;

/**
 * Binds libc through JNA on a background thread while the command line is still being parsed (issue 15, row 3): a
 * data command's JNA set-up (its native library, java.util.logging, the direct-mapped libc methods: ~25–40 ms of
 * CPU) then overlaps picocli's reflection on the other core instead of following it. Nothing changes but when:
 * the store binds libc on first use exactly as before, waiting for this thread's class initialisation if it is
 * still running (the JVM's class-init lock), and falls back to the tar path the same way when libc cannot be bound.
 */
public final class NativeWarmUp {
  private NativeWarmUp() {}

  /** Starts the binding on a daemon thread (it never keeps the JVM alive) and returns at once. */
  public static Thread start() {
    // NativeFs.platform() is what the store calls on first use: the JNA binding of libc (JnaNativeFs's class
    // initialisation); its failure is the store's to report then.
    Thread t = new Thread(NativeFs::platform, "warm-native-init");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
