package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which {@code docker events} lines wake a stack's health wait (lines captured during a demo on the test bed). */
class DockerEventStreamTest {
  private static final String STACK = "warm-sample-31601d_ci_localhost";

  private static List<String> captured() throws IOException {
    try (InputStream in = DockerEventStreamTest.class.getResourceAsStream("docker/events/sample.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void testRelevant_theStacksContainerAndServiceChangesOnly() throws IOException {
    List<String> lines = captured();
    // health_status, exec_die (a healthcheck run), service update, die, network connect, another stack's container
    // start, another stack's service create
    List<Boolean> expected = List.of(true, false, true, true, false, false, false);
    assertEquals(expected.size(), lines.size(), "fixture lines");
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(expected.get(i), DockerEventStream.relevant(lines.get(i), STACK), lines.get(i));
    }
  }

  @Test
  void testRelevant_aStackWhoseNameExtendsAnotherIsNotIt() throws IOException {
    // warm-sample-31601d_ci_localhost's container is no change of warm-sample-31601d_ci (its label is exact).
    assertFalse(DockerEventStream.relevant(captured().get(0), "warm-sample-31601d_ci"));
  }

  @Test
  void testRelevant_notJsonIsNoChange() {
    assertFalse(DockerEventStream.relevant("Error response from daemon: …", STACK));
    assertFalse(DockerEventStream.relevant("", STACK));
  }
}
