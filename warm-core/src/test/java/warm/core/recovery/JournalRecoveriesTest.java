package warm.core.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.ExitCode;
import warm.core.WarmException;
import warm.core.config.WarmConfig;
import warm.core.lock.AppLocks;
import warm.core.lock.LockFile;
import warm.core.state.Journal;
import warm.core.state.StateFile;
import warm.core.state.StateStore;

class JournalRecoveriesTest {
  @TempDir
  Path tmp;

  /** A recovery of kind {@code quick} that records what it was given and deletes the journal. */
  private final List<Journal> recovered = new ArrayList<>();
  private int opened;

  private JournalRecovery quick(StateStore store) {
    return new JournalRecovery() {
      @Override
      public String kind() {
        return "quick";
      }

      @Override
      public Recoverer open(WarmConfig config) {
        opened++;
        return j -> {
          recovered.add(j);
          store.delete(j.app(), StateFile.JOURNAL);
          return "rolled back " + j.runId();
        };
      }
    };
  }

  @Test
  void testRecover_dispatchesByKind_underTheLock() {
    WarmConfig cfg = WarmConfig.defaults().withStateRoot(tmp);
    StateStore store = new StateStore(tmp);
    store.write("app1", StateFile.JOURNAL, Journal.begin("quick", "q1", "app1", "testing", Map.of()));
    JournalRecoveries r = new JournalRecoveries(cfg, List.of(quick(store)));
    assertEquals(Optional.of("rolled back q1"), r.recover("app1"));
    assertEquals("q1", recovered.get(0).runId());
    assertTrue(store.read("app1", StateFile.JOURNAL).isEmpty());
    assertEquals(Optional.empty(), r.recover("app1"), "no journal: nothing to do");
    assertEquals(1, opened, "opened once, on first use");
  }

  @Test
  void testRecover_unknownKind_exit4_journalKept_nothingOpened() throws Exception {
    WarmConfig cfg = WarmConfig.defaults().withStateRoot(tmp);
    StateStore store = new StateStore(tmp);
    store.write("app2", StateFile.JOURNAL, Journal.begin("frobnicate", "f1", "app2", "half-done", Map.of()));
    byte[] before = Files.readAllBytes(store.path("app2", StateFile.JOURNAL));
    JournalRecoveries r = new JournalRecoveries(cfg, List.of(quick(store)));
    WarmException e = assertThrows(WarmException.class, () -> r.recover("app2"));
    assertEquals(ExitCode.INFRA, e.exitCode());
    assertTrue(e.getMessage().contains("'frobnicate'") && e.getMessage().contains("known kinds: quick")
        && e.getMessage().contains("journal is kept"), e.getMessage());
    assertEquals(new String(before), new String(Files.readAllBytes(store.path("app2", StateFile.JOURNAL))));
    assertEquals(0, opened);
    assertTrue(recovered.isEmpty());
  }

  @Test
  void testRegistry_twoProvidersForOneKind_refused() {
    WarmConfig cfg = WarmConfig.defaults().withStateRoot(tmp);
    StateStore store = new StateStore(tmp);
    WarmException e = assertThrows(WarmException.class,
        () -> new JournalRecoveries(cfg, List.of(quick(store), quick(store))));
    assertTrue(e.getMessage().contains("two recoveries for journal kind 'quick'"), e.getMessage());
  }

  @Test
  void testRecover_badAppName_usage_createsNothing() {
    WarmConfig cfg = WarmConfig.defaults().withStateRoot(tmp);
    JournalRecoveries r = new JournalRecoveries(cfg, List.of());
    WarmException e = assertThrows(WarmException.class, () -> r.recover("../x"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(!Files.exists(tmp.resolve("locks")), "no lock file for a bad name");
  }

  @Test
  void testRecover_appNeverSeen_nothingToRecover_createsNothing() {
    // A mistyped app name: "nothing to recover", and no lock file (nor state root) left for it.
    Path root = tmp.resolve("state-root");
    WarmConfig cfg = WarmConfig.defaults().withStateRoot(root);
    JournalRecoveries r = new JournalRecoveries(cfg, List.of());
    assertEquals(Optional.empty(), r.recover("typo"));
    assertEquals(Optional.of(Optional.empty()), r.recoverUnlessBusy("typo"));
    assertTrue(!Files.exists(root), "the state root was created");
    assertEquals(0, opened);
  }

  @Test
  void testRecoverUnlessBusy_leavesALiveOperationsJournal_thenRecoversOnceFree() throws Exception {
    // A switch re-runs a failed boot-time recover while a nightly holds the app's lock: that journal is the live
    // operation's, so recover must neither wait for it nor touch it.
    WarmConfig cfg = WarmConfig.defaults().withStateRoot(tmp);
    StateStore store = new StateStore(tmp);
    store.write("app3", StateFile.JOURNAL, Journal.begin("quick", "q3", "app3", "testing", Map.of()));
    byte[] before = Files.readAllBytes(store.path("app3", StateFile.JOURNAL));
    JournalRecoveries r = new JournalRecoveries(cfg, List.of(quick(store)));
    try (LockFile live = new AppLocks(tmp).tryAcquire("app3", "nightly").orElseThrow()) {
      assertEquals(Optional.empty(), r.recoverUnlessBusy("app3"), "busy: left alone");
      assertEquals(new String(before), new String(Files.readAllBytes(store.path("app3", StateFile.JOURNAL))));
      assertTrue(recovered.isEmpty());
    }
    assertEquals(Optional.of(Optional.of("rolled back q3")), r.recoverUnlessBusy("app3"), "free: a killed run's");
    assertTrue(store.read("app3", StateFile.JOURNAL).isEmpty());
    assertEquals(Optional.of(Optional.empty()), r.recoverUnlessBusy("app3"), "no journal: nothing to do");
  }
}
