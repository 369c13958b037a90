package warm.snapshot.authority;

/**
 * The right to write a known-good (DESIGN I1: it changes only by promotion — the seed is the first one — and by the
 * infra reconciler's own pre-upgrade snapshot). Every method of the store that writes a known-good takes it. This
 * package is exported to {@code warm.nightly} alone, where the canonical lifecycle and the reconciler live: any other
 * module, the quick lane first ("never writes a known-good"), cannot name the type and so cannot write one — a
 * compile-time fact, not a check a caller could skip.
 */
public final class KnownGoodAuthority {
  private static final KnownGoodAuthority INSTANCE = new KnownGoodAuthority();

  private KnownGoodAuthority() {}

  /** The authority; inside warm.nightly only {@code warm.nightly.canonical.KnownGoods} asks for it (tested). */
  public static KnownGoodAuthority grant() {
    return INSTANCE;
  }
}
