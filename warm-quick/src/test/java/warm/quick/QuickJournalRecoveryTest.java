package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import warm.core.recovery.JournalRecovery;

class QuickJournalRecoveryTest {
  /** The quick lane registers its journal kind, so {@code warm recover} finds it (provides + META-INF/services). */
  @Test
  void testServiceLoader_findsTheQuickKind() {
    List<String> kinds = ServiceLoader.load(JournalRecovery.class).stream().map(p -> p.get().kind()).toList();
    assertEquals(List.of("quick"), kinds);
  }
}
