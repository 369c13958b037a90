package warm.quick.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A subcommand whose picocli model is built in code ({@link CodedModel}) instead of read from its class's
 * annotations: reading an annotation makes the JVM generate a dynamic proxy class per annotation type, which JDK 17's
 * AppCDS cannot archive — the largest piece of a short command's start-up that was picocli's (issue 15). The class
 * keeps its annotations as the reference its coded model is tested against (no drift).
 */
public interface CodedCommand {
  /** The command's name; it has no aliases (its annotation has none: tested). */
  String commandName();

  /** The annotated class that describes the same command, in the entry point's list of subcommands. */
  Class<?> annotated();

  /** A fresh model with a fresh command object bound to it. */
  CommandSpec model();
}
