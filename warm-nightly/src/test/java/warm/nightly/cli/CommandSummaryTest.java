package warm.nightly.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import warm.nightly.Main;
import warm.quick.cli.Cli;

/**
 * A parent's usage ({@code warm --help}, {@code warm canonical --help}, {@code warm-quick --help}) lists each command
 * with the first line of its description only. That line must be a whole sentence: a first line that stops
 * mid-sentence ("… deploy the canonical at that release over its") is all a new operator sees of the command.
 */
class CommandSummaryTest {
  /** What picocli's command list prints for a command: its header's first line, else its description's. */
  private static String summary(CommandLine c) {
    UsageMessageSpec u = c.getCommandSpec().usageMessage();
    String[] lines = u.header().length > 0 ? u.header() : u.description();
    return lines.length == 0 ? "" : lines[0];
  }

  private static void collect(CommandLine parent, String path, List<DynamicTest> out) {
    for (var e : parent.getSubcommands().entrySet()) {
      if (!e.getKey().equals(e.getValue().getCommandName())) {
        continue;
      }
      CommandLine c = e.getValue();
      String name = path + " " + e.getKey();
      String s = summary(c);
      out.add(DynamicTest.dynamicTest(name, () -> {
        assertFalse(s.isBlank(), name + " has no summary");
        assertTrue(s.endsWith("."), name + "'s summary in its parent's command list stops mid-sentence: '" + s + "'");
      }));
      collect(c, name, out);
    }
  }

  private static Stream<DynamicTest> summaries(String name, Object root, List<Class<?>> commands) {
    List<DynamicTest> out = new ArrayList<>();
    collect(Cli.commandLine(root, commands), name, out);
    assertTrue(out.size() > 3, "enumerated only " + out.size());
    return out.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyWarmCommandIsListedWithAWholeSentence() {
    return summaries("warm", new Main(), Main.COMMANDS);
  }

  @TestFactory
  Stream<DynamicTest> everyQuickCommandIsListedWithAWholeSentence() {
    return summaries("warm-quick", new warm.quick.Main(), warm.quick.Main.COMMANDS);
  }
}
