package warm.nightly.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import warm.core.config.ConfigLoader;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.naming.Naming;
import warm.core.platform.AppRef;
import warm.core.platform.Platform;
import warm.core.platform.VolumeInfo;
import warm.core.process.Command;
import warm.core.sample.SampleRecipe;
import warm.core.sso.KeycloakRealmManager;
import warm.core.sso.RealmRequest;
import warm.core.sso.ReapPolicy;
import warm.core.sso.ReapReport;
import warm.core.state.Deenrolled;
import warm.core.state.LastGood;
import warm.core.state.ReconcileRecord;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.core.testing.Prereq;
import warm.nightly.canonical.CanonicalSeed;
import warm.nightly.sweep.ColdRun;
import warm.nightly.testing.Distribution;
import warm.nightly.testing.QuickBed;
import warm.snapshot.SnapshotStore;

/**
 * Issue 13's "Must show" for {@code warm prune}, through the built distribution on the real Swarm and a real
 * Keycloak: a bed holding an enrolled canonical, a de-enrolled canonical past its grace, one within it, a dead run's
 * cold app, a live run's cold app (its run lock held by this JVM, a live process), a realm of each run and a
 * {@code .tmp-*} leftover. {@code --dry-run} lists exactly the dead/de-enrolled/tmp ones and changes nothing; the
 * prune then removes exactly those; the enrolled canonical's known-good verifies byte-identical after.
 */
@Tag("docker")
@Tag("keycloak")
class PruneIT {
  private static final String VERSION = "1.0.0+1.0";

