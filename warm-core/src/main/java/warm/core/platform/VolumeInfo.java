package warm.core.platform;

import java.nio.file.Path;

/** A Docker volume of a stack and where its data lives on this host. */
public record VolumeInfo(String name, Path mountpoint) {}
