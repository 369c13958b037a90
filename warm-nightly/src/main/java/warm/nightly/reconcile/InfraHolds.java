package warm.nightly.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import warm.core.alert.Alert;
import warm.core.alert.Alerts;
import warm.core.state.InfraHold;
import warm.core.state.StateFile;
import warm.core.state.StateStore;
import warm.gate.GateDecision;
import warm.gate.HoldReason;

/**
 * The gate's holds of infra apps ({@code hold.json}): one alert per (app, target), not one at every
 * {@code nixos-rebuild switch} — a reconcile that meets the same held target again only logs a warning. A newer
 * target is a new hold (and a new alert); an upgrade that goes ahead, or an app already at the latest, clears it.
 */
final class InfraHolds {
  private static final Logger LOG = LoggerFactory.getLogger(InfraHolds.class);

  private final StateStore state;
  private final Alerts alerts;

  InfraHolds(StateStore state, Alerts alerts) {
    this.state = state;
    this.alerts = alerts;
  }

  /** The hold recorded for the app, if any. */
  Optional<InfraHold> current(String app) {
    return state.read(app, StateFile.HOLD);
  }

  /**
   * Records the hold of {@code decision} and alerts once for its target.
   *
   * @return the hold, new or the one already recorded for this target
   */
  InfraHold hold(String app, GateDecision decision) {
    Optional<InfraHold> known = current(app).filter(h -> h.target().equals(decision.to()));
    List<String> reasons = reasons(decision);
    if (known.isPresent()) {
      LOG.warn("{}: upgrade {} -> {} still held ({}); alert {} was raised {}", app, decision.from(), decision.to(),
          String.join("; ", reasons), known.get().alertId(), known.get().since());
      return known.get();
    }
    List<String> quotes = quotes(decision);
    Alert alert = Alert.builder("upgrade-held", app).severity(Alert.Severity.WARNING)
        .message(app + " stays on " + decision.from() + ": the upgrade to " + decision.to()
            + " needs a human (" + String.join("; ", reasons) + "). Do the step, then acknowledge the version"
            + " (infra[].acknowledged) to release it.")
        .attemptedVersion(decision.to()).lastGoodVersion(decision.from())
        .notesExcerpt(quotes.isEmpty() ? null : String.join("\n", quotes)).build();
    alerts.raise(alert);
    InfraHold hold = new InfraHold(decision.from(), decision.to(), reasons, quotes, Instant.now(), alert.id());
    state.write(app, StateFile.HOLD, hold);
    LOG.warn("{}: upgrade {} -> {} held: {}", app, decision.from(), decision.to(), String.join("; ", reasons));
    return hold;
  }

  /** Forgets a hold (the upgrade goes ahead, or there is nothing to upgrade to). */
  void clear(String app) {
    if (state.delete(app, StateFile.HOLD)) {
      LOG.info("{}: the held upgrade is released", app);
    }
  }

  static List<String> reasons(GateDecision d) {
    List<String> out = new ArrayList<>();
    for (HoldReason r : d.reasons()) {
      out.add(r.code() + (r.version() == null ? "" : " " + r.version()) + ": " + r.detail());
    }
    return out;
  }

  static List<String> quotes(GateDecision d) {
    List<String> out = new ArrayList<>();
    for (HoldReason r : d.reasons()) {
      for (int i = 0; i < r.quotes().size(); i++) {
        // The heading says where the sentence stands ("Upgrade notes", "Breaking changes"): an operator reading the
        // alert judges the quote by it.
        String heading = r.headings().get(i);
        String where = (r.version() == null ? "" : r.version()) + (heading.isEmpty() ? "" : " [" + heading + "]");
        out.add((where.isEmpty() ? "" : where.strip() + ": ") + r.quotes().get(i));
      }
    }
    return out;
  }
}