  @Test
  void prune_removesExactlyTheDeadDeenrolledAndTmp_dryRunListsTheSameAndChangesNothing() throws Exception {
    String kcHome = System.getenv("WARM_KEYCLOAK_HOME");
    Prereq.require(kcHome != null && Files.isRegularFile(Path.of(kcHome, ".warm-augmented")),
        "WARM_KEYCLOAK_HOME does not point at a prepared Keycloak (export WARM_KEYCLOAK_HOME=$(scripts/keycloak.sh"
            + " prepare))");
    QuickBed bed = QuickBed.seed("prune", "keep");
    Path kc = Files.createTempDirectory("warm-prune-kc-");
    Path script = Distribution.repoRoot().resolve("scripts/keycloak.sh");
    List<AppRef> made = new ArrayList<>();
    LockFile liveRun = null;
    KeycloakRealmManager realms = null;
    try {
      Process start = new ProcessBuilder(script.toString(), "start", kc.toString()).redirectErrorStream(true)
          .redirectOutput(kc.resolve("start.out").toFile()).start();
      assertEquals(0, start.waitFor(), Files.readString(kc.resolve("start.out")));
      String url = Files.readString(kc.resolve("start.out")).strip().lines().reduce((a, b) -> b).orElseThrow();

      WarmConfig seedCfg = bed.cfg();
      Platform platform = bed.platform();
      Path state = seedCfg.stateRoot();
      for (String r : List.of("gone", "stay")) {
        SampleRecipe.materialize(bed.root().resolve("recipes").resolve(r), QuickBed.RUNNER);
        made.add(new AppRef(r, seedCfg.canonicalDomain(r)));
        CanonicalSeed.create(seedCfg).seed(r, VERSION, List.of());
      }
      StateStore store = new StateStore(state);
      store.write("gone", StateFile.DEENROLLED, new Deenrolled(Instant.now().minus(Duration.ofDays(2))));
      store.write("stay", StateFile.DEENROLLED, new Deenrolled(Instant.now().minus(Duration.ofMinutes(10))));

      // The prune's configuration: only 'keep' enrolled, the real Keycloak, images never pruned (the Swarm is shared).
      Path config = bed.root().resolve("prune.json");
      Files.writeString(config, """
          {"stateRoot": "%s", "ciDomain": "%s", "recipes": [{"name": "keep"}],
           "swarm": {"recipesDir": "%s", "appsDir": "%s"},
           "keycloak": {"url": "%s", "secretFile": "%s"},
           "timeouts": {"healthSeconds": 25, "lockWaitSeconds": 60},
           "prune": {"deenrolledGraceMinutes": 60, "realmGraceMinutes": 0, "imagePruneAbovePercent": 100}}
          """.formatted(state, seedCfg.ciDomain(), seedCfg.swarm().recipesDir(), seedCfg.swarm().appsDir(), url,
          kc.resolve("admin-password")));
      WarmConfig cfg = ConfigLoader.loadFile(config);

      // Two cold runs: one died (its run lock exists and is free), one is in flight (its lock held right here).
      AppLocks locks = new AppLocks(state);
      AppRef dead = new AppRef("keep", Naming.coldDomain(cfg.domains().cold(), "keep", cfg.ciDomain()));
      AppRef live = new AppRef("keep", Naming.coldDomain(cfg.domains().cold(), "keep", cfg.ciDomain()));
      for (AppRef cold : List.of(dead, live)) {
        made.add(cold);
        platform.createApp(cold);
        platform.generateMissingSecrets(cold);
        platform.deploy(cold, VERSION);
      }
      locks.tryAcquire(ColdRun.lockName(dead), "cold run (killed)").orElseThrow().close();
      liveRun = locks.tryAcquire(ColdRun.lockName(live), "cold run").orElseThrow();
      realms = KeycloakRealmManager.fromConfig(cfg, QuickBed.RUNNER);
      realms.create(new RealmRequest("keep", "deadrun", dead.domain(), false));
      realms.create(new RealmRequest("keep", "liverun", live.domain(), false));

      Path tmp = Files.createDirectories(SnapshotStore.forApp(state, "keep").directory().resolve(".tmp-snap-killed"));
      Files.writeString(tmp.resolve("half-copied"), "x".repeat(4096));
      // A delivered alert and a fetched gate note past their default bounds (90 and 30 days), and younger ones.
      FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(120)));
      Path oldAlert = Files.writeString(Files.createDirectories(state.resolve("alerts/sent")).resolve("old.json"), "{}");
      Files.setLastModifiedTime(oldAlert, longAgo);
      Path youngAlert = Files.writeString(state.resolve("alerts/sent/young.json"), "{}");
      Path oldNote = Files.writeString(Files.createDirectories(state.resolve("gate-cache/keycloak")).resolve("26.0.0"),
          "note");
      Files.setLastModifiedTime(oldNote, longAgo);
      Path youngNote = Files.writeString(state.resolve("gate-cache/keycloak/26.5.0"), "note");

      // Three infra apps removed from infra[]: one past the grace whose stack is gone, one past the grace whose stack
      // still runs (the live run's stack stands in for it), one first seen now.
      for (String app : List.of("oldproxy", "liveproxy", "newproxy")) {
        store.write(app, StateFile.LAST_GOOD, new LastGood("3.1.0+v3", Instant.now()));
        store.write(app, StateFile.RECONCILE, new ReconcileRecord("applied", "3.0.0+v3", "3.1.0+v3", "3.1.0+v3",
            null, Instant.now(), 900, app.equals("liveproxy") ? live.domain() : app + "." + cfg.ciDomain()));
        Path snap = Files.createDirectories(state.resolve(app + "/snapshots/snap-pre/data"));
        Files.writeString(snap.resolve("db"), "pre-upgrade data ".repeat(256));
      }
      store.write("oldproxy", StateFile.DEENROLLED, new Deenrolled(Instant.now().minus(Duration.ofDays(2))));
      store.write("liveproxy", StateFile.DEENROLLED, new Deenrolled(Instant.now().minus(Duration.ofDays(2))));

      Set<String> expected = new TreeSet<>(Set.of("gone", "keep/snapshots/.tmp-snap-killed", dead.domain(),
          "ccw-keep-deadrun", "alerts/sent/old.json", "gate-cache/keycloak/26.0.0", "oldproxy"));
      Map<String, String> treeBefore = tree(state);
      Map<String, List<String>> volumesBefore = volumes(platform, made);

