package warm.quick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Only the subcommand an argument line names is built; usage and errors still see every command. */
class SubcommandChoiceTest {
  @Command(name = "top", mixinStandardHelpOptions = true, version = "top 1")
  static final class Top implements Runnable {
    @Override
    public void run() {
      // the root does nothing
    }
  }

  @Command(name = "alpha", aliases = "a", description = "first")
  static final class Alpha implements Runnable {
    @CommandLine.Option(names = "--n")
    int n;

    @Override
    public void run() {
      // nothing: the tests look at the model
    }
  }

  @Command(name = "beta", description = "second")
  static final class Beta implements Runnable {
    @Override
    public void run() {
      // nothing: the tests look at the model
    }
  }

  static final class NotACommand {}

  private static final List<Class<?>> ALL = List.of(Alpha.class, Beta.class);

  private static List<Class<?>> needed(String... args) {
    return SubcommandChoice.needed(ALL, args);
  }

  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    assertEquals(List.of(Beta.class), needed("beta", "--help"));
    assertEquals(List.of(Alpha.class), needed("alpha", "--n", "3"));
    assertEquals(List.of(Alpha.class), needed("a"), "an alias names its command");
    assertEquals(List.of("beta"), List.copyOf(Cli.commandLine(new Top(), ALL, "beta").getSubcommands().keySet()));
  }

  @Test
  void versionAloneBuildsNone() {
    assertEquals(List.of(), needed("--version"));
    assertEquals(List.of(), needed("-V"));
    assertEquals(ALL, needed("--version", "beta"), "more than the version: as before, every command");
  }

  @Test
  void anythingElseBuildsAllInHelpOrder() {
    assertEquals(ALL, needed());
    assertEquals(ALL, needed("--help"));
    assertEquals(ALL, needed("gamma"), "an unknown word: the error lists every command");
    assertEquals(ALL, needed("--n", "alpha"), "a command is only ever the first word");
    assertEquals(ALL, needed("ALPHA"), "commands are case-sensitive");
  }

  @Test
  void usageAndTheUnknownCommandErrorStillListEveryCommand() {
    StringWriter out = new StringWriter();
    CommandLine help = Cli.commandLine(new Top(), ALL, "--help");
    help.setOut(new PrintWriter(out));
    help.usage(help.getOut());
    assertTrue(out.toString().contains("alpha") && out.toString().contains("beta"), out.toString());
    CommandLine cl = Cli.commandLine(new Top(), ALL, "gamma");
    var ex = assertThrows(CommandLine.ParameterException.class, () -> cl.parseArgs("gamma"));
    assertEquals("unknown command 'gamma' for 'top' (commands: alpha, a, beta)", Cli.usageMessage(ex));
  }

  @Test
  void aClassThatIsNoCommandIsRefusedByName() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> SubcommandChoice.needed(List.of(NotACommand.class), new String[] {"x"}));
    assertTrue(e.getMessage().contains("NotACommand"), e.getMessage());
  }

  /** {@link Beta} built in code, with an option its annotations lack, so that the test can tell which model is used. */
  private static final class CodedBeta implements CodedCommand {
    @Override
    public String commandName() {
      return "beta";
    }

    @Override
    public Class<?> annotated() {
      return Beta.class;
    }

    @Override
    public CommandLine.Model.CommandSpec model() {
      CommandLine.Model.CommandSpec spec = CodedModel.command(new Beta(), "beta", "second, coded");
      spec.addOption(CommandLine.Model.OptionSpec.builder("--coded").build());
      return spec;
    }
  }

  @Test
  void aCodedCommandIsFoundByItsModelsNameBeforeAnyAnnotationIsRead() {
    // NotACommand has no @Command: reading its annotation would throw, so finding beta read none
    List<Class<?>> withBroken = List.of(NotACommand.class, Beta.class);
    List<CodedCommand> coded = List.of(new CodedBeta());
    assertEquals(List.of(Beta.class), SubcommandChoice.needed(withBroken, coded, new String[] {"beta"}));
    CommandLine cl = Cli.commandLine(new Top(), withBroken, coded, "beta");
    CommandLine beta = cl.getSubcommands().get("beta");
    assertTrue(beta.getCommandSpec().findOption("--coded") != null, "the coded model, not the annotated one");
    assertEquals(List.of("second, coded"), List.of(beta.getCommandSpec().usageMessage().description()));
  }

  @Test
  void everyCommandInHelpOrderWithTheCodedOnesFromTheirModel() {
    CommandLine cl = Cli.commandLine(new Top(), ALL, List.of(new CodedBeta()), "--help");
    assertEquals(List.of("alpha", "a", "beta"), List.copyOf(cl.getSubcommands().keySet()));
    assertTrue(cl.getSubcommands().get("beta").getCommandSpec().findOption("--coded") != null);
    assertTrue(cl.getSubcommands().get("alpha").getCommandSpec().findOption("--n") != null);
  }

  @Test
  void aCodedCommandWhoseClassIsNotListedIsNotACommand() {
    List<Class<?>> onlyAlpha = List.of(Alpha.class);
    assertEquals(onlyAlpha, SubcommandChoice.needed(onlyAlpha, List.of(new CodedBeta()), new String[] {"beta"}));
  }
}
