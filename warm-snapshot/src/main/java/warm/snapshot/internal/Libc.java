package warm.snapshot.internal;

import com.sun.jna.Native;

/**
 * Binds a class's {@code native} methods to libc with JNA (direct mapping), without the child process JNA would
 * start first: its NativeLibrary, when first used, runs {@code /sbin/ldconfig -p} to add the dynamic linker's
 * directories to its search path, unless {@code jna.platform.library.path} is set. libc never uses that path on
 * Linux (JNA binds "c" through the process itself, {@code dlopen(NULL)}), and the child was 10–60 ms of every data
 * command's start, more on a loaded machine (issue 15).
 */
final class Libc {
  private static final String SEARCH_PATH = "jna.platform.library.path";

  private Libc() {}

  static void register(Class<?> natives) {
    if (System.getProperty(SEARCH_PATH) == null) {
      System.setProperty(SEARCH_PATH, ""); // whoever set it (an operator, a test) wins
    }
    Native.register(natives, "c");
  }
}
