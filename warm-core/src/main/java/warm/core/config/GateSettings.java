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
 * @param autoApply the largest recipe step the release notes decide: {@code minor} (the default: a major step holds,
 *     minor and patch steps are decided by the notes) or {@code patch} (a minor step holds too); what
 *     {@code warm gate --auto-apply} overrides for one run
 */
public record GateSettings(Map<String, Boolean> context, List<String> markers, String autoApply) {
  /**
   * The values {@code autoApply} takes, the default first: warm-core knows nothing of warm-gate, so the loader checks
   * the spelling here and warm-nightly's PlatformGate maps it to the gate's AutoApply.
   */
  public static final List<String> AUTO_APPLY_VALUES = List.of("minor", "patch");

  public GateSettings {
    context = context == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
    markers = markers == null ? List.of() : List.copyOf(markers);
    autoApply = autoApply == null ? AUTO_APPLY_VALUES.get(0) : autoApply;
  }

  /**
   * Context and markers with the default {@code autoApply}.
   *
   * @param context see the record component
   * @param markers see the record component
   */
  public GateSettings(Map<String, Boolean> context, List<String> markers) {
    this(context, markers, null);
  }

  /** Nothing added to the gate's defaults. */
  public static GateSettings defaults() {
    return new GateSettings(null, null, null);
  }
}
