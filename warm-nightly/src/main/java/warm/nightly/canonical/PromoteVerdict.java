package warm.nightly.canonical;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import warm.core.state.CanonicalRecord;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.VerifyReport;

/**
 * Whether a promotion happened, judged from the disk alone (DESIGN I6; cc-ci printed "PASS (promoted)" while four of
 * five promotes failed): {@code canonical.json} names the expected version and commit and the known-good, the
 * known-good's meta carries that tag, and the volumes verify against it.
 */
final class PromoteVerdict {
  private PromoteVerdict() {}

  /**
   * Why the promotion to {@code target} did not happen, or empty when it did.
   *
   * @param record what canonical.json says now (empty when there is none)
   * @param store the canonical's snapshot store
   * @param volumes the canonical's volumes now (the stack undeployed)
   */
  static Optional<String> problem(Optional<CanonicalRecord> record, SnapshotStore store, Map<String, Path> volumes,
      PromoteTarget target) {
    if (record.isEmpty()) {
      return Optional.of("there is no canonical.json");
    }
    CanonicalRecord r = record.get();
    if (!r.version().equals(target.version()) || !r.commit().equals(target.commit())) {
      return Optional.of("canonical.json names " + r.version() + " (" + r.commit() + "), not " + target.version()
          + " (" + target.commit() + ")");
    }
    Optional<String> kg = store.knownGoodId();
    if (!kg.equals(Optional.of(r.snapshotId()))) {
      return Optional.of("canonical.json names snapshot " + r.snapshotId() + " but the known-good is "
          + kg.orElse("missing"));
    }
    SnapshotMeta meta = store.meta(r.snapshotId());
    if (meta.tag() == null || !target.version().equals(meta.tag().version())
        || !target.commit().equals(meta.tag().commit())) {
      return Optional.of("the known-good " + meta.id() + " is tagged " + meta.tag() + ", not " + target);
    }
    Map<String, Path> vols = new LinkedHashMap<>(volumes);
    if (!vols.keySet().containsAll(meta.volumes().keySet())) {
      return Optional.of("volume(s) of the known-good are missing: " + meta.volumes().keySet() + " vs "
          + vols.keySet());
    }
    vols.keySet().retainAll(meta.volumes().keySet());
    VerifyReport v = store.verify(vols, false);
    if (!v.identical()) {
      return Optional.of("the volumes do not verify against the known-good " + meta.id() + " ("
          + v.differenceCount() + " differences; first: " + v.differences().get(0) + ")");
    }
    return Optional.empty();
  }
}
