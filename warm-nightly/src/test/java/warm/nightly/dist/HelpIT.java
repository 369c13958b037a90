package warm.nightly.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import warm.nightly.Main;
import warm.nightly.testing.Distribution.Run;
import warm.nightly.testing.Distribution;
import warm.quick.cli.Cli;

/**
 * Every command's {@code --help} exits 0 with its usage on stdout, through the real distribution. The commands are
 * enumerated from picocli's {@code CommandSpec} of each entry point, so a command added later is covered without
 * touching this test. An unknown command exits 2 and names it, even when {@code --help} follows.
 */
class HelpIT {
  /** Every command path under {@code root} (the root itself is the empty path). */
  static List<List<String>> commandPaths(Object root, List<Class<?>> commands) {
    List<List<String>> out = new ArrayList<>();
    collect(Cli.commandLine(root, commands), new ArrayList<>(), out);
    return out;
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    for (var e : cl.getSubcommands().entrySet()) {
      // aliases are listed under each name; visit a command once, by its own name
      if (!e.getKey().equals(e.getValue().getCommandName())) {
        continue;
      }
      path.add(e.getKey());
      collect(e.getValue(), path, out);
      path.remove(path.size() - 1);
    }
  }

  /** One way to start an entry point: {@code java -m MODULE} or a launcher in bin/. */
  interface Start {
    Run run(String... args) throws Exception;
  }

  private static Stream<DynamicTest> helpOfEach(String module, String name, Object root, List<Class<?>> commands) {
    return helpOfEach(args -> Distribution.module(module, Map.of(), args), name, root, commands);
  }

  private static Stream<DynamicTest> helpOfEach(Start start, String name, Object root, List<Class<?>> commands) {
    List<List<String>> paths = commandPaths(root, commands);
    assertTrue(paths.size() > 3, "enumerated only " + paths);
    return paths.stream().map(p -> DynamicTest.dynamicTest(name + " " + String.join(" ", p) + " --help", () -> {
      List<String> args = new ArrayList<>(p);
      args.add("--help");
      Run r = start.run(args.toArray(String[]::new));
      assertEquals(0, r.exit(), r.toString());
      String usage = ("Usage: " + name + " " + String.join(" ", p)).strip();
      assertTrue(r.out().startsWith(usage + " "), "prints its own usage '" + usage + "': " + r);
      assertEquals("", r.err(), r.toString());
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyWarmCommandHelpExits0() {
    return helpOfEach("warm.nightly", "warm", new Main(), Main.COMMANDS);
  }

  /** {@code java -m warm.quick} names the module: nothing told the JVM another name. */
  @TestFactory
  Stream<DynamicTest> everyQuickCommandHelpExits0() {
    return helpOfEach("warm.quick", "warm.quick", new warm.quick.Main(), warm.quick.Main.COMMANDS);
  }

  /** {@code bin/warm-quick} names itself, as the operator typed it (the launcher tells the JVM). */
  @TestFactory
  Stream<DynamicTest> everyQuickCommandHelpThroughTheLauncherNamesTheLauncher() {
    return helpOfEach(args -> Distribution.launcher("warm-quick", Map.of(), args), "warm-quick",
        new warm.quick.Main(), warm.quick.Main.COMMANDS);
  }

  @Test
  void launcherUsageErrorHintsAtTheLauncher() throws Exception {
    Run r = Distribution.launcher("warm-quick", Map.of(), "finish", "--recipe", "r");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("try 'warm-quick finish --help'"), r.toString());
  }

  @Test
  void launcherHelpOfANestedCommand() throws Exception {
    Run r = Distribution.binWarm("canonical", "seed", "--help");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("Usage: warm canonical seed "), r.toString());
  }

  private static void assertUnknownCommand(Run r, String unknown) {
    assertEquals(2, r.exit(), r.toString());
    assertEquals("", r.out(), "no help text on stdout: " + r);
    assertTrue(r.errLines().get(0).startsWith("error: unknown command '" + unknown + "'"), r.toString());
  }

  @Test
  void unknownCommandFollowedByHelpIsUsage() throws Exception {
    assertUnknownCommand(Distribution.binWarm("frobnicate", "--help"), "frobnicate");
    assertUnknownCommand(Distribution.binWarm("frobnicate"), "frobnicate");
    assertUnknownCommand(Distribution.binWarm("config", "frobnicate", "--help"), "frobnicate");
    assertUnknownCommand(Distribution.module("warm.quick", Map.of(), "frobnicate", "--help"), "frobnicate");
  }

  @Test
  void unknownOptionFollowedByHelpIsUsage() throws Exception {
    Run r = Distribution.binWarm("config", "check", "--frobnicate", "--help");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.errLines().get(0).contains("--frobnicate"), r.toString());
  }
}
