package warm.core.state;

/**
 * One kind of per-app state file: its name in {@code <root>/<app>/} and the record it holds.
 *
 * @param <T> the record type
 */
public final class StateFile<T> {
  /** {@code canonical.json}: the canonical's promoted release and known-good snapshot. */
  public static final StateFile<CanonicalRecord> CANONICAL = new StateFile<>("canonical.json", CanonicalRecord.class);
  /** {@code last-good.json}: the infra app's last healthy version. */
  public static final StateFile<LastGood> LAST_GOOD = new StateFile<>("last-good.json", LastGood.class);
  /** {@code volume-state.json}: clean at a snapshot or dirty from a run. */
  public static final StateFile<VolumeState> VOLUME_STATE = new StateFile<>("volume-state.json", VolumeState.class);
  /** {@code journal.json}: the operation in flight. */
  public static final StateFile<Journal> JOURNAL = new StateFile<>("journal.json", Journal.class);
  /** {@code hold.json}: the infra app's upgrade the gate holds back (one alert per target). */
  public static final StateFile<InfraHold> HOLD = new StateFile<>("hold.json", InfraHold.class);
  /** {@code last-quick.json}: how the canonical's last quick run ended. */
  public static final StateFile<LastRun> LAST_QUICK = new StateFile<>("last-quick.json", LastRun.class);
  /** {@code last-promote.json}: how the canonical's last promotion (or seed) ended. */
  public static final StateFile<LastRun> LAST_PROMOTE = new StateFile<>("last-promote.json", LastRun.class);
  /** {@code reconcile.json}: the infra app's last reconcile outcome. */
  public static final StateFile<ReconcileRecord> RECONCILE = new StateFile<>("reconcile.json", ReconcileRecord.class);

  /** {@code deenrolled.json}: when prune first saw the canonical's recipe, or the infra app, no longer configured. */
  public static final StateFile<Deenrolled> DEENROLLED = new StateFile<>("deenrolled.json", Deenrolled.class);

  private final String fileName;
  private final Class<T> type;

  private StateFile(String fileName, Class<T> type) {
    this.fileName = fileName;
    this.type = type;
  }

  /** The file's name inside the app directory. */
  public String fileName() {
    return fileName;
  }

  /** The record type it holds. */
  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return fileName;
  }
}
