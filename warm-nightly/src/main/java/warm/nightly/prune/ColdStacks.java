package warm.nightly.prune;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import warm.core.WarmException;
import warm.core.platform.AppRef;

/**
 * The shape of per-run cold apps' stacks, from the configured cold domain template ({@code {recipe}-{hex}.{ciDomain}}
 * by default): a stack is a cold app only when its domain is exactly that template with a recipe-like part, six hex
 * characters and this host's CI domain. Anything else on the Swarm (another host's apps, canonicals, infra) is not
 * ours to prune.
 */
final class ColdStacks {
  private static final String RECIPE = "([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)";
  private static final String HEX = "[0-9a-f]{6}";

  private final Pattern domain;

  ColdStacks(String coldTemplate, String ciDomain) {
    StringBuilder re = new StringBuilder();
    Matcher m = Pattern.compile("\\{(recipe|hex|ciDomain)\\}").matcher(coldTemplate);
    int at = 0;
    boolean recipeSeen = false;
    while (m.find()) {
      re.append(Pattern.quote(coldTemplate.substring(at, m.start())));
      switch (m.group(1)) {
        case "recipe" -> {
          // A second {recipe} must repeat the first.
          re.append(recipeSeen ? "\\1" : RECIPE);
          recipeSeen = true;
        }
        case "hex" -> re.append(HEX);
        default -> re.append(Pattern.quote(ciDomain));
      }
      at = m.end();
    }
    re.append(Pattern.quote(coldTemplate.substring(at)));
    if (!recipeSeen || !coldTemplate.contains("{hex}")) {
      // Without both, a cold domain cannot be told from any other app's: prune none rather than guess.
      this.domain = null;
    } else {
      this.domain = Pattern.compile(re.toString());
    }
  }

  /** The cold app a stack name is, when it has the cold template's shape. */
  Optional<AppRef> appOf(String stack) {
    if (domain == null || stack.contains(".")) {
      return Optional.empty();
    }
    // Domains have no '_' (Naming.requireDomain), so the stack name maps back to exactly one domain.
    String d = stack.replace('_', '.');
    Matcher m = domain.matcher(d);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new AppRef(m.group(1), d));
    } catch (WarmException e) {
      return Optional.empty();
    }
  }
}
