package warm.quick;

import java.nio.file.Path;
import java.util.List;
import warm.core.WarmException;
import warm.core.naming.Naming;

/**
 * What the CI runner asks of a quick run.
 *
 * @param recipe the recipe whose canonical is reattached
 * @param checkout the PR head checkout, deployed as-is (chaos)
 * @param sso whether to create a per-run Keycloak realm
 * @param command the runner's assertions; exit 0 = PASS (empty in prepare/finish mode)
 */
public record QuickRequest(String recipe, Path checkout, boolean sso, List<String> command) {
  public QuickRequest {
    Naming.requireRecipeName(recipe);
    command = command == null ? List.of() : List.copyOf(command);
    if (checkout != null && !java.nio.file.Files.isDirectory(checkout)) {
      throw WarmException.usage("checkout " + checkout + " is not a directory");
    }
  }
}
