package warm.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real parts a test class or method needs. Missing on a developer box: the test is skipped with the reason.
 * Missing under {@code CI=true}: the test fails, so CI can never go green by skipping (DESIGN §7).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsExtension.class)
public @interface Needs {
  RealPart[] value();
}
