package warm.quick.cli;

import java.lang.reflect.Field;
import picocli.CommandLine;

/**
 * Where a coded option stores its value: a field of the command object, as picocli's annotation model binds it. A
 * named class, not lambdas: picocli's interfaces are Java 5 class files, which the AppCDS dump leaves out of the
 * archive once a lambda proxy linked them (DECISIONS, the ninth round's handler entry).
 */
final class FieldSlot implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
  private final Object owner;
  private final Field field;

  FieldSlot(Object owner, Field field) {
    this.owner = owner;
    this.field = field;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get() throws IllegalAccessException {
    return (T) field.get(owner);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T set(T value) throws IllegalAccessException {
    T old = (T) field.get(owner);
    field.set(owner, value);
    return old;
  }
}
