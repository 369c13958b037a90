package warm.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the upgrade gate reads release notes for this deployment, JSON key {@code gate}; the reconciler and
 * {@code warm gate} both use it.
 *
 * @param context platforms and integrations this deployment uses ({@code true}) or does not ({@code false}), added
 *     to or overriding the gate's defaults (Docker Swarm used; Kubernetes, Helm, … not): a note item about only
 *     unused ones does not hold an upgrade. Keys are matched as whole words, case-insensitively.
 * @param markers extra phrases that make a note hold wherever they appear (literal, case-insensitive), in addition
 *     to the classifier; what {@code warm gate --marker} adds for one run
 */
public record GateSettings(Map<String, Boolean> context, List<String> markers) {
  public GateSettings {
    context = context == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
    markers = markers == null ? List.of() : List.copyOf(markers);
  }

  /** Nothing added to the gate's defaults. */
  public static GateSettings defaults() {
    return new GateSettings(null, null);
  }
}