      // --dry-run: lists exactly those, with reasons, and changes nothing.
      Distribution.Run dry = Distribution.module(Duration.ofMinutes(3), "warm.nightly", Map.of(), "prune",
          "--dry-run", "--json", "--config", config.toString());
      assertEquals(0, dry.exit(), dry.toString());
      JsonNode d = QuickBed.JSON.readTree(dry.out());
      assertTrue(d.path("dryRun").asBoolean(), dry.out());
      assertEquals(expected, names(d.path("candidates"), "name"), dry.out());
      for (JsonNode c : d.path("candidates")) {
        assertFalse(c.path("reason").asText().isBlank(), "every candidate says why: " + c);
        assertTrue(c.has("kind") && c.has("bytes"), c.toString());
      }
      Set<String> kept = names(d.path("kept"), "name");
      assertTrue(kept.containsAll(Set.of("stay", live.domain(), "ccw-keep-liverun", "dangling images", "liveproxy",
          "newproxy")), dry.out());
      for (JsonNode c : d.path("candidates")) {
        if (c.path("name").asText().equals("oldproxy")) {
          assertEquals("infra-state", c.path("kind").asText(), c.toString());
        }
      }
      for (JsonNode k : d.path("kept")) {
        if (k.path("name").asText().equals("liveproxy")) {
          assertTrue(k.path("reason").asText().contains("still runs on the Swarm"), k.toString());
        }
      }
      assertEquals(0, d.path("removed").size(), dry.out());
      assertEquals(0, d.path("freedBytes").asLong(), dry.out());
      assertEquals(treeBefore, tree(state), "a dry run changes no file of the state root");
      assertEquals(volumesBefore, volumes(platform, made), "a dry run changes no volume");
      assertEquals(Set.of("ccw-keep-deadrun", "ccw-keep-liverun"), ourRealms(realms), "a dry run deletes no realm");

      // The prune: removes exactly what the dry run listed.
      Distribution.Run run = Distribution.module(Duration.ofMinutes(5), "warm.nightly", Map.of(), "prune", "--json",
          "--config", config.toString());
      assertEquals(0, run.exit(), run.toString());
      JsonNode p = QuickBed.JSON.readTree(run.out());
      assertEquals(expected, names(p.path("candidates"), "name"), run.out());
      Set<String> removed = new TreeSet<>();
      p.path("removed").forEach(n -> removed.add(n.asText()));
      assertEquals(expected, removed, run.out());
      assertTrue(p.path("freedBytes").asLong() >= 4096, run.out());
      assertEquals(0, p.path("exitCode").asInt(), run.out());
      assertTrue(run.err().contains("removed canonical gone"), "every removal is logged: " + run.err());
      assertTrue(run.err().contains("removed infra-state oldproxy"), run.err());
      assertFalse(Files.exists(state.resolve("oldproxy")), "the removed infra app's state, its snapshot included");
      assertTrue(Files.exists(state.resolve("liveproxy/snapshots/snap-pre/data/db")), "still deployed: kept");
      assertTrue(Files.exists(state.resolve("newproxy/snapshots/snap-pre/data/db")), "first seen: kept");
      assertTrue(store.read("newproxy", StateFile.DEENROLLED).isPresent(), "its grace period started");

