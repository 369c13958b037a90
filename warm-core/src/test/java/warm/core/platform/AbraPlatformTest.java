package warm.core.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the adapter looks for abra's state must be where abra keeps it. */
class AbraPlatformTest {
  @Test
  void testResolveAbraDir_configuredThenEnvironmentThenHome() {
    assertEquals(Path.of("/x"), AbraPlatform.resolveAbraDir(Path.of("/x"), "/y"));
    assertEquals(Path.of("/y"), AbraPlatform.resolveAbraDir(null, "/y"));
    assertEquals(Path.of(System.getProperty("user.home"), ".abra"), AbraPlatform.resolveAbraDir(null, " "));
    assertEquals(Path.of(System.getProperty("user.home"), ".abra"), AbraPlatform.resolveAbraDir(null, null));
  }
}
