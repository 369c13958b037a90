package warm.core.naming;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import warm.core.WarmException;

/**
 * Naming rules shared by every module: recipe names, domains, stack names and Swarm's object-name limit.
 * Everything here rejects bad input with a usage error naming the value and the rule it breaks (DESIGN I9).
 */
public final class Naming {
  /** Swarm refuses secret and config names longer than this ({@code <stack>_<name>_<version>}). */
  public static final int SWARM_OBJECT_NAME_MAX = 64;
  /**
   * Room kept for {@code _<name>_<version>} when the recipe's own secret names are not known yet: enough for
   * {@code _db_root_password_v1}, the longest name common recipes use.
   */
  public static final int DEFAULT_OBJECT_SUFFIX_RESERVE = "_db_root_password_v1".length();

  private static final Pattern RECIPE = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Naming() {}

  /** Accepts a recipe name: lowercase letters, digits, {@code -} and {@code _}; no path characters. */
  public static String requireRecipeName(String recipe) {
    if (recipe == null || recipe.isEmpty()) {
      throw WarmException.usage("recipe name is empty");
    }
    if (recipe.contains("/") || recipe.contains("..") || !RECIPE.matcher(recipe).matches()) {
      throw WarmException.usage("invalid recipe name '" + printable(recipe)
          + "': use lowercase letters, digits, '-' and '_' (no '/', '..' or other characters), at most 64");
    }
    return recipe;
  }

  /** Accepts a DNS domain: dot-separated lowercase labels of letters, digits and inner hyphens. */
  public static String requireDomain(String domain) {
    if (domain == null || domain.isEmpty()) {
      throw WarmException.usage("domain is empty");
    }
    String why = null;
    if (domain.contains("/") || domain.contains("..")) {
      why = "contains '/' or '..'";
    } else if (domain.length() > 253) {
      why = "longer than 253 characters";
    } else {
      for (String label : domain.split("\\.", -1)) {
        if (!LABEL.matcher(label).matches()) {
          why = "label '" + printable(label) + "' is not lowercase letters, digits and inner '-' (1-63 chars)";
          break;
        }
      }
    }
    if (why != null) {
      throw WarmException.usage("invalid domain '" + printable(domain) + "': " + why);
    }
    return domain;
  }

  /** The Swarm stack name of an app: its domain with dots turned into {@code _} (hyphens kept), as abra does. */
  public static String stackName(String domain) {
    return requireDomain(domain).replace('.', '_');
  }

  /**
   * Rejects a domain whose Swarm secret/config names would pass Swarm's 64-character limit, given the longest
   * {@code _<name>_<version>} suffix the app needs.
   */
  public static String requireObjectNamesFit(String domain, String longestNameAndVersion) {
    String stack = stackName(domain);
    String full = stack + "_" + longestNameAndVersion;
    if (full.length() > SWARM_OBJECT_NAME_MAX) {
      throw WarmException.usage("domain '" + domain + "' is too long: Swarm object name '" + printable(full) + "' has "
          + full.length() + " characters, Swarm allows " + SWARM_OBJECT_NAME_MAX
          + " (stack '" + stack + "' leaves no room for the app's secret and config names)");
    }
    return domain;
  }

  /** {@link #requireObjectNamesFit} with the default reserve, for when the recipe's names are not known. */
  public static String requireRoomForObjectNames(String domain) {
    return requireObjectNamesFit(domain, "db_root_password_v1");
  }

  /** The canonical's stable domain for a recipe, from the template ({@code warm-{recipe}.{ciDomain}}). */
  public static String canonicalDomain(String template, String recipe, String ciDomain) {
    requireRecipeName(recipe);
    return requireDomain(expand(template, Map.of("recipe", recipe.replace('_', '-'), "ciDomain", ciDomain)));
  }

  /** A per-run cold domain ({@code <recipe>-<6hex>.<ciDomain>} by default) with a fresh random suffix. */
  public static String coldDomain(String template, String recipe, String ciDomain) {
    return coldDomain(template, recipe, ciDomain, randomHex());
  }

  /** A per-run cold domain with the given 6-hex suffix. */
  public static String coldDomain(String template, String recipe, String ciDomain, String hex) {
    requireRecipeName(recipe);
    if (!hex.matches("[0-9a-f]{6}")) {
      throw WarmException.usage("run suffix '" + printable(hex) + "' is not 6 lowercase hex characters");
    }
    return requireDomain(expand(template, Map.of("recipe", recipe.replace('_', '-'), "ciDomain", ciDomain, "hex", hex)));
  }

  /** Six random lowercase hex characters (a run suffix). */
  public static String randomHex() {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String expand(String template, Map<String, String> values) {
    String out = template;
    for (var e : values.entrySet()) {
      out = out.replace("{" + e.getKey() + "}", e.getValue());
    }
    if (out.contains("{") || out.contains("}")) {
      throw WarmException.usage("domain template '" + printable(template) + "' has an unknown placeholder (known: "
          + String.join(", ", values.keySet().stream().map(k -> "{" + k + "}").sorted().toList()) + ")");
    }
    return out;
  }

  /** Makes control characters visible so an error line stays one line. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}