      // Removed: the de-enrolled canonical past its grace (all of it), the dead run's app and realm, the leftover.
      AppRef gone = made.get(0);
      assertEquals(List.of(), platform.volumes(gone), "gone's volumes");
      assertFalse(Files.exists(state.resolve("gone")), "gone's state and snapshots");
      assertEquals(List.of(), platform.volumes(dead), "the dead run's volumes");
      assertFalse(platform.anythingRunning(dead), "the dead run's stack");
      assertFalse(Files.exists(locks.path(ColdRun.lockName(dead))), "the dead run's lock file, with its app");
      assertTrue(Files.exists(locks.path(ColdRun.lockName(live))), "the live run's lock file stays");
      assertFalse(Files.exists(tmp), "the .tmp-* leftover");
      assertFalse(Files.exists(oldAlert), "the old delivered alert");
      assertFalse(Files.exists(oldNote), "the gate note unused for 120 days");
      assertTrue(Files.exists(youngAlert) && Files.exists(youngNote), "younger ones stay");
      assertEquals(Set.of("ccw-keep-liverun"), ourRealms(realms), "only the live run's realm is left");
      try (Stream<Path> s = Files.list(state)) {
        assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList());
      }
      // Kept: the live run's app, the canonical within its grace, the enrolled canonical and its known-good.
      assertTrue(platform.anythingRunning(live), "the live run's app still runs");
      assertEquals(volumesBefore.get(live.domain()), volumes(platform, List.of(live)).get(live.domain()));
      AppRef stay = made.get(1);
      assertEquals(volumesBefore.get(stay.domain()), volumes(platform, List.of(stay)).get(stay.domain()));
      assertTrue(Files.exists(state.resolve("stay/canonical.json")) && Files.exists(state.resolve("stay/snapshots/known-good")));
      bed.assertKnownGoodUnchanged();
      assertTrue(SnapshotStore.forApp(state, "keep").verify(bed.volumes(), true).identical(),
          "the enrolled canonical's volumes verify byte-identical against its known-good");

      // Nothing left to do: a second prune exits 0 and removes nothing.
      Distribution.Run again = Distribution.module(Duration.ofMinutes(3), "warm.nightly", Map.of(), "prune", "--json",
          "--config", config.toString());
      assertEquals(0, again.exit(), again.toString());
      assertEquals(0, QuickBed.JSON.readTree(again.out()).path("candidates").size(), again.out());
    } finally {
      if (liveRun != null) {
        liveRun.close();
      }
      for (AppRef a : made) {
        try {
          bed.platform().removeApp(a);
        } catch (RuntimeException e) {
          System.err.println("cleanup " + a.domain() + ": " + e.getMessage());
        }
      }
      if (realms != null) {
        for (String r : List.of("ccw-keep-deadrun", "ccw-keep-liverun")) {
          try {
            realms.delete(r);
          } catch (RuntimeException e) {
            System.err.println("cleanup " + r + ": " + e.getMessage());
          }
        }
      }
      if (Files.exists(kc.resolve("kc.env"))) {
        new ProcessBuilder(script.toString(), "stop", kc.toString()).inheritIO().start().waitFor();
      }
      QuickBed.RUNNER.run(Command.of("rm", "-rf", kc.toString()));
      bed.cleanup();
    }
  }

  private static Set<String> names(JsonNode array, String field) {
    Set<String> s = new TreeSet<>();
    array.forEach(n -> s.add(n.path(field).asText()));
    return s;
  }

  /** This installation's realms, by a reap that deletes nothing (every run counted alive). */
  private static Set<String> ourRealms(KeycloakRealmManager realms) {
    ReapReport r = realms.reap(stack -> true, new ReapPolicy(Duration.ofDays(365), Duration.ZERO, true));
    Set<String> s = new TreeSet<>();
    r.entries().forEach(e -> s.add(e.realm()));
    return s;
  }

  private static Map<String, List<String>> volumes(Platform platform, List<AppRef> apps) {
    Map<String, List<String>> m = new TreeMap<>();
    for (AppRef a : apps) {
      m.put(a.domain(), platform.volumes(a).stream().map(VolumeInfo::name).toList());
    }
    return m;
  }

  /** Every path under the state root with a hash of its content (files) or its target (links); lock files by name. */
  private static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String rel = root.relativize(p).toString();
        if (rel.startsWith("locks/")) {
          // Never opened: closing any descriptor of a lock file drops this JVM's kernel lock on it (fcntl(2)).
          m.put(rel, "lock");
        } else if (Files.isSymbolicLink(p)) {
          m.put(rel, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          m.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        } else {
          m.put(rel, "dir");
        }
      }
    }
    return m;
  }
}
