package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import warm.core.state.Journal;

class LeaseTest {
  private static Journal journal(String operation, String phase) {
    return Journal.begin(operation, "q1", "app", phase, Map.of());
  }

  @Test
  void testLiveUntil_onlyAPreparedQuickRunWithAnUnexpiredLease() {
    Journal prepared = Lease.grant(journal("quick", "prepared"), Duration.ofMinutes(5));
    assertTrue(Lease.liveUntil(prepared).isPresent());
    assertEquals(prepared.data().get(Lease.KEY), Lease.liveUntil(prepared).get().toString());
    assertEquals(Optional.empty(), Lease.liveUntil(Lease.grant(journal("quick", "prepared"), Duration.ofSeconds(-1))),
        "expired");
    assertEquals(Optional.empty(), Lease.liveUntil(journal("quick", "prepared")), "no lease recorded");
    assertEquals(Optional.empty(), Lease.liveUntil(Lease.grant(journal("quick", "testing"), Duration.ofMinutes(5))),
        "not prepared");
    assertEquals(Optional.empty(), Lease.liveUntil(Lease.grant(journal("promote", "prepared"), Duration.ofMinutes(5))),
        "another operation's journal");
  }
}
