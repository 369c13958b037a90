package warm.core.state;

/** Compact-constructor checks that give a missing JSON field a message naming it. */
final class Fields {
  private Fields() {}

  static String text(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("'" + name + "' is missing or empty");
    }
    return value;
  }

  static <T> T present(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("'" + name + "' is missing");
    }
    return value;
  }
}
