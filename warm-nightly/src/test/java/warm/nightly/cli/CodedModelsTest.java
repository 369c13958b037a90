package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import warm.nightly.Main;
import warm.quick.cli.Cli;

/**
 * The models built in code ({@link DataCommands}, {@link Main#model()}) say exactly what the classes' annotations
 * say, so the two can never disagree silently: the same command attributes, the same options (every attribute
 * picocli reads from {@code @Option}), the same usage text, the same parse of every option with a value (the fields
 * set alike, or the same error), and through the real entry point the same output and exit code.
 */
class CodedModelsTest {
  /** Every coded subcommand, with its model and picocli's model of its annotated class. */
  private static Stream<DataCommands> coded() {
    return Stream.of(DataCommands.values());
  }

  private static CommandSpec annotated(DataCommands c) {
    return new CommandLine(c.annotated()).getCommandSpec();
  }

  @Test
  void everyCodedCommandIsInTheEntryPointsListUnderItsAnnotatedName() {
    assertEquals(List.of(DataCommands.values()), Main.CODED);
    coded().forEach(c -> {
      CommandLine.Command a = c.annotated().getAnnotation(CommandLine.Command.class);
      assertNotNull(a, c.annotated() + " keeps its @Command (the reference of its coded model)");
      assertEquals(c.commandName(), a.name());
      assertEquals(0, a.aliases().length, c + " has aliases, which a coded command cannot say");
      assertEquals(1, Main.COMMANDS.stream().filter(k -> k == c.annotated()).count());
    });
  }

  @TestFactory
  Stream<DynamicTest> theCodedModelDescribesTheAnnotatedOne() {
    return Stream.concat(
        Stream.of(DynamicTest.dynamicTest("warm", () -> assertEquals(describe(new CommandLine(new Main())
            .getCommandSpec()), describe(new CommandLine(new Main().model()).getCommandSpec())))),
        coded().map(c -> DynamicTest.dynamicTest(c.commandName(),
            () -> assertEquals(describe(annotated(c)), describe(new CommandLine(c.model()).getCommandSpec())))));
  }

  @TestFactory
  Stream<DynamicTest> theUsageTextIsTheSame() {
    return Stream.concat(
        Stream.of(DynamicTest.dynamicTest("warm", () -> assertEquals(
            Cli.commandLine(new Main(), Main.COMMANDS).getUsageMessage(),
            Cli.commandLine(new Main().model(), Main.COMMANDS, Main.CODED).getUsageMessage()))),
        coded().map(c -> DynamicTest.dynamicTest(c.commandName(), () -> assertEquals(
            new CommandLine(c.annotated()).getUsageMessage(), new CommandLine(c.model()).getUsageMessage()))));
  }

  /**
   * Each option alone with a sample value, all of them together, and bad lines: both models leave the command's
   * fields (its mixins' included) the same, or fail with the same message.
   */
  @TestFactory
  Stream<DynamicTest> everyOptionParsesIntoTheSameFields() {
    return coded().flatMap(c -> lines(annotated(c)).stream().map(line -> DynamicTest.dynamicTest(
        c.commandName() + " " + String.join(" ", line), () -> {
          CommandLine reference = new CommandLine(c.annotated());
          CommandLine mine = new CommandLine(c.model());
          assertEquals(parse(reference, line), parse(mine, line));
        })));
  }

