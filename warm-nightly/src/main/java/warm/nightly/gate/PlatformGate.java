package warm.nightly.gate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import warm.core.WarmException;
import warm.core.config.GateSettings;
import warm.core.config.InfraApp;
import warm.core.config.UpstreamNotesSettings;
import warm.core.config.WarmConfig;
import warm.core.platform.Platform;
import warm.core.state.StateStore;
import warm.gate.AutoApply;
import warm.gate.DeploymentContext;
import warm.gate.GateDecision;
import warm.gate.GatePolicy;
import warm.gate.NoteLookup;
import warm.gate.PublishedVersions;
import warm.gate.ReleaseNoteSource;
import warm.gate.UpgradeGate;
import warm.gate.UpstreamNoteSource;
import warm.gate.UpstreamNotes;

/**
 * The upgrade gate on a {@link Platform}: the recipe's published versions and its release notes exactly as the
 * platform serves them (abra leaves its shared recipe tree at the deployed tag; the platform reads newer notes from
 * their tags). warm-gate knows nothing of warm-core, so this adapts one to the other; {@code warm gate --recipe}
 * uses it, and so must the reconciler.
 */
public final class PlatformGate {
  private PlatformGate() {}

  /**
   * Decides the step from {@code from} to {@code to} for a recipe of the platform.
   *
   * @param platform where the recipe's versions and notes come from
   * @param recipe the recipe name
   * @param from the installed version
   * @param to the target version
   * @param policy extra markers and acknowledgements
   * @return the decision; a note the platform cannot serve in full holds
   * @throws WarmException when the platform cannot list the recipe's versions
   */
  public static GateDecision decide(Platform platform, String recipe, String from, String to, GatePolicy policy) {
    return UpgradeGate.decide(recipe, from, to, published(platform, recipe), notes(platform, recipe), policy);
  }

  /**
   * Decides the step to the newest stable published release of a recipe of the platform.
   *
   * @param platform where the recipe's versions and notes come from
   * @param recipe the recipe name
   * @param from the installed version
   * @param policy extra markers and acknowledgements
   * @return the decision
   * @throws warm.gate.RecipeCheckoutException when the recipe has no stable release
   * @throws WarmException when the platform cannot list the recipe's versions
   */
  public static GateDecision decideLatest(Platform platform, String recipe, String from, GatePolicy policy) {
    return UpgradeGate.decideLatest(recipe, from, published(platform, recipe), notes(platform, recipe), policy);
  }

  /**
   * Decides the step for an infra app: the platform's versions and notes of its recipe, and the upstream notes its
   * configuration names ({@code infra[].upstreamNotes}, fetched notes cached under
   * {@code <stateRoot>/gate-cache/<app>/}). The reconciler and {@code warm gate --recipe} both decide here.
   *
   * @param platform where the recipe's versions and notes come from
   * @param app the infra app (its recipe and upstream notes)
   * @param stateRoot the state root (the upstream notes cache lives under it)
   * @param from the installed version
   * @param to the target version, or null for the newest stable published release
   * @param policy extra markers and acknowledgements
   * @return the decision
   * @throws warm.gate.RecipeCheckoutException when {@code to} is null and the recipe has no stable release
   * @throws WarmException when the platform cannot list the recipe's versions
   */
  public static GateDecision decide(Platform platform, InfraApp app, Path stateRoot, String from, String to,
      GatePolicy policy) {
    PublishedVersions published = published(platform, app.recipe());
    ReleaseNoteSource notes = notes(platform, app.recipe());
    Optional<UpstreamNotes> upstream = upstreamNotes(app, stateRoot);
    if (upstream.isEmpty()) {
      return to == null ? UpgradeGate.decideLatest(app.recipe(), from, published, notes, policy)
          : UpgradeGate.decide(app.recipe(), from, to, published, notes, policy);
    }
    return to == null ? UpgradeGate.decideLatest(app.recipe(), from, published, notes, upstream.get(), policy)
        : UpgradeGate.decide(app.recipe(), from, to, published, notes, upstream.get(), policy);
  }

  /** The app's upstream notes as the gate reads them, if configured (the config loader has validated them). */
  static Optional<UpstreamNotes> upstreamNotes(InfraApp app, Path stateRoot) {
    UpstreamNotesSettings u = app.upstreamNotes();
    if (u == null) {
      return Optional.empty();
    }
    UpstreamNoteSource source = u.directory() != null ? UpstreamNoteSource.directory(u.directory())
        : UpstreamNoteSource.url(u.urlTemplate(), Duration.ofSeconds(u.timeoutSeconds()),
            stateRoot.resolve(StateStore.GATE_CACHE).resolve(app.name()));
    return Optional.of(new UpstreamNotes(source, u.proceedWhenUnreachable()
        ? UpstreamNotes.OnUnreachable.PROCEED : UpstreamNotes.OnUnreachable.HOLD));
  }

  /**
   * The policy the configuration sets ({@code gate.context}, {@code gate.markers}, {@code gate.autoApply}): one for
   * the reconciler and for {@code warm gate}, so both take the same decision on the same notes.
   *
   * @param config the loaded configuration (validated: {@code gate.autoApply} is {@code minor} or {@code patch})
   * @return the gate's defaults with the configured context, markers and step limit, nothing acknowledged
   */
  public static GatePolicy policy(WarmConfig config) {
    GateSettings g = config.gate();
    return GatePolicy.defaults().withExtraMarkers(g.markers())
        .withContext(DeploymentContext.defaultsWith(g.context())).withAutoApply(AutoApply.parse(g.autoApply()));
  }

  static PublishedVersions published(Platform platform, String recipe) {
    return PublishedVersions.of(platform.publishedVersions(recipe));
  }

  /** {@link Platform#releaseNote}: a note it cannot serve in full fails there, and is unreadable here (a hold). */
  static ReleaseNoteSource notes(Platform platform, String recipe) {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(recipe, "recipe");
    return version -> {
      try {
        Optional<String> text = platform.releaseNote(recipe, version);
        return text.<NoteLookup>map(t -> new NoteLookup.Found(t, false)).orElseGet(NoteLookup::absent);
      } catch (WarmException e) {
        return new NoteLookup.Unreadable(e.getMessage());
      }
    };
  }
}
