package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import warm.nightly.Main;
import warm.quick.cli.Cli;

/**
 * Every option and positional parameter of every command says what it is for in {@code --help}: an option listed
 * with an empty description ("--recipe=<recipe>" and nothing after it) leaves a new operator guessing. Walks the
 * command lines as the entry points build them (the coded models of the data commands included), so an option added
 * later is covered without touching this test.
 */
class OptionDescriptionTest {
  private static void collect(CommandLine cl, String path, List<DynamicTest> out) {
    for (ArgSpec a : cl.getCommandSpec().args()) {
      if (a.hidden()) {
        continue; // not in --help (an old spelling kept for scripts)
      }
      String name = path + " " + (a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel());
      String[] d = a.description();
      out.add(DynamicTest.dynamicTest(name, () -> assertFalse(
          d.length == 0 || String.join(" ", d).isBlank(), name + " has no description in --help")));
    }
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getKey().equals(e.getValue().getCommandName())) {
        collect(e.getValue(), path + " " + e.getKey(), out);
      }
    }
  }

  private static Stream<DynamicTest> descriptions(String name, CommandLine root) {
    List<DynamicTest> out = new ArrayList<>();
    collect(root, name, out);
    assertTrue(out.size() > 20, "enumerated only " + out.size());
    return out.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyWarmOptionHasADescription() {
    return descriptions("warm", Cli.commandLine(new Main().model(), Main.COMMANDS, Main.CODED));
  }

  @TestFactory
  Stream<DynamicTest> everyWarmOptionHasADescriptionInItsAnnotations() {
    return descriptions("warm", Cli.commandLine(new Main(), Main.COMMANDS));
  }

  @TestFactory
  Stream<DynamicTest> everyQuickOptionHasADescription() {
    return descriptions("warm-quick", Cli.commandLine(new warm.quick.Main(), warm.quick.Main.COMMANDS));
  }
}
