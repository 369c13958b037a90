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
}
