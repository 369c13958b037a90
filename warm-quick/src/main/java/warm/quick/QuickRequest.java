package warm.quick;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import warm.core.WarmException;
import warm.core.naming.Naming;
import warm.core.state.StateStore;

/**
 * What the CI runner asks of a quick run.
 *
 * @param recipe the recipe whose canonical is reattached
 * @param checkout the PR head checkout, deployed as-is (chaos)
 * @param sso whether to create a per-run Keycloak realm
 * @param command the runner's assertions; exit 0 = PASS (empty in prepare/finish mode)
 */
public record QuickRequest(String recipe, Path checkout, boolean sso, List<String> command) {
  /**
   * Checks everything that can be checked without touching the state root or Docker, so bad input is refused
   * before a lock, journal or deploy exists (DESIGN I9).
   *
   * @throws WarmException (usage) for a bad or reserved recipe name, or a checkout that is not a git checkout
   */
  public QuickRequest {
    Naming.requireRecipeName(recipe);
    if (StateStore.RESERVED_NAMES.contains(recipe)) {
      throw WarmException.usage("recipe name '" + recipe + "' is reserved for the state root's own " + recipe
          + "/ directory; it cannot have a canonical");
    }
    command = command == null ? List.of() : List.copyOf(command);
    if (checkout != null && !Files.isDirectory(checkout)) {
      throw WarmException.usage("checkout " + checkout + " is not a directory");
    }
    // The platforms' own rule (a .git directory, or a .git file for worktrees and submodules); checked here as
    // well, because they check only at the chaos deploy, after the known-good is up.
    if (checkout != null && !Files.isDirectory(checkout.resolve(".git")) && !Files.isRegularFile(checkout.resolve(".git"))) {
      throw WarmException.usage("checkout " + checkout + " is not a git checkout (no .git): --checkout takes the"
          + " PR head's git working tree");
    }
  }
}
