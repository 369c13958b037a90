package warm.quick.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * Which of an entry point's subcommands an argument line needs built. picocli reflects over every command it is given
 * (options, annotations, nested commands) before it parses: for the operator CLI that was most of a short command's
 * start-up. A line that names a subcommand first gets only that one (it cannot reach the others); {@code --version}
 * alone gets none; anything else (no argument, {@code --help}, an unknown word) gets all, so that usage and the
 * "unknown command" error list every command as before.
 */
final class SubcommandChoice {
  private SubcommandChoice() {}

  static List<Class<?>> needed(List<Class<?>> subcommands, String[] args) {
    return needed(subcommands, List.of(), args);
  }

  /**
   * {@link #needed(List, String[])} where a coded command is recognised by its model's name, before any annotation is
   * read: naming one of them reads none (issue 15).
   */
  static List<Class<?>> needed(List<Class<?>> subcommands, List<? extends CodedCommand> coded, String[] args) {
    if (args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
      return List.of();
    }
    if (args.length > 0) {
      for (CodedCommand c : coded) {
        if (c.commandName().equals(args[0]) && subcommands.contains(c.annotated())) {
          return List.of(c.annotated());
        }
      }
      for (Class<?> c : subcommands) {
        if (names(c).contains(args[0])) {
          return List.of(c);
        }
      }
    }
    return subcommands;
  }

  /** The coded model of {@code command}, or null when it is built from its annotations. */
  static CodedCommand codedFor(Class<?> command, List<? extends CodedCommand> coded) {
    for (CodedCommand c : coded) {
      if (c.annotated() == command) {
        return c;
      }
    }
    return null;
  }

  /** The command's name and aliases from its annotation: reading it loads the class, not picocli's model of it. */
  static List<String> names(Class<?> command) {
    Command a = command.getAnnotation(Command.class);
    if (a == null) {
      throw new IllegalArgumentException(command.getName() + " has no @Command annotation");
    }
    List<String> names = new ArrayList<>(List.of(a.aliases()));
    names.add(0, a.name());
    return names;
  }
}
