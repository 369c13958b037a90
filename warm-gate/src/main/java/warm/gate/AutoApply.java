package warm.gate;

import java.util.Locale;

/**
 * The largest recipe step the gate lets the notes decide ({@code gate.autoApply}, issue 14): a larger step holds
 * whatever the notes say. Operators of auto-updaters commonly limit unattended updates this way (Renovate's and
 * Dependabot's "automerge patch only"). The step is read like the major bump's: the recipe semver part of the
 * installed and the target version, over the whole range (an upgrade crossing a minor release is a minor step even
 * when its last release is a patch).
 */
public enum AutoApply {
  /**
   * The default, the gate's behaviour before the setting: a major step holds, minor and patch steps are decided by
   * the notes.
   */
  MINOR,
  /** A minor step holds too: only patch steps are decided by the notes. */
  PATCH;

  /** @return the configuration value, {@code minor} or {@code patch} */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param value {@code minor} or {@code patch}, exactly (lower case, as in the configuration file)
   * @return the setting
   * @throws IllegalArgumentException for any other value, naming the allowed ones
   */
  public static AutoApply parse(String value) {
    for (AutoApply a : values()) {
      if (a.configValue().equals(value)) {
        return a;
      }
    }
    throw new IllegalArgumentException("must be 'minor' or 'patch', got '" + (value == null ? "null"
        : RecipeVersion.printable(value)) + "'");
  }
}
