package warm.nightly.canonical;

import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/** Which deployed app a name means on this host: an infra app (configured) or a canonical (its record, else config). */
public final class AppRefs {
  private AppRefs() {}

  /**
   * An infra app's configured recipe and domain; else the canonical of that recipe at the domain its
   * {@code canonical.json} recorded (the domain it was seeded at), else the configured canonical domain.
   */
  public static AppRef of(WarmConfig config, String app) {
    for (InfraApp infra : config.infra()) {
      if (infra.name().equals(app)) {
        return new AppRef(infra.recipe(), infra.domain());
      }
    }
    String domain = new StateStore(config.stateRoot()).read(app, StateFile.CANONICAL)
        .map(CanonicalRecord::domain).orElseGet(() -> config.canonicalDomain(app));
    return new AppRef(app, domain);
  }
}
