package warm.snapshot;

/** Receives progress of a long copy (called from the working thread, often; implementations throttle output). */
@FunctionalInterface
public interface Progress {
  void update(String phase, long files, long bytes);

  static Progress none() {
    return (phase, files, bytes) -> { };
  }
}