  /** The lines {@link #everyOptionParsesIntoTheSameFields} parses, from the annotated model's options. */
  private static List<List<String>> lines(CommandSpec spec) {
    List<List<String>> lines = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      List<String> one = new ArrayList<>();
      for (String name : o.names()) {
        one.add(name);
        if (o.arity().max() > 0) {
          one.add(sample(o));
        }
      }
      lines.add(one);
      all.addAll(one);
      if (o.arity().max() > 0) {
        lines.add(List.of(o.longestName())); // its value missing
        lines.add(List.of(o.longestName() + "=" + sample(o))); // the attached form
      }
    }
    lines.add(all);
    lines.add(List.of());
    lines.add(List.of("--no-such-option"));
    lines.add(List.of("extra"));
    lines.add(List.of("--lock-wait", "soon"));
    lines.add(List.of("--json=yes"));
    lines.add(List.of("-vh"));
    return lines;
  }

  private static String sample(OptionSpec o) {
    Class<?> t = o.type();
    if (t == long.class || t == int.class) {
      return "7";
    }
    return o.typeInfo().isMultiValue() ? "name=/dir/" + o.longestName() : "/x/" + o.longestName().substring(2);
  }

  /** The command's fields after parsing the line, or the error picocli gave. */
  private static String parse(CommandLine cl, List<String> line) {
    try {
      CommandLine.ParseResult r = cl.parseArgs(line.toArray(String[]::new));
      return "help=" + r.isUsageHelpRequested() + " version=" + r.isVersionHelpRequested() + " "
          + fields(cl.getCommand());
    } catch (CommandLine.ParameterException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** An object's fields by name, recursing into this project's objects. */
  private static Map<String, String> fields(Object o) {
    Map<String, String> out = new TreeMap<>();
    for (Class<?> k = o.getClass(); k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        Object v;
        try {
          v = f.get(o);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
        boolean ours = v != null && v.getClass().getName().startsWith("warm.") && !v.getClass().isEnum();
        out.put(k.getSimpleName() + "." + f.getName(), ours ? fields(v).toString() : String.valueOf(v));
      }
    }
    return out;
  }

  /** Everything of a command's model that the annotations set: command attributes, usage attributes, options. */
  private static String describe(CommandSpec s) {
    StringBuilder b = new StringBuilder();
    b.append("name=").append(s.name()).append(" aliases=").append(Arrays.toString(s.aliases()))
        .append(" version=").append(Arrays.toString(s.version()))
        .append(" mixinStandardHelpOptions=").append(s.mixinStandardHelpOptions())
        .append(" mixins=").append(new TreeMap<>(s.mixins()).keySet())
        .append(" helpCommand=").append(s.helpCommand())
        .append(" exitCodes=").append(List.of(s.exitCodeOnSuccess(), s.exitCodeOnUsageHelp(),
            s.exitCodeOnVersionHelp(), s.exitCodeOnInvalidInput(), s.exitCodeOnExecutionException()))
        .append(" subcommandsRepeatable=").append(s.subcommandsRepeatable())
        .append(" interpolateVariables=").append(s.interpolateVariables())
        .append(" scope=").append(s.scopeType()).append(" inherited=").append(s.inherited())
        .append(" positionals=").append(s.positionalParameters().size())
        .append(" argGroups=").append(s.argGroups().size())
        .append(" unmatched=").append(s.unmatchedArgsBindings().size())
        .append(" separator=").append(s.parser().separator()).append('\n');
    UsageMessageSpec u = s.usageMessage();
    b.append("usage: description=").append(Arrays.toString(u.description()))
        .append(" header=").append(Arrays.toString(u.header())).append(" footer=").append(Arrays.toString(u.footer()))
        .append(" customSynopsis=").append(Arrays.toString(u.customSynopsis()))
        .append(" headings=").append(List.of(u.headerHeading(), u.synopsisHeading(), u.descriptionHeading(),
            u.parameterListHeading(), u.optionListHeading(), u.commandListHeading(), u.footerHeading()))
        .append(" abbreviateSynopsis=").append(u.abbreviateSynopsis()).append(" sortOptions=").append(u.sortOptions())
        .append(" sortSynopsis=").append(u.sortSynopsis()).append(" showDefaultValues=")
        .append(u.showDefaultValues()).append(" hidden=").append(u.hidden()).append(" width=").append(u.width())
        .append(" autoWidth=").append(u.autoWidth()).append(" longOptionsMaxWidth=").append(u.longOptionsMaxWidth())
        .append(" requiredOptionMarker=").append(u.requiredOptionMarker())
        .append(" showAtFileInUsageHelp=").append(u.showAtFileInUsageHelp())
        .append(" showEndOfOptionsDelimiterInUsageHelp=").append(u.showEndOfOptionsDelimiterInUsageHelp())
        .append(" adjustLineBreaksForWideCJKCharacters=").append(u.adjustLineBreaksForWideCJKCharacters())
        .append('\n');
    List<OptionSpec> options = new ArrayList<>(s.options());
    options.sort(Comparator.comparing(OptionSpec::longestName));
    assertFalse(options.isEmpty());
    for (OptionSpec o : options) {
      b.append("option ").append(Arrays.toString(o.names())).append(" paramLabel=").append(o.paramLabel())
          .append(" hideParamSyntax=").append(o.hideParamSyntax())
          .append(" description=").append(Arrays.toString(o.description()))
          .append(" descriptionKey=").append(o.descriptionKey())
          .append(" type=").append(o.type().getName()).append(" auxiliaryTypes=")
          .append(Arrays.toString(o.auxiliaryTypes())).append(" multiValue=").append(o.typeInfo().isMultiValue())
          .append(" arity=").append(o.arity()).append(" required=").append(o.required())
          .append(" defaultValue=").append(o.defaultValue()).append(" initialValue=").append(o.initialValue())
          .append(" hasInitialValue=").append(o.hasInitialValue())
          .append(" showDefaultValue=").append(o.showDefaultValue()).append(" usageHelp=").append(o.usageHelp())
          .append(" versionHelp=").append(o.versionHelp())
          .append(" hidden=").append(o.hidden()).append(" negatable=").append(o.negatable())
          .append(" fallbackValue=").append(o.fallbackValue()).append(" split=").append(o.splitRegex())
          .append(" interactive=").append(o.interactive()).append(" echo=").append(o.echo())
          .append(" order=").append(o.order()).append(" scope=").append(o.scopeType())
          .append(" inherited=").append(o.inherited()).append(" converters=").append(o.converters().length)
          .append(" completion=").append(o.completionCandidates())
          .append(" group=").append(o.group()).append(" mapFallback=").append(o.mapFallbackValue())
          .append(" typeConverters=").append(converterCount(o)).append('\n');
    }
    return b.toString();
  }

  private static int converterCount(ArgSpec a) {
    return a.converters() == null ? 0 : a.converters().length;
  }

  /**
   * Through the real entry point: each line prints the same on stdout and stderr and exits with the same code with
   * the coded models as with the annotated ones.
   */
  @TestFactory
  Stream<DynamicTest> theEntryPointAnswersAlike() {
    List<List<String>> lines = new ArrayList<>(List.of(List.of(), List.of("--help"), List.of("-h"),
        List.of("--version"), List.of("-V"), List.of("frobnicate"), List.of("frobnicate", "--help"),
        List.of("--frob"), List.of("--version", "snapshot")));
    for (DataCommands c : DataCommands.values()) {
      lines.add(List.of(c.commandName(), "--help"));
      lines.add(List.of(c.commandName(), "-V"));
      lines.add(List.of(c.commandName(), "--frob"));
      lines.add(List.of(c.commandName(), "--lock-wait", "soon"));
      lines.add(List.of(c.commandName(), "--store"));
      lines.add(List.of(c.commandName(), "--help", "--no-such"));
      lines.add(List.of(c.commandName(), "extra"));
    }
    return lines.stream().map(line -> DynamicTest.dynamicTest("warm " + String.join(" ", line), () -> {
      String[] args = line.toArray(String[]::new);
      assertEquals(InProcessWarm.capture(() -> Cli.execute(new Main(), Main.COMMANDS, args)),
          InProcessWarm.capture(() -> Main.execute(args)));
    }));
  }
}
