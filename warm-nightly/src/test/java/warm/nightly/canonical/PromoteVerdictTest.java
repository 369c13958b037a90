package warm.nightly.canonical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import warm.core.state.CanonicalRecord;
import warm.snapshot.Progress;
import warm.snapshot.QuiescenceCheck;
import warm.snapshot.SnapshotMeta;
import warm.snapshot.SnapshotStore;
import warm.snapshot.SnapshotTag;

/**
 * "Promoted" is read off the disk (a real snapshot store on plain directories): the record, the known-good link, its
 * tag and the volumes must all agree with the target; each disagreement alone is a failure.
 */
class PromoteVerdictTest {
  private static final PromoteTarget TARGET = new PromoteTarget("2.0.0+2.0", "c".repeat(40));

  @TempDir
  Path dir;
  private SnapshotStore store;
  private Map<String, Path> vols;
  private SnapshotMeta meta;

  @BeforeEach
  void snapshot() throws Exception {
    Path vol = Files.createDirectories(dir.resolve("vol"));
    Files.writeString(vol.resolve("data.txt"), "promoted data");
    vols = Map.of("app_data", vol);
    store = SnapshotStore.open(dir.resolve("snapshots"));
    meta = KnownGoods.ofPlainStore(store, vols, SnapshotTag.of(TARGET.commit(), TARGET.version()),
        QuiescenceCheck.assumeQuiet(), Progress.none());
  }

  private Optional<CanonicalRecord> record(String version, String commit, String snapshot) {
    return Optional.of(new CanonicalRecord("sample", "warm-sample.ci.localhost", version, commit, Instant.now(),
        snapshot));
  }

  @Test
  void allAgree_promoted() {
    assertEquals(Optional.empty(),
        PromoteVerdict.problem(record(TARGET.version(), TARGET.commit(), meta.id()), store, vols, TARGET));
  }

  @Test
  void eachDisagreement_notPromoted() throws Exception {
    assertTrue(PromoteVerdict.problem(Optional.empty(), store, vols, TARGET).orElseThrow()
        .contains("no canonical.json"));
    assertTrue(PromoteVerdict.problem(record("1.0.0+1.0", TARGET.commit(), meta.id()), store, vols, TARGET)
        .orElseThrow().contains("names 1.0.0+1.0"));
    assertTrue(PromoteVerdict.problem(record(TARGET.version(), "d".repeat(40), meta.id()), store, vols, TARGET)
        .orElseThrow().contains("not 2.0.0+2.0"));
    assertTrue(PromoteVerdict.problem(record(TARGET.version(), TARGET.commit(), "20200101T000000Z-00000000"),
        store, vols, TARGET).orElseThrow().contains("but the known-good is " + meta.id()));
    PromoteTarget otherTag = new PromoteTarget(TARGET.version(), TARGET.commit());
    SnapshotMeta wrongTag = KnownGoods.ofPlainStore(store, vols, SnapshotTag.of("e".repeat(40), "9.9.9+9"),
        QuiescenceCheck.assumeQuiet(), Progress.none());
    assertTrue(PromoteVerdict.problem(record(TARGET.version(), TARGET.commit(), wrongTag.id()), store, vols,
        otherTag).orElseThrow().contains("is tagged"));
  }

  @Test
  void volumesChanged_notPromoted() throws Exception {
    Files.writeString(vols.get("app_data").resolve("data.txt"), "changed after the snapshot");
    assertTrue(PromoteVerdict.problem(record(TARGET.version(), TARGET.commit(), meta.id()), store, vols, TARGET)
        .orElseThrow().contains("do not verify"));
    assertTrue(PromoteVerdict.problem(record(TARGET.version(), TARGET.commit(), meta.id()), store, Map.of(),
        TARGET).orElseThrow().contains("missing"));
  }
}
