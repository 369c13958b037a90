package warm.quick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import warm.quick.cli.Cli;

/** The quick lane's usage and error hints name what was invoked: the launcher's name, else the module's. */
class MainTest {
  private static String usage(String program, String... args) {
    CommandLine cl = Cli.commandLine(Main.root(program), Main.COMMANDS, args);
    CommandLine target = args.length == 0 ? cl : cl.getSubcommands().get(args[0]);
    return target.getUsageMessage();
  }

  @Test
  void theLauncherNameIsWhatTheUsageNames() {
    assertTrue(usage("warm-quick").startsWith("Usage: warm-quick "), usage("warm-quick"));
    assertTrue(usage("warm-quick", "run").startsWith("Usage: warm-quick run "), usage("warm-quick", "run"));
  }

  @Test
  void withoutALauncherNameTheModuleIsNamed() {
    assertTrue(usage(null).startsWith("Usage: warm.quick "), usage(null));
    assertTrue(usage("", "finish").startsWith("Usage: warm.quick finish "), usage("", "finish"));
  }

  @Test
  void aUsageErrorHintsAtTheInvokedName() {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      code = Cli.execute(Main.root("warm-quick"), Main.COMMANDS, new String[] {"finish", "--recipe", "r"});
    } finally {
      System.setErr(saved);
    }
    String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("try 'warm-quick finish --help'"), text);
  }
}
