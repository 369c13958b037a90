package warm.snapshot;

import java.util.List;

/**
 * One volume of a snapshot: its logical size (regular file bytes, hard links counted once), the bytes the source
 * filesystem had allocated for them (-1 when unknown), the number of entries and the manifest.
 */
public record VolumeMeta(String name, long logicalBytes, long allocatedBytes, int entries, List<ManifestEntry> manifest) {}
