package warm.quick.cli;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The pieces of a picocli model built in code ({@link CodedCommand}): what {@code mixinStandardHelpOptions}, the
 * {@link Cli.Common} mixin and an {@code @Option} field give an annotated command, with the same names, labels,
 * descriptions, types and bindings — without reading any annotation.
 */
public final class CodedModel {
  /** picocli's key for the standard help mixin: {@code CommandSpec.mixinStandardHelpOptions()} looks for it. */
  private static final String HELP_MIXIN = "mixinStandardHelpOptions";

  private CodedModel() {}

  /** A command named {@code name} running {@code command}, with its description and the standard help options. */
  public static CommandSpec command(Object command, String name, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
    spec.usageMessage().description(description);
    spec.addMixin(HELP_MIXIN, helpMixin());
    return spec;
  }

  /** {@code -h/--help} and {@code -V/--version}, as picocli's own help mixin declares them. */
  static CommandSpec helpMixin() {
    CommandSpec mixin = CommandSpec.create();
    mixin.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).descriptionKey("mixinStandardHelpOptions.help")
        .description("Show this help message and exit.").paramLabel("<helpRequested>").type(boolean.class)
        .initialValue(false).hasInitialValue(true).build());
    mixin.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .descriptionKey("mixinStandardHelpOptions.version").description("Print version information and exit.")
        .paramLabel("<versionRequested>").type(boolean.class).initialValue(false).hasInitialValue(true).build());
    return mixin;
  }

  /** The {@link Cli.Common} mixin ({@code --config}, {@code -v/--verbose}, {@code --json}) bound to {@code common}. */
  public static CommandSpec common(Cli.Common common) {
    CommandSpec mixin = CommandSpec.create();
    mixin.addOption(option(common, field(Cli.Base.class, "config"), "--config").paramLabel("FILE")
        .description("configuration file (default: $WARM_CONFIG, then /etc/cc-ci-warm/config.json, then built-in"
            + " defaults)").build());
    mixin.addOption(option(common, field(Cli.Base.class, "verbose"), "-v", "--verbose")
        .description("debug logging on stderr").build());
    mixin.addOption(option(common, field(Cli.Common.class, "json"), "--json")
        .description("print one JSON object on stdout").build());
    return mixin;
  }

  /**
   * An option stored in {@code field} of {@code owner}, typed as the field is (a {@code List<String>} field is a
   * repeatable option of strings), its initial value the field's, as an annotated field's option is. The field must
   * be accessible to this module: public, or made accessible by its own module.
   */
  public static OptionSpec.Builder option(Object owner, Field field, String... names) {
    FieldSlot slot = new FieldSlot(owner, field);
    Object initial;
    try {
      initial = slot.get();
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("option " + names[0] + ": field " + field + " is not accessible", e);
    }
    return OptionSpec.builder(names).paramLabel("<" + field.getName() + ">") // picocli's label for an unlabelled field
        .descriptionKey("").type(field.getType()).auxiliaryTypes(typeArguments(field))
        .getter(slot).setter(slot).initialValue(initial).hasInitialValue(true);
  }

  /** The declared field {@code name} of {@code type}, a programming error when it is missing. */
  public static Field field(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      throw new IllegalArgumentException(type.getName() + " has no field " + name, e);
    }
  }

  /** A collection field's element type(s), as picocli's annotation model takes them from the generic type. */
  private static Class<?>[] typeArguments(Field field) {
    Type generic = field.getGenericType();
    if (!(generic instanceof ParameterizedType p)) {
      return new Class<?>[0];
    }
    Type[] args = p.getActualTypeArguments();
    Class<?>[] out = new Class<?>[args.length];
    for (int i = 0; i < args.length; i++) {
      if (!(args[i] instanceof Class<?> c)) {
        throw new IllegalArgumentException(field + ": type argument " + args[i] + " is not a class");
      }
      out[i] = c;
    }
    return out;
  }
}
