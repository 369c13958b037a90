package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.config.Timeouts;
import warm.core.config.WarmConfig;
import warm.quick.QuickResult;

/** The benchmark arithmetic of {@code warm demo}: medians and what counts as Docker time in a quick run. */
class DemoCommandTest {

  /** The demo and selftest derive their configuration from the operator's: docker, keycloak, timeouts survive. */
  @Test
  void derivedConfigurationsKeepDockerAndTimeouts() {
    WarmConfig base = new WarmConfig(null, "ci.example.org", "abra", null, null, null, null, null, null, null,
        new Timeouts(11, null, null, null, null, null), "/opt/docker/bin/docker", null, null, null, null, null);
    Path root = Path.of("/tmp/demo-root");
    for (WarmConfig c : List.of(DemoCommand.demoConfig(base, root, "abc123"),
        SelftestCommand.selftestConfig(base, root))) {
      assertEquals("/opt/docker/bin/docker", c.docker(), "docker survives");
      assertEquals(base.timeouts(), c.timeouts());
      assertEquals(root, c.stateRoot());
      assertEquals("swarm", c.platform());
      assertEquals("ci.example.org", c.ciDomain());
    }
    assertEquals("warm-{recipe}-abc123.{ciDomain}", DemoCommand.demoConfig(base, root, "abc123").domains().canonical());
  }

  /**
   * The demo checks the docker the configuration names, not a {@code docker} on {@code PATH}: an absolute one off
   * {@code PATH} is enough, and a missing one is named (it used to demand a docker on PATH the demo never ran).
   */
  @Test
  void dockerMissing_checksTheConfiguredExecutable(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path wrapped = Files.writeString(dir.resolve("wrapped-docker"), "#!/bin/sh\nexit 0\n");
    assertTrue(wrapped.toFile().setExecutable(true));
    assertEquals(Optional.empty(), DemoCommand.dockerMissing(wrapped.toString(), bin.toString()),
        "an absolute docker off PATH is the one the demo runs");
    Optional<String> gone = DemoCommand.dockerMissing(dir.resolve("no-docker").toString(), bin.toString());
    assertTrue(gone.orElseThrow().contains("'" + dir.resolve("no-docker") + "' (config key 'docker')"), gone.get());
    assertTrue(DemoCommand.dockerMissing("docker", bin.toString()).orElseThrow().startsWith("no 'docker' on PATH"));
    Files.copy(wrapped, bin.resolve("my-docker"));
    assertEquals(Optional.empty(), DemoCommand.dockerMissing("my-docker", "/nonexistent:" + bin));
  }

  @Test
  void testMedian_oddAndEven() {
    assertEquals(5, DemoCommand.median(List.of(9L, 5L, 1L)));
    assertEquals(4, DemoCommand.median(List.of(8L, 1L, 3L, 5L)));
    assertEquals(7, DemoCommand.median(List.of(7L)));
  }

  @Test
  void testMedian_isOrderIndependentAndWithinRange() {
    qt().forAll(lists().of(integers().between(0, 100_000)).ofSizeBetween(1, 15)).checkAssert(xs -> {
      List<Long> ls = xs.stream().map(Integer::longValue).toList();
      List<Long> reversed = new ArrayList<>(ls);
      Collections.reverse(reversed);
      long m = DemoCommand.median(ls);
      assertEquals(m, DemoCommand.median(reversed));
      long below = ls.stream().filter(x -> x < m).count();
      long above = ls.stream().filter(x -> x > m).count();
      assertEquals(true, below <= ls.size() / 2 && above <= ls.size() / 2, "median " + m + " of " + ls);
    });
  }

  @Test
  void testDockerMillis_countsDeploysAssertionsUndeploy_notRestoreOrLock() {
    Map<String, Long> t = new LinkedHashMap<>();
    t.put("lock", 5L);
    t.put("recover", 1L);
    t.put("reattach", 400L);
    t.put("deploy known-good", 3000L);
    t.put("deploy PR", 10000L);
    t.put("test", 150L);
    t.put("undeploy", 9000L);
    QuickResult r = new QuickResult("quick", "lower", "pass", "sample", "q1", "d", Map.of(), false, null, t);
    assertEquals(22150, DemoCommand.dockerMillis(r));
    QuickResult failed = new QuickResult("quick", "lower", "fail", "sample", "q2", "d", Map.of(), true, "x",
        Map.of("deploy known-good", 3000L, "rollback undeploy", 4000L, "rollback restore", 5000L));
    assertEquals(7000, DemoCommand.dockerMillis(failed), "the rollback's undeploy is Docker's, its restore warm's");
  }
}
