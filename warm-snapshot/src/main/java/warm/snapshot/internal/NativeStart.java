package warm.snapshot.internal;

/** The binding {@link warm.snapshot.NativeWarmUp} runs early: the platform's {@link NativeFs}, as the store gets it. */
public final class NativeStart {
  private NativeStart() {}

  /** Initialises the JNA binding of libc (JnaNativeFs's class initialisation); its failure is the store's to report. */
  public static void bind() {
    NativeFs.platform();
  }
}
