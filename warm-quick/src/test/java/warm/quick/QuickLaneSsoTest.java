package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.alert.Alerts;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.platform.Platform;
import warm.core.process.ProcessRunner;

/** Who decides that a quick run gets a realm: the runner's {@code --sso}, or the recipe's {@code sso: true}. */
class QuickLaneSsoTest {
  @TempDir Path dir;

  private WarmConfig config(String rest) {
    return ConfigLoader.parse("{\"stateRoot\": \"" + dir.resolve("state") + "\", \"recipes\": [{\"name\": \"plain\"},"
        + " {\"name\": \"needs-sso\", \"sso\": true}]" + rest + "}", "test");
  }

  private QuickRequest request(String recipe, boolean sso) throws Exception {
    Path checkout = Files.createDirectories(dir.resolve("checkout/.git")).getParent();
    return new QuickRequest(recipe, checkout, sso, List.of("true"));
  }

  @Test
  void testEnrolledWithSso_getsARealmWithoutTheFlag() throws Exception {
    WarmConfig c = config(", \"keycloak\": {\"url\": \"https://auth.ci.localhost\"}");
    QuickRequest r = QuickLane.withConfiguredSso(request("needs-sso", false), c);
    assertTrue(r.sso(), "recipes[].sso is honoured");
    assertEquals(List.of("true"), r.command());
    QuickRequest plain = request("plain", false);
    assertSame(plain, QuickLane.withConfiguredSso(plain, c), "no sso asked, none enrolled: unchanged");
    assertTrue(QuickLane.withConfiguredSso(request("plain", true), c).sso(), "--sso still works alone");
    assertFalse(QuickLane.withConfiguredSso(request("not-enrolled", false), c).sso());
  }

  @Test
  void testSsoWithoutKeycloak_refusedBeforeTheLaneTouchesAnything() throws Exception {
    WarmConfig c = config("");
    List<String> asked = new ArrayList<>();
    Platform platform = (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(),
        new Class<?>[] {Platform.class}, (proxy, m, args) -> {
          asked.add(m.getName());
          throw new AssertionError("platform asked: " + m.getName());
        });
    RunRealms realms = new RunRealms() {
      @Override
      public Created create(String recipe, String runId, String domain) {
        asked.add("realm");
        return new Created("r", Map.of());
      }

      @Override
      public void delete(String realm) {
        asked.add("delete");
      }
    };
    ProcessRunner noCommands = cmd -> {
      throw new AssertionError("command run: " + cmd);
    };
    QuickLane lane = new QuickLane(c, platform, Alerts.fromConfig(c, noCommands), realms, new Cancellation());
    for (QuickRequest r : List.of(request("needs-sso", false), request("plain", true))) {
      WarmException e = assertThrows(WarmException.class, () -> lane.run(r));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("no keycloak is configured (keycloak.url)"), e.getMessage());
      assertTrue(e.getMessage().contains(r.sso() ? "--sso" : "recipes[].sso"), e.getMessage());
      assertThrows(WarmException.class, () -> lane.prepare(r));
    }
    assertEquals(List.of(), asked);
    assertFalse(Files.exists(dir.resolve("state")), "nothing created, not even the state root");
  }
}
