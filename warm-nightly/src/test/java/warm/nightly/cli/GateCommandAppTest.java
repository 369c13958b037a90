package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.InfraApp;
import warm.core.config.WarmConfig;

/** Which infra app's settings (its upstream notes) {@code warm gate --recipe NAME} uses. */
class GateCommandAppTest {
  private static WarmConfig with(InfraApp... apps) {
    return WarmConfig.defaults().withApps(List.of(), List.of(apps));
  }

  private static InfraApp app(String name, String recipe) {
    return new InfraApp(name, recipe, name + ".ci.localhost", false, null);
  }

  @Test
  void testInfraAppOf_byNameThenByTheOnlyAppRunningTheRecipe() {
    assertEquals(Optional.empty(), GateCommand.infraAppOf(with(app("proxy", "traefik")), "keycloak"));
    assertEquals("proxy", GateCommand.infraAppOf(with(app("proxy", "traefik")), "traefik").orElseThrow().name());
    assertEquals("traefik", GateCommand.infraAppOf(with(app("proxy", "traefik"), app("traefik", "traefik")),
        "traefik").orElseThrow().name(), "the app named like the recipe wins");
  }

  @Test
  void testInfraAppOf_twoAppsUnderOtherNamesIsAmbiguous() {
    WarmException e = assertThrows(WarmException.class,
        () -> GateCommand.infraAppOf(with(app("proxy-a", "traefik"), app("proxy-b", "traefik")), "traefik"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("proxy-a, proxy-b") && e.getMessage().contains("ambiguous"), e.getMessage());
  }
}
