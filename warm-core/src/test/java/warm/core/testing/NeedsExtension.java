package warm.core.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Checks {@link Needs} before a class's and before each method's tests (see {@link Prereq}). */
public final class NeedsExtension implements BeforeAllCallback, BeforeEachCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    check(context.getElement());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(context.getElement());
  }

  private static void check(Optional<AnnotatedElement> element) {
    element.flatMap(e -> AnnotationSupport.findAnnotation(e, Needs.class)).ifPresent(n -> {
      for (RealPart part : n.value()) {
        Prereq.require(part.present(), part.description() + " (run scripts/testbed.sh as root)");
      }
    });
  }
}
