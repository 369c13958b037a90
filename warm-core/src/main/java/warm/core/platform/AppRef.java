package warm.core.platform;

import warm.core.naming.Naming;

/**
 * One app as the platform knows it: which recipe, at which domain. The stack name derives from the domain
 * (dots become {@code _}), exactly as abra derives it.
 */
public record AppRef(String recipe, String domain) {
  public AppRef {
    Naming.requireRecipeName(recipe);
    Naming.requireDomain(domain);
  }

  /** Swarm stack name: the domain with dots turned into {@code _}. */
  public String stack() {
    return Naming.stackName(domain);
  }
}
