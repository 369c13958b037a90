package warm.nightly.canonical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;
import warm.core.platform.AppRef;
import warm.core.state.CanonicalRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

/** What a name on the command line means: an infra app, a seeded canonical, or a canonical yet to be seeded. */
class AppRefsTest {
  @TempDir
  Path root;

  @Test
  void infraThenRecordThenTemplate() {
    WarmConfig config = WarmConfig.defaults().withStateRoot(root).withApps(List.of(),
        List.of(new InfraApp("proxy", "traefik", "proxy.ci.localhost", null, null)));
    assertEquals(new AppRef("traefik", "proxy.ci.localhost"), AppRefs.of(config, "proxy"));
    assertEquals(new AppRef("nextcloud", config.canonicalDomain("nextcloud")), AppRefs.of(config, "nextcloud"));
    new StateStore(root).write("nextcloud", StateFile.CANONICAL, new CanonicalRecord("nextcloud",
        "seeded-at.ci.localhost", "1.0.0+1", "abc", Instant.now(), "20260101T000000Z-00000000"));
    assertEquals(new AppRef("nextcloud", "seeded-at.ci.localhost"), AppRefs.of(config, "nextcloud"),
        "the domain the canonical was seeded at wins over today's template");
  }
}
